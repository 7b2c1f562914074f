import type { TierInput } from "./rules.server";

/**
 * What a rule version changed against the one before it, tier by tier: what a tier pays (its kind
 * and amount or rate), its monthly cap, and who qualifies for it (status, own sales). The history
 * shows each as before → after, and tiers added or removed, so an admin reads who changed what.
 */

export type TierFacts = Pick<TierInput, "tier" | "kind" | "amountMinor" | "rateBp" | "capMinor" | "requiresActive" | "minPersonalSales">;
export type TierAspect = "pays" | "cap" | "qualification";

export interface TierChange {
  tier: number;
  /** null: the tier is new in this version. */
  before: TierFacts | null;
  /** null: this version no longer pays the tier. */
  after: TierFacts | null;
  /** What differs, for a tier both versions pay. */
  aspects: TierAspect[];
}

const pays = (t: TierFacts) => (t.kind === "fixed" ? `fixed:${t.amountMinor}` : `percent:${t.rateBp}`);
const qualification = (t: TierFacts) => `${t.requiresActive}:${t.minPersonalSales}`;

/** The tiers that differ, tier 1 first; `before` null: the first version, which changes nothing. */
export function tierChanges(before: TierFacts[] | null, after: TierFacts[]): TierChange[] {
  if (before === null) return [];
  const count = Math.max(
    before.length === 0 ? 0 : Math.max(...before.map((t) => t.tier)),
    after.length === 0 ? 0 : Math.max(...after.map((t) => t.tier)),
  );
  const changes: TierChange[] = [];
  for (let tier = 1; tier <= count; tier++) {
    const old = before.find((t) => t.tier === tier) ?? null;
    const now = after.find((t) => t.tier === tier) ?? null;
    if (!old && !now) continue;
    if (!old || !now) {
      changes.push({ tier, before: old, after: now, aspects: [] });
      continue;
    }
    const aspects: TierAspect[] = [];
    if (pays(old) !== pays(now)) aspects.push("pays");
    if (old.capMinor !== now.capMinor) aspects.push("cap");
    if (qualification(old) !== qualification(now)) aspects.push("qualification");
    if (aspects.length) changes.push({ tier, before: old, after: now, aspects });
  }
  return changes;
}
