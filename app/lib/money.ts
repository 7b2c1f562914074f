/**
 * Money is integer minor units plus a currency code (docs/architecture.md §3). These helpers format it in
 * the tenant's locale; arithmetic on money never uses floats.
 */
// Building an Intl formatter costs far more than using one: keep one per currency and locale.
const digitsByCurrency = new Map<string, number>();
const formatters = new Map<string, Intl.NumberFormat>();

export function minorDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  const key = `${currency}|${locale}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, format);
  }
  return format.format(minor / 10 ** digits);
}

const currencyNames = new Map<string, string>();

export function currencyName(currency: string, locale: string): string {
  const key = `${currency}|${locale}`;
  let name = currencyNames.get(key);
  if (name === undefined) {
    name = new Intl.DisplayNames([locale], { type: "currency" }).of(currency) ?? currency;
    currencyNames.set(key, name);
  }
  return name;
}

/**
 * The one rounding rule for money: `amount × rate`, rate in basis points (11.11% = 1111), rounded
 * half-up to the minor unit (half away from zero for negatives, so a reversal mirrors its entry).
 * Integer arithmetic throughout: 15000 sen × 1111 bp = 1666.5 → 1667 (RM16.67).
 */
export function applyRate(amountMinor: number, rateBp: number): number {
  const product = amountMinor * rateBp;
  if (Number.isSafeInteger(product)) return divideHalfUp(product, 10_000);
  // Past 2^53 a float product is inexact: multiply as big integers instead.
  return Number(divideHalfUpBig(BigInt(amountMinor) * BigInt(rateBp), 10_000n));
}

/** `numerator / denominator` rounded half-up (half away from zero); both integers. */
export function divideHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator === 0) {
    if (denominator === 0) throw new RangeError("Division by zero");
    return Number(divideHalfUpBig(BigInt(numerator), BigInt(denominator)));
  }
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  const q = Math.floor(n / d);
  const r = n - q * d;
  return sign * (r * 2 >= d ? q + 1 : q);
}

function divideHalfUpBig(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = an / ad;
  const rounded = (an % ad) * 2n >= ad ? q + 1n : q;
  return negative ? -rounded : rounded;
}
