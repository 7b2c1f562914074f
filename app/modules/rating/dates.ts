/**
 * Calendar dates as `YYYY-MM-DD` strings, computed in UTC so the answer never depends on the
 * machine's time zone (the browser's or the server's). The caller picks the quote date in the
 * tenant's time zone with `quoteDateIn`.
 */

const DAY_MS = 86_400_000;

export function parseIsoDate(value: string): { year: number; month: number; day: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== undefined;
}

function toUtc(value: string): number {
  const parts = parseIsoDate(value);
  if (!parts) throw new RangeError(`Not a date: ${value}`);
  return Date.UTC(parts.year, parts.month - 1, parts.day);
}

export function addDays(value: string, days: number): string {
  return new Date(toUtc(value) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (same day → 0). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** Age in completed years on `on` (someone born on 29 February turns a year older on 1 March). */
export function fullYears(birth: string, on: string): number {
  const b = parseIsoDate(birth);
  const o = parseIsoDate(on);
  if (!b || !o) throw new RangeError(`Not a date: ${b ? on : birth}`);
  const beforeBirthday = o.month < b.month || (o.month === b.month && o.day < b.day);
  return o.year - b.year - (beforeBirthday ? 1 : 0);
}

export function yearOf(value: string): number {
  const parts = parseIsoDate(value);
  if (!parts) throw new RangeError(`Not a date: ${value}`);
  return parts.year;
}

/** Today's date in a time zone, as `YYYY-MM-DD` (the quote date for a tenant). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

export function quoteDateIn(timeZone: string, now: Date = new Date()): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    // One formatter per zone: constructing Intl formatters is the expensive part.
    format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}
