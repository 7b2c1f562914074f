import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import type { Frequency } from "~db/schema";
import { splitSale, type TierRule } from "~/modules/commissions/calculate";
import { seedCommissionRules } from "~/modules/commissions/seed.server";
import { insertProduct } from "./admin-payments-fixtures";
import { entriesForTransaction, insertChain, insertSale, khholdingsNetwork, KL, networkTenant, record } from "./commissions-support";

/**
 * KHHoldings' plan (../shared/seeds/khholdings-agent-platform-plan.md, "Commission Calculation
 * Examples" and "Product-Specific Commission Structures") is the specification, to the cent. Each
 * row is the plan's own figures; the rules are the ones the KHHoldings network file seeds.
 */
const WORKED_EXAMPLES: { product: string; frequency: Frequency; baseMinor: number; tiers: number[] }[] = [
  // Medical Card Sale (RM150): RM10 / RM2 / RM2 / RM1 / RM0.75 (fixed amounts)
  { product: "medical-card", frequency: "annual", baseMinor: 150_00, tiers: [10_00, 2_00, 2_00, 1_00, 75] },
  // Roadtax Sale (RM100): 50% / 10% / 10%
  { product: "road-tax", frequency: "annual", baseMinor: 100_00, tiers: [50_00, 10_00, 10_00] },
  // Hibah Gold 270
  { product: "hibah-senior-care-gold-270", frequency: "monthly", baseMinor: 150_00, tiers: [16_67, 3_33, 3_33, 1_67, 1_25] },
  { product: "hibah-senior-care-gold-270", frequency: "quarterly", baseMinor: 450_00, tiers: [50_00, 9_99, 9_99, 5_00, 3_74] },
  { product: "hibah-senior-care-gold-270", frequency: "semi_annual", baseMinor: 900_00, tiers: [99_99, 19_98, 19_98, 9_99, 7_47] },
  { product: "hibah-senior-care-gold-270", frequency: "annual", baseMinor: 1800_00, tiers: [199_98, 39_96, 39_96, 19_98, 14_94] },
  // Hibah Diamond 370
  { product: "hibah-senior-care-diamond-370", frequency: "monthly", baseMinor: 210_00, tiers: [23_33, 4_66, 4_66, 2_33, 1_74] },
  { product: "hibah-senior-care-diamond-370", frequency: "quarterly", baseMinor: 630_00, tiers: [69_99, 13_99, 13_99, 6_99, 5_23] },
  { product: "hibah-senior-care-diamond-370", frequency: "semi_annual", baseMinor: 1260_00, tiers: [139_99, 27_97, 27_97, 13_99, 10_46] },
  { product: "hibah-senior-care-diamond-370", frequency: "annual", baseMinor: 2520_00, tiers: [279_97, 55_94, 55_94, 27_97, 20_92] },
];

function manifestRules(product: string, frequency: Frequency): TierRule[] {
  const rule = khholdingsNetwork().rules.find((r) => r.product === product && r.frequencies.includes(frequency));
  if (!rule) throw new Error(`no rule for ${product} ${frequency} in network.json`);
  return rule.tiers.map((t, i) => ({
    tier: i + 1,
    kind: t.fixedMinor !== undefined ? "fixed" : "percent",
    amountMinor: t.fixedMinor ?? null,
    rateBp: t.rateBp ?? null,
  }));
}

describe("KHHoldings' worked examples, to the cent", () => {
  it.each(WORKED_EXAMPLES)("$product $frequency on $baseMinor: the rules editor's preview", ({ product, frequency, baseMinor, tiers }) => {
    expect(splitSale(manifestRules(product, frequency), baseMinor).map((s) => s.amountMinor)).toEqual(tiers);
  });

  it("every example, written by the ledger for a real sale down a five-deep chain, pays exactly the plan's figures to the right agents", async () => {
    const tenant = await networkTenant();
    // The catalogue's products by KHHoldings' slugs, with the seeded rules.
    await withTenant(tenant.id, async (db) => {
      for (const slug of new Set(WORKED_EXAMPLES.map((e) => e.product))) {
        const p = await insertProduct(tenant.id, { name: slug });
        await db.updateTable("products").set({ slug }).where("id", "=", p.id).execute();
      }
    });
    const created = await withTenant(tenant.id, (db) => seedCommissionRules(db, khholdingsNetwork().rules, { timeZone: KL }));
    expect(created).toBe(5 + 3 + 4 * 5 * 2);
    // Seeding again changes nothing.
    expect(await withTenant(tenant.id, (db) => seedCommissionRules(db, khholdingsNetwork().rules, { timeZone: KL }))).toBe(0);

    const chain = await insertChain(tenant.id, 6);
    for (const example of WORKED_EXAMPLES) {
      const productId = (
        await withTenant(tenant.id, (db) =>
          db.selectFrom("products").select("id").where("slug", "=", example.product).executeTakeFirstOrThrow(),
        )
      ).id;
      const sale = await insertSale(tenant.id, {
        agentId: chain[0]!,
        productId,
        frequency: example.frequency,
        amountMinor: example.baseMinor,
        at: new Date("2026-09-15T04:00:00Z"),
      });
      expect(await record(tenant.id, [sale.transactionId])).toBe(example.tiers.length);
      const entries = await entriesForTransaction(tenant.id, sale.transactionId);
      expect(
        entries.map((e) => e.amountMinor),
        `${example.product} ${example.frequency}`,
      ).toEqual(example.tiers);
      expect(entries.map((e) => e.agentId)).toEqual(chain.slice(0, example.tiers.length));
      expect(entries.every((e) => e.kind === "earning" && e.status === "pending" && e.month === "2026-09-01")).toBe(true);
    }
  });
});
