/**
 * Commission months are calendar months in the tenant's time zone, named by their first day
 * ("2026-11-01"). Pure and browser-safe.
 */
export type Month = string;

/** The month (first day) a moment falls in, in a time zone. */
export function monthOf(at: Date, timeZone: string): Month {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(at);
  const year = parts.find((p) => p.type === "year")!.value;
  const month = parts.find((p) => p.type === "month")!.value;
  return `${year}-${month}-01`;
}

function yearMonth(month: Month): [number, number] {
  return [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
}

export function addMonthsTo(month: Month, n: number): Month {
  const [y, m] = yearMonth(month);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
}

export function isMonth(value: string): value is Month {
  return /^\d{4}-(0[1-9]|1[0-2])-01$/.test(value);
}

/** "November 2026". */
export function monthLabel(month: Month, locale = "en"): string {
  const [y, m] = yearMonth(month);
  return new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(Date.UTC(y, m - 1, 1));
}
