/**
 * Checks the machines' guards share. Each answers the reason to refuse, or null. Money is integer
 * minor units (docs/architecture.md §3), so amounts must be safe integers.
 */

/** A reason someone must give (declining, cancelling, suspending …): a non-blank string. */
export function needsReason(reason: unknown, what: string): string | null {
  return typeof reason === "string" && reason.trim() !== "" ? null : `${what} needs a reason`;
}

export function isMinorUnits(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

/** A whole number of days, zero or more. */
export function isDayCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** A calendar date as `YYYY-MM-DD` (worked out in the tenant's time zone by the caller). */
export function isIsoDate(value: unknown): value is string {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
}
