import type { TenantDb } from "~db/client";
import type { NetworkRuleEntry } from "~/modules/network/manifest";

/**
 * The manifest's commission rules, loaded once per product and frequency: a product whose rules
 * an admin has since changed (any version exists) is left alone, so restarts never undo the
 * back office. A rule naming a product the catalogue lacks stops the seed with its name.
 */
export async function seedCommissionRules(db: TenantDb, rules: readonly NetworkRuleEntry[]): Promise<number> {
  let created = 0;
  for (const rule of rules) {
    const product = await db.selectFrom("products").select("id").where("slug", "=", rule.product).executeTakeFirst();
    if (!product) throw new Error(`network.json: commission rule for unknown product "${rule.product}"`);
    for (const frequency of rule.frequencies) {
      const existing = await db
        .selectFrom("commission_rules")
        .select("id")
        .where("product_id", "=", product.id)
        .where("frequency", "=", frequency)
        .executeTakeFirst();
      if (existing) continue;
      await db
        .insertInto("commission_rules")
        .values(
          rule.tiers.map((t, i) => ({
            product_id: product.id,
            frequency,
            tier: i + 1,
            kind: t.fixedMinor !== undefined ? ("fixed" as const) : ("percent" as const),
            amount_minor: t.fixedMinor ?? null,
            rate_bp: t.fixedMinor !== undefined ? null : (t.rateBp ?? null),
            cap_minor: t.capMinor ?? null,
            requires_active: t.requiresActive,
            min_personal_sales: t.minPersonalSales,
            effective_from: rule.effectiveFrom,
          })),
        )
        .execute();
      created += rule.tiers.length;
    }
  }
  return created;
}
