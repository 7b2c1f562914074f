import type { MovedReason, UnqualifiedShare } from "~db/schema";
import { tierAmount, type TierRule } from "./calculate";

/**
 * Who earns each tier of one sale, in plain TypeScript: the network settings page's preview, and
 * the specification a test holds equal to what the ledger's SQL writes (decision 011). Pure and
 * browser-safe.
 *
 * The chain is the seller (index 0, tier 1's place) and their uplines by depth. A tier is held by
 * the agent in its place if they qualify under that tier's rule (active when the rule requires
 * it, the rule's minimum personal sales in the month). Otherwise, by the tenant's setting:
 * - skip: the share is not paid;
 * - pass up: the share goes to the nearest upline above its place who qualifies under the same
 *   rule (who may also hold a tier of their own);
 * - compress: unqualified agents leave the chain and the agents above move down. Precisely, a
 *   greedy walk up by depth: tier 1 is the seller's and is skipped if they do not qualify (there
 *   is nobody below to close up); tier k goes to the first upline above the holder of tier k−1
 *   who qualifies under tier k's rule. A tier without a rule pays nothing and is held by the next
 *   upline. When nobody within reach qualifies, the walk stops and no higher tier is paid.
 * Searches reach the tenth agent of the chain (depth 9), as the ledger's do; only the tenant's
 * tiers are paid.
 */
export const UNQUALIFIED_SHARES = ["skip", "pass_up", "compress"] as const satisfies readonly UnqualifiedShare[];

/** Depths searched above the seller (the seller plus nine uplines: NETWORK_LEVELS). */
const REACH = 10;

export interface ChainAgent {
  id: string;
  active: boolean;
  /** Own sales in the payment's month up to and including this one. */
  personalSales: number;
}

export interface QualifyingRule extends TierRule {
  requiresActive: boolean;
  minPersonalSales: number;
}

export interface Share {
  tier: number;
  agentId: string;
  amountMinor: number;
  /** The unqualified agent the share went past (pass up: the tier's own holder; compress: the nearest one below). */
  passedFrom: string | null;
  reason: MovedReason | null;
}

/** Why an agent may not earn under a rule, or null when they may. */
export function disqualification(agent: ChainAgent, rule: QualifyingRule): MovedReason | null {
  if (rule.requiresActive && !agent.active) return "inactive";
  if (agent.personalSales < rule.minPersonalSales) return "below_min_sales";
  return null;
}

export function distributeShares(
  chain: readonly ChainAgent[],
  rules: readonly QualifyingRule[],
  mode: UnqualifiedShare,
  options: { tiers: number; baseMinor: number },
): Share[] {
  const ruleOf = new Map(rules.map((r) => [r.tier, r]));
  const reach = Math.min(chain.length, REACH);
  const earned: Omit<Share, "amountMinor">[] = [];
  const shares = () =>
    earned.map((s) => ({ ...s, amountMinor: tierAmount(ruleOf.get(s.tier)!, options.baseMinor) })).filter((s) => s.amountMinor > 0);

  if (mode === "compress") {
    const seller = chain[0];
    const first = ruleOf.get(1);
    if (seller && first && !disqualification(seller, first)) earned.push({ tier: 1, agentId: seller.id, passedFrom: null, reason: null });
    let place = 0;
    let moved: Pick<Share, "passedFrom" | "reason"> = { passedFrom: null, reason: null };
    for (let tier = 2; tier <= options.tiers; tier++) {
      const rule = ruleOf.get(tier);
      let depth = place + 1;
      while (depth < reach && rule && disqualification(chain[depth]!, rule)) depth++;
      if (depth >= reach) break;
      if (depth > place + 1) moved = { passedFrom: chain[depth - 1]!.id, reason: disqualification(chain[depth - 1]!, rule!) };
      if (rule) earned.push({ tier, agentId: chain[depth]!.id, ...moved });
      place = depth;
    }
    return shares();
  }

  for (let tier = 1; tier <= Math.min(options.tiers, chain.length); tier++) {
    const rule = ruleOf.get(tier);
    const holder = chain[tier - 1]!;
    if (!rule) continue;
    const reason = disqualification(holder, rule);
    if (!reason) earned.push({ tier, agentId: holder.id, passedFrom: null, reason: null });
    else if (mode === "pass_up") {
      const above = chain.slice(tier, reach).find((a) => !disqualification(a, rule));
      if (above) earned.push({ tier, agentId: above.id, passedFrom: holder.id, reason });
    }
  }
  return shares();
}

/** The settings page's worked example: ten agents, A10 sells for 100.00, A8 is suspended, tier k pays (11 − k)%. */
export const SAMPLE_CHAIN: readonly ChainAgent[] = ["A10", "A9", "A8", "A7", "A6", "A5", "A4", "A3", "A2", "A1"].map((id) => ({
  id,
  active: id !== "A8",
  personalSales: 1,
}));
export const SAMPLE_BASE_MINOR = 100_00;
const SAMPLE_RULES: QualifyingRule[] = SAMPLE_CHAIN.map((_, i) => ({
  tier: i + 1,
  kind: "percent",
  amountMinor: null,
  rateBp: (10 - i) * 100,
  requiresActive: true,
  minPersonalSales: 0,
}));

/** Who earns each of the tenant's tiers in the worked example, under each way of treating A8. */
export function samplePreview(tiers: number): { tier: number; rateBp: number; byMode: Record<UnqualifiedShare, Share | null> }[] {
  const byMode = Object.fromEntries(
    UNQUALIFIED_SHARES.map((mode) => [mode, distributeShares(SAMPLE_CHAIN, SAMPLE_RULES, mode, { tiers, baseMinor: SAMPLE_BASE_MINOR })]),
  ) as Record<UnqualifiedShare, Share[]>;
  return SAMPLE_RULES.filter((r) => r.tier <= tiers).map((r) => ({
    tier: r.tier,
    rateBp: r.rateBp!,
    byMode: Object.fromEntries(UNQUALIFIED_SHARES.map((mode) => [mode, byMode[mode].find((s) => s.tier === r.tier) ?? null])) as Record<
      UnqualifiedShare,
      Share | null
    >,
  }));
}
