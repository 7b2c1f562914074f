import { applyRate } from "~/lib/money";
import type { BundleDiscount } from "~/modules/catalogue/manifest";

/**
 * A cart's money, worked out from its quotes. Pure and integer-only, so every line adds up:
 * sum(items' premium + levies) − bundle discount = total.
 */
export interface PricedItem {
  categoryId: string;
  /** The quote's annual premium before levies: what a bundle discount is a share of. */
  basePremium: number;
  /** Premium paid over a year at the item's frequency (instalment premium × instalments). */
  premium: number;
  /** Levies and duties paid over a year at that frequency. */
  levies: number;
  /** premium + levies: the item's annual total at its frequency. */
  total: number;
  /** Expired quotes stay visible but are not priced into the cart. */
  expired: boolean;
}

export interface AppliedDiscount {
  code: string;
  label: string;
  percentBp: number;
  /** Positive minor units, shown as a negative line. */
  amount: number;
}

export interface CartTotals {
  premium: number;
  levies: number;
  discount: AppliedDiscount | null;
  total: number;
  /** Items priced into the totals (not expired). */
  count: number;
  categories: number;
}

/**
 * The best single bundle rule the cart qualifies for (enough policies from enough categories),
 * as a percentage of the base premiums; levies are not discounted. Rules never stack.
 */
export function bestBundleDiscount(items: readonly PricedItem[], rules: readonly BundleDiscount[]): AppliedDiscount | null {
  const live = items.filter((i) => !i.expired);
  const categories = new Set(live.map((i) => i.categoryId)).size;
  const base = live.reduce((sum, i) => sum + i.basePremium, 0);
  let best: AppliedDiscount | null = null;
  for (const rule of rules) {
    if (live.length < rule.minItems || categories < rule.minCategories) continue;
    const amount = applyRate(base, rule.percentBp);
    if (!best || amount > best.amount) best = { code: rule.code, label: rule.label, percentBp: rule.percentBp, amount };
  }
  return best;
}

export function cartTotals(items: readonly PricedItem[], rules: readonly BundleDiscount[]): CartTotals {
  const live = items.filter((i) => !i.expired);
  const premium = live.reduce((sum, i) => sum + i.premium, 0);
  const levies = live.reduce((sum, i) => sum + i.levies, 0);
  const discount = bestBundleDiscount(items, rules);
  return {
    premium,
    levies,
    discount,
    total: premium + levies - (discount?.amount ?? 0),
    count: live.length,
    categories: new Set(live.map((i) => i.categoryId)).size,
  };
}
