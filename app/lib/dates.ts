/** Dates are shown in the tenant's time zone, never the server's. */
const formats = new Map<string, Intl.DateTimeFormat>();

// Constructing an Intl formatter is the expensive part; keep one per locale, zone and style.
function formatter(locale: string, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      locale,
      withTime ? { dateStyle: "medium", timeStyle: "short", timeZone } : { dateStyle: "medium", timeZone },
    );
    formats.set(key, format);
  }
  return format;
}

export function formatDateTime(value: Date | string, locale: string, timeZone: string): string {
  return formatter(locale, timeZone, true).format(new Date(value));
}

export function formatDate(value: Date | string, locale: string, timeZone: string): string {
  return formatter(locale, timeZone, false).format(new Date(value));
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** An instant as the wall-clock time of a zone, `YYYY-MM-DDTHH:MM`: what a datetime-local input holds. */
export function wallClockIn(timeZone: string, at: Date | string = new Date()): string {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    wallClocks.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}
