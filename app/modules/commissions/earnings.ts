import type { AgentStatus } from "~db/schema";
import { splitSale, type TierRule } from "./calculate";

/**
 * What an agent earns before they sell (issue 16 §5): one sale under the rules in force, split with
 * the admin preview's own `splitSale`, and whether the agent would earn their share, read as the
 * ledger's `qualified` reads it. Pure, so the sell wizard, the structure page and the API agree.
 */

/** One tier of a rule as the agent sees it: what it pays and what it asks of the earner. */
export interface TierTerms extends TierRule {
  capMinor: number | null;
  requiresActive: boolean;
  minPersonalSales: number;
}

/** Only a tier's terms, from a rule row or a tier with more on it (what the pages and the API show). */
export function tierTerms(r: TierTerms): TierTerms {
  return {
    tier: r.tier,
    kind: r.kind,
    amountMinor: r.amountMinor,
    rateBp: r.rateBp,
    capMinor: r.capMinor,
    requiresActive: r.requiresActive,
    minPersonalSales: r.minPersonalSales,
  };
}

/** Why the agent's own share (tier 1) is paid or not, were this sale paid now. */
export type Standing =
  | { qualifies: true }
  | { qualifies: false; reason: "inactive" }
  | { qualifies: false; reason: "personal_sales"; salesThisMonth: number; needed: number };

/**
 * The ledger's test for tier 1 at the payment: active when the rule asks for it, and at least the
 * rule's minimum of own sales in the month up to that payment — the items of this sale included.
 */
export function ownStanding(
  rule: Pick<TierTerms, "requiresActive" | "minPersonalSales">,
  agent: { status: AgentStatus; salesThisMonth: number },
  itemsInSale = 1,
): Standing {
  if (rule.requiresActive && agent.status !== "active") return { qualifies: false, reason: "inactive" };
  const counted = agent.salesThisMonth + itemsInSale;
  if (rule.minPersonalSales > 0 && counted < rule.minPersonalSales)
    return { qualifies: false, reason: "personal_sales", salesThisMonth: agent.salesThisMonth, needed: rule.minPersonalSales - counted };
  return { qualifies: true };
}

export interface SaleEarnings {
  /** False when the rules in force pay nothing for this product at this frequency. */
  paysCommission: boolean;
  firstBaseMinor: number;
  /** Null when there are no later instalments (paid once a year). */
  laterBaseMinor: number | null;
  /** Tier 1 (the agent) first; each tier's share of the first payment and of each later one. */
  tiers: (TierTerms & { firstMinor: number; laterMinor: number | null })[];
  you: Standing;
  /**
   * What is left of the agent's monthly cap on their own share (tier 1) this month, when the rule
   * has one: the ledger pays no more than that (running caps, decision 011). Null without a cap.
   */
  capLeftMinor: number | null;
}

/** One sale's split over the tiers, on its first payment's base and on each later instalment's. */
export function saleEarnings(
  rules: readonly TierTerms[],
  sale: { firstBaseMinor: number; laterBaseMinor: number | null },
  agent: { status: AgentStatus; salesThisMonth: number; capPaidMinor?: number },
  itemsInSale = 1,
): SaleEarnings {
  const sorted = [...rules].sort((a, b) => a.tier - b.tier);
  const first = splitSale(sorted, sale.firstBaseMinor);
  const later = sale.laterBaseMinor === null ? null : splitSale(sorted, sale.laterBaseMinor);
  return {
    paysCommission: sorted.length > 0,
    firstBaseMinor: sale.firstBaseMinor,
    laterBaseMinor: sale.laterBaseMinor,
    tiers: sorted.map((rule, i) => ({ ...rule, firstMinor: first[i]!.amountMinor, laterMinor: later ? later[i]!.amountMinor : null })),
    you: sorted[0] ? ownStanding(sorted[0], agent, itemsInSale) : { qualifies: true },
    capLeftMinor: sorted[0]?.capMinor != null ? Math.max(0, sorted[0].capMinor - (agent.capPaidMinor ?? 0)) : null,
  };
}
