import { applyRate, divideHalfUp } from "~/lib/money";

/**
 * What one tier of a commission rule pays on a premium: a fixed amount, or a rate of the premium
 * rounded half-up to the cent (the one rounding rule: `applyRate`). Pure and browser-safe, so the
 * rules editor previews exactly what the ledger will write; the ledger's SQL rounds the same way
 * and a test holds the two together.
 */
export interface TierRule {
  tier: number;
  kind: "fixed" | "percent";
  amountMinor: number | null;
  rateBp: number | null;
}

export function tierAmount(rule: Pick<TierRule, "kind" | "amountMinor" | "rateBp">, baseMinor: number): number {
  if (rule.kind === "fixed") return rule.amountMinor ?? 0;
  return applyRate(baseMinor, rule.rateBp ?? 0);
}

/** The split of one sale over the tiers, tier 1 (the selling agent) first. */
export function splitSale(rules: readonly TierRule[], baseMinor: number): { tier: number; amountMinor: number }[] {
  return [...rules].sort((a, b) => a.tier - b.tier).map((r) => ({ tier: r.tier, amountMinor: tierAmount(r, baseMinor) }));
}

/**
 * What a payment's commission is a share of: the premium in it, its levies taken out pro rata and
 * rounded half-up — the ledger statement's `base_minor`, in JavaScript for the previews.
 */
export function commissionBaseMinor(paidMinor: number, annualPremiumMinor: number | null, leviesMinor: number | null): number {
  if (!leviesMinor || leviesMinor <= 0 || !annualPremiumMinor || annualPremiumMinor <= 0) return paidMinor;
  return divideHalfUp(paidMinor * annualPremiumMinor, annualPremiumMinor + leviesMinor);
}

/** "11.11%" from 1111 basis points. */
export function formatRate(rateBp: number): string {
  return `${(rateBp / 100).toFixed(2).replace(/\.?0+$/, "")}%`;
}
