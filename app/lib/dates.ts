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
