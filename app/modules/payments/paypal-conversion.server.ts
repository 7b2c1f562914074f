import { withTenant } from "~db/client";
import { formatMoney, minorDigits } from "~/lib/money";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { PaypalProvider, paypalTakes, type RateQuotes } from "./providers/paypal.server";
import { tenantProvider } from "./settings.server";

/**
 * What a customer paying with PayPal is told before approving (decision 044, issue 15): PayPal
 * charges the agency's currency, converts it itself when the payer's card or balance is in another,
 * and shows its rate on its own page. Where PayPal lets the agency's account ask for its rates
 * (Currency Exchange v2; most accounts are not enabled for it), an indicative figure in the
 * currencies the customer's browser suggests is added. A quote is a guide, never a price: it is
 * cached, it waits at most a moment, and its failure only leaves the figure out.
 */

export interface PaypalConversionNote {
  /** The amount PayPal will charge, in the agency's currency (formatted). */
  charged: string;
  currency: string;
  indicative: { currency: string; amount: string; rate: string }[];
}

/** Countries (a browser's language region) and the currency their people most likely pay in, where PayPal takes it. */
const REGION_CURRENCIES: Readonly<Record<string, string>> = {
  SG: "SGD",
  US: "USD",
  GB: "GBP",
  AU: "AUD",
  NZ: "NZD",
  CA: "CAD",
  HK: "HKD",
  JP: "JPY",
  CN: "CNY",
  TW: "TWD",
  TH: "THB",
  PH: "PHP",
  CH: "CHF",
  SE: "SEK",
  NO: "NOK",
  DK: "DKK",
  PL: "PLN",
  CZ: "CZK",
  HU: "HUF",
  IL: "ILS",
  MX: "MXN",
  BR: "BRL",
  MY: "MYR",
  ...Object.fromEntries(
    ["AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PT", "SI", "SK"].map((c) => [
      c,
      "EUR",
    ]),
  ),
};

/** At most this many currencies are quoted: the customer's first preferences. */
const MAX_QUOTES = 2;
/** How long checkout waits for PayPal's rates before showing the page without them. */
const QUOTE_WAIT_MS = 1_500;
const RATE_TTL_MS = 15 * 60_000;
/** An account PayPal has not enabled for rates is not asked again for this long; an outage, for a minute. */
const REFUSED_TTL_MS = 60 * 60_000;
const OUTAGE_TTL_MS = 60_000;

/** The currencies (PayPal's, not the agency's) of the regions in an Accept-Language header, in its order of preference. */
export function payerCurrencies(acceptLanguage: string | null, agencyCurrency: string): string[] {
  const tags = (acceptLanguage ?? "")
    .slice(0, 500)
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(
        params
          .find((p) => p.trim().startsWith("q="))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const currencies: string[] = [];
  for (const { tag } of tags) {
    const region = /^[A-Za-z]{2,3}-(?:[A-Za-z]{4}-)?([A-Za-z]{2})\b/.exec(tag)?.[1]?.toUpperCase();
    const currency = region ? REGION_CURRENCIES[region] : undefined;
    if (currency && currency !== agencyCurrency && paypalTakes(currency) && !currencies.includes(currency)) currencies.push(currency);
  }
  return currencies.slice(0, MAX_QUOTES);
}

type CachedRate = { rate: string; until: number };
const rates = new Map<string, CachedRate>();
/** Accounts (tenant and mode) PayPal will not quote for now, until when. */
const unquotable = new Map<string, number>();

/** The note for paying `amountMinor` of the agency's currency with PayPal. */
export async function paypalConversionNote(
  tenant: Pick<TenantInfo, "id" | "currency" | "locale">,
  amountMinor: number,
  acceptLanguage: string | null,
  now = Date.now(),
): Promise<PaypalConversionNote> {
  const note: PaypalConversionNote = {
    charged: formatMoney(amountMinor, tenant.currency, tenant.locale),
    currency: tenant.currency,
    indicative: [],
  };
  const wanted = payerCurrencies(acceptLanguage, tenant.currency);
  if (!wanted.length || amountMinor <= 0) return note;
  const found = await ratesFor(tenant, wanted, now);
  for (const currency of wanted) {
    const rate = found.get(currency);
    const converted = rate === undefined ? undefined : convert(amountMinor, tenant.currency, currency, rate);
    if (rate !== undefined && converted !== undefined) {
      note.indicative.push({ currency, amount: formatMoney(converted, currency, tenant.locale), rate });
    }
  }
  return note;
}

async function ratesFor(tenant: Pick<TenantInfo, "id" | "currency">, wanted: string[], now: number): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const provider = await withTenant(tenant.id, (db) => tenantProvider(db, tenant.id, "paypal")).catch(() => undefined);
  if (!(provider instanceof PaypalProvider)) return found;
  const account = `${tenant.id}|${provider.mode}`;
  const key = (currency: string) => `${account}|${tenant.currency}|${currency}`;
  for (const currency of wanted) {
    const cached = rates.get(key(currency));
    if (cached && cached.until > now) found.set(currency, cached.rate);
  }
  const missing = wanted.filter((c) => !found.has(c));
  if (!missing.length || (unquotable.get(account) ?? 0) > now) return found;

  // The quote goes on when checkout stops waiting: its answer still fills the cache for the next page.
  const asked = provider
    .quoteRates(tenant.currency, missing, QUOTE_WAIT_MS * 2)
    .catch((): RateQuotes => ({ ok: false, refused: false }))
    .then((answer) => {
      if (!answer.ok) {
        unquotable.set(account, now + (answer.refused ? REFUSED_TTL_MS : OUTAGE_TTL_MS));
        return answer;
      }
      for (const r of answer.rates) {
        const expires = r.expiresAt ? Date.parse(r.expiresAt) : Number.NaN;
        rates.set(key(r.currency), { rate: r.rate, until: Math.min(now + RATE_TTL_MS, Number.isNaN(expires) ? Infinity : expires) });
      }
      return answer;
    });
  const answer = await Promise.race([asked, new Promise<undefined>((resolve) => setTimeout(resolve, QUOTE_WAIT_MS))]);
  if (answer?.ok) for (const r of answer.rates) found.set(r.currency, r.rate);
  return found;
}

/** `amountMinor` of `from` in minor units of `to` at `rate`, rounded to the nearest unit; undefined when not a sensible figure. */
function convert(amountMinor: number, from: string, to: string, rate: string): number | undefined {
  const major = amountMinor / 10 ** minorDigits(from);
  const minor = Math.round(major * Number(rate) * 10 ** minorDigits(to));
  return Number.isSafeInteger(minor) && minor > 0 ? minor : undefined;
}
