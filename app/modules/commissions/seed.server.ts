import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { NetworkRuleEntry } from "~/modules/network/manifest";
import { insertVersion } from "./rules.server";

/**
 * The manifest's commission rules, loaded once per product and frequency: a product whose rules
 * an admin has since changed (any version exists) is left alone, so restarts never undo the
 * back office. Each starts at the beginning of its `effectiveFrom` day in the agency's time zone.
 * A rule naming a product the catalogue lacks stops the seed with its name.
 */
export async function seedCommissionRules(
  db: TenantDb,
  rules: readonly NetworkRuleEntry[],
  options: { timeZone: string },
): Promise<number> {
  let created = 0;
  for (const rule of rules) {
    const product = await db.selectFrom("products").select("id").where("slug", "=", rule.product).executeTakeFirst();
    if (!product) throw new Error(`network.json: commission rule for unknown product "${rule.product}"`);
    for (const frequency of rule.frequencies) {
      const existing = await db
        .selectFrom("commission_rule_versions")
        .select("id")
        .where("product_id", "=", product.id)
        .where("frequency", "=", frequency)
        .executeTakeFirst();
      if (existing) continue;
      await insertVersion(db, {
        productId: product.id,
        frequency,
        effectiveAt: sql<Date>`${rule.effectiveFrom}::timestamp at time zone ${options.timeZone}`,
        tiers: rule.tiers.map((t, i) => ({
          tier: i + 1,
          kind: t.fixedMinor !== undefined ? "fixed" : "percent",
          amountMinor: t.fixedMinor ?? null,
          rateBp: t.rateBp ?? null,
          capMinor: t.capMinor ?? null,
          requiresActive: t.requiresActive,
          minPersonalSales: t.minPersonalSales,
        })),
        createdBy: null,
      });
      created += rule.tiers.length;
    }
  }
  return created;
}
