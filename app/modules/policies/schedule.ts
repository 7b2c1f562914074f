import { addDays, parseIsoDate } from "~/modules/rating/dates";

/**
 * A policy's calendar: a year of cover from its start, and instalments spread evenly over it.
 * Dates are "YYYY-MM-DD" in the tenant's time zone; pure, so the rules are tested without a clock.
 */

/** The same day n months later, or the month's last day when it has none (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const parts = parseIsoDate(date);
  if (!parts) throw new RangeError(`Not a date: ${date}`);
  const index = parts.year * 12 + (parts.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(parts.day, lastDay);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The last day of a year's cover starting on `start`. */
export function coverEndDate(start: string): string {
  return addDays(addMonths(start, 12), -1);
}

/** A year of cover, or as many days as the quote's `daysFrom` input says (a trip). */
export function coverEndFor(start: string, daysFrom: string | undefined, inputs: Record<string, unknown>): string {
  const days = daysFrom ? inputs[daysFrom] : undefined;
  return typeof days === "number" && Number.isSafeInteger(days) && days >= 1 ? addDays(start, days - 1) : coverEndDate(start);
}

export interface ScheduledInstalment {
  sequence: number;
  dueDate: string;
  amountMinor: number;
}

/**
 * The year's instalments: the first due on the start date (paid at checkout), the rest every
 * 12/n months. Amounts: the first payment, then the later instalment amount.
 */
export function instalmentSchedule(start: string, perYear: number, firstMinor: number, laterMinor: number): ScheduledInstalment[] {
  if (![1, 2, 4, 12].includes(perYear)) throw new RangeError(`Unsupported instalments per year: ${perYear}`);
  const step = 12 / perYear;
  return Array.from({ length: perYear }, (_, i) => ({
    sequence: i + 1,
    dueDate: addMonths(start, i * step),
    amountMinor: i === 0 ? firstMinor : laterMinor,
  }));
}
