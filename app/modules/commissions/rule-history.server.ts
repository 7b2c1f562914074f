import type { TFunction } from "i18next";
import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { Frequency } from "~db/schema";
import { formatMoney } from "~/lib/money";
import { formatRate } from "./calculate";
import { tierChanges, type TierAspect, type TierFacts } from "./rule-diff";
import type { RuleVersion } from "./rules.server";

/**
 * One product's rule history at one frequency, as the editor shows it: each version with who saved
 * it when and what it changed against the version before it, and the scheduled versions taken out
 * of the line (cancelled, or replaced by a later save) with who did it when. Versions are rows; a
 * withdrawn version is gone from its table, and the audit log, which records every cancel and
 * save, tells its story (docs/decisions/016-commission-rules-from-an-instant.md).
 */

export interface ChangeLine {
  tier: string;
  what: "added" | "removed" | TierAspect;
  before: string | null;
  after: string | null;
}

export interface Withdrawal {
  /** When the version would have started. */
  from: string;
  how: "cancelled" | "replaced";
  by: string | null;
  at: string;
}

/** The words of a tier's facts, in the page's language (`t` of admin-network). */
function tierWords(currency: string, locale: string, t: TFunction) {
  const pays = (f: TierFacts) => (f.kind === "fixed" ? formatMoney(f.amountMinor ?? 0, currency, locale) : formatRate(f.rateBp ?? 0));
  const cap = (f: TierFacts) => (f.capMinor === null ? t("history.noCap") : formatMoney(f.capMinor, currency, locale));
  const qualification = (f: TierFacts) =>
    [
      f.requiresActive ? t("history.activeOnly") : t("rules.anyStatus"),
      ...(f.minPersonalSales > 0 ? [t("rules.ownSales", { count: f.minPersonalSales })] : []),
    ].join(", ");
  const all = (f: TierFacts) =>
    [pays(f), ...(f.capMinor === null ? [] : [t("rules.cappedAt", { amount: cap(f) })]), qualification(f)].join(", ");
  return { pays, cap, qualification, all };
}

/** What each version changed against the one before it in the line, keyed by version id. */
export function versionChanges(
  versions: RuleVersion[],
  format: { currency: string; locale: string; t: TFunction },
): Map<string, ChangeLine[]> {
  const words = tierWords(format.currency, format.locale, format.t);
  const ordered = [...versions].sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime());
  const changes = new Map<string, ChangeLine[]>();
  ordered.forEach((version, i) => {
    const previous = i === 0 ? null : ordered[i - 1]!.tiers;
    const lines = tierChanges(previous, version.tiers).flatMap((c): ChangeLine[] => {
      const tier = `T${c.tier}`;
      if (!c.before) return [{ tier, what: "added", before: null, after: words.all(c.after!) }];
      if (!c.after) return [{ tier, what: "removed", before: words.all(c.before), after: null }];
      return c.aspects.map((what) => ({ tier, what, before: words[what](c.before!), after: words[what](c.after!) }));
    });
    changes.set(version.id, lines);
  });
  return changes;
}

/** Scheduled versions of this product and frequency that were cancelled or replaced, newest first, from the audit log. */
export async function withdrawnVersions(
  db: TenantDb,
  productId: string,
  frequency: Frequency,
  when: (at: Date) => string,
): Promise<Withdrawal[]> {
  const rows = await db
    .selectFrom("audit_log as a")
    .leftJoin("users as u", (join) => join.onRef("u.tenant_id", "=", "a.tenant_id").onRef("u.id", "=", "a.actor_user_id"))
    .select(["a.action", "a.details", "a.created_at", "u.name"])
    .where("a.target_type", "=", "product")
    .where("a.target_id", "=", productId)
    .where("a.action", "in", ["commission.rules_cancelled", "commission.rules_saved"])
    .where(sql<boolean>`a.details->>'frequency' = ${frequency}`)
    .orderBy("a.created_at", "desc")
    .orderBy("a.id", "desc")
    .limit(200)
    .execute();
  return rows.flatMap((row): Withdrawal[] => {
    const details = row.details as { effectiveAt?: unknown; withdrawnVersions?: unknown };
    const common = { by: row.name, at: when(row.created_at) };
    if (row.action === "commission.rules_cancelled")
      return typeof details.effectiveAt === "string" ? [{ from: when(new Date(details.effectiveAt)), how: "cancelled", ...common }] : [];
    // Saves before the history was kept recorded only how many they withdrew: nothing to show.
    const withdrawn = Array.isArray(details.withdrawnVersions) ? (details.withdrawnVersions as { effectiveAt?: unknown }[]) : [];
    return withdrawn
      .filter((v) => typeof v?.effectiveAt === "string")
      .map((v) => ({ from: when(new Date(v.effectiveAt as string)), how: "replaced", ...common }));
  });
}
