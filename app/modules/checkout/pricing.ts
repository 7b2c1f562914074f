import { bestBundleDiscount, type AppliedDiscount } from "~/modules/cart/totals";
import type { BundleDiscount } from "~/modules/catalogue/manifest";
import type { FrequencyOption } from "~/modules/rating";

/**
 * What an order costs, worked out from its quotes: pure and integer-only (minor units), so the
 * server can recompute it on every step and the lines always add up.
 *
 * The cart's bundle discount (the same rule, `bestBundleDiscount`) is shared out across the items
 * in proportion to their base premiums, exactly (largest remainder), and each item's share is
 * spread evenly over its instalments with the remainder taken off the first one. So, per item:
 *   firstPaymentMinor + (n − 1) · laterInstalmentMinor = annual total − discountMinor
 * and for the order: dueNowMinor = Σ firstPaymentMinor.
 */
export interface PricingItem {
  id: string;
  categoryId: string;
  /** The quote's annual premium before levies: what the bundle discount is a share of. */
  basePremium: number;
  /** The quote's chosen frequency with its instalment amounts. */
  payable: FrequencyOption;
}

export interface PricedItem {
  id: string;
  instalmentsPerYear: number;
  /** Premium over the year at the chosen frequency, before levies and discount. */
  annualPremiumMinor: number;
  /** Levies and duties over the year. */
  leviesMinor: number;
  /** annualPremiumMinor + leviesMinor: the quote's annual equivalent. */
  annualTotalMinor: number;
  /** This item's share of the bundle discount. */
  discountMinor: number;
  /** Due now for this item: the first instalment less its part of the discount. */
  firstPaymentMinor: number;
  /** Each later instalment less its part of the discount; 0 when paid once a year. */
  laterInstalmentMinor: number;
}

export interface OrderPricing {
  items: PricedItem[];
  discount: AppliedDiscount | null;
  premiumMinor: number;
  leviesMinor: number;
  discountMinor: number;
  /** Everything paid over the first year, after the discount. */
  totalMinor: number;
  dueNowMinor: number;
}

/**
 * Splits `total` into integer parts proportional to `weights`, summing to `total` exactly: each
 * part is rounded down, and the units left over go to the largest remainders (ties: first item).
 * BigInt inside, so large premiums times large discounts never lose precision.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError("allocate: total must be a non-negative integer");
  const sum = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) {
    // Nothing to weigh by: an even split, remainder to the first items.
    const each = Math.floor(total / weights.length);
    return weights.map((_, i) => each + (i < total - each * weights.length ? 1 : 0));
  }
  const bigTotal = BigInt(total);
  const bigSum = BigInt(sum);
  const parts = weights.map((w) => (bigTotal * BigInt(w)) / bigSum);
  const remainders = weights.map((w, i) => ({ i, r: (bigTotal * BigInt(w)) % bigSum }));
  let left = total - parts.reduce((s, p) => s + Number(p), 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left <= 0) break;
    parts[i]! += 1n;
    left -= 1;
  }
  return parts.map(Number);
}

/** One item's amounts once its share of the discount is known. */
export function priceItem(item: PricingItem, discountMinor: number): PricedItem {
  const p = item.payable;
  const n = p.instalmentsPerYear;
  const perInstalment = Math.floor(discountMinor / n);
  const onFirst = discountMinor - perInstalment * n;
  const annualPremiumMinor = p.instalmentPremium * n;
  return {
    id: item.id,
    instalmentsPerYear: n,
    annualPremiumMinor,
    leviesMinor: p.annualEquivalent - annualPremiumMinor,
    annualTotalMinor: p.annualEquivalent,
    discountMinor,
    firstPaymentMinor: p.firstInstalmentAmount - perInstalment - onFirst,
    laterInstalmentMinor: n > 1 ? p.instalmentAmount - perInstalment : 0,
  };
}

export function priceOrder(items: readonly PricingItem[], rules: readonly BundleDiscount[]): OrderPricing {
  const discount = bestBundleDiscount(
    items.map((i) => ({
      categoryId: i.categoryId,
      basePremium: i.basePremium,
      premium: i.payable.instalmentPremium * i.payable.instalmentsPerYear,
      levies: i.payable.annualEquivalent - i.payable.instalmentPremium * i.payable.instalmentsPerYear,
      total: i.payable.annualEquivalent,
      expired: false,
    })),
    rules,
  );
  const shares = allocate(
    discount?.amount ?? 0,
    items.map((i) => i.basePremium),
  );
  const priced = items.map((item, i) => priceItem(item, shares[i] ?? 0));
  const sum = (pick: (p: PricedItem) => number) => priced.reduce((s, p) => s + pick(p), 0);
  const premiumMinor = sum((p) => p.annualPremiumMinor);
  const leviesMinor = sum((p) => p.leviesMinor);
  const discountMinor = sum((p) => p.discountMinor);
  return {
    items: priced,
    discount,
    premiumMinor,
    leviesMinor,
    discountMinor,
    totalMinor: premiumMinor + leviesMinor - discountMinor,
    dueNowMinor: sum((p) => p.firstPaymentMinor),
  };
}
