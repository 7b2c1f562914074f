/**
 * Money is integer minor units plus a currency code (DESIGN.md §3). These helpers format it in
 * the tenant's locale; arithmetic on money never uses floats.
 */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(minor / 10 ** digits);
}

export function currencyName(currency: string, locale: string): string {
  return new Intl.DisplayNames([locale], { type: "currency" }).of(currency) ?? currency;
}
