/**
 * The commissions fault test's helper process (`node --import tsx tests/support/commissions-fault-child.ts
 * <command>`), against the test's own PostgreSQL cluster (DATABASE_URL), as tests/support/fault-child.ts
 * does for payments. tests/integration/commissions-support.ts cannot run here (it imports vitest
 * through network-support), so the KHHoldings-like network is written in bulk below.
 *
 *   setup               migrate and seed; a KHHoldings-like agency (its network settings and its
 *                       Hibah Gold rule) with a chain of four agents over `SELLERS` agents, each of
 *                       whom sold one monthly Hibah Gold on the 15th of last month (Kuala Lumpur). No
 *                       ledger has run. Prints { tenantId, month, payments, expectedEntries, expectedTotalMinor }.
 *   ledger <tenant> <half|day>
 *                       the ledger for the first half of the payments (as their jobs would), or a
 *                       backfill of the whole day; prints { written }.
 *   close <tenant>      the monthly close job (close_commission_month_tenant) for the tenant.
 *   pay <tenant> <batch>
 *                       the batch is marked paid (payBatch), which queues commission_batch_paid.
 */
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { closeDb, withPlatform, withTenant } from "~db/client";
import { migrate } from "~db/migrate";
import { seed } from "~db/seed";
import { closeCommissionMonthTenantTask } from "~/jobs/commissions";
import { env } from "~/lib/env.server";
import { splitSale } from "~/modules/commissions/calculate";
import { payBatch } from "~/modules/commissions/close.server";
import { ledgerSettingsFor, recordCommissions } from "~/modules/commissions/ledger.server";
import { addMonthsTo, monthOf } from "~/modules/commissions/months";
import { insertVersion, type TierInput } from "~/modules/commissions/rules.server";
import { networkManifestSchema } from "~/modules/network/manifest";
import { createAgent } from "~/modules/network/agents.server";
import { breakdownFor, insertProduct } from "../integration/admin-payments-fixtures";
import { createTenant, uniqueSlug } from "./db";

const KL = "Asia/Kuala_Lumpur";
/** More sellers than one slice of the paid batch's notices (500 payouts). */
const SELLERS = 2_100;
const CHAIN = 4;

async function setup() {
  const config = env();
  await migrate(config.DATABASE_URL, { appUrl: config.APP_DATABASE_URL, platformUrl: config.PLATFORM_DATABASE_URL });
  await seed();
  const network = networkManifestSchema.parse(JSON.parse(readFileSync("tenants/khholdings/network.json", "utf8")));
  const hibah = network.rules.find((r) => r.product === "hibah-senior-care-gold-270")!;
  const rule: TierInput[] = hibah.tiers.map((t, i) => ({
    tier: i + 1,
    kind: t.fixedMinor !== undefined ? "fixed" : "percent",
    amountMinor: t.fixedMinor ?? null,
    rateBp: t.fixedMinor !== undefined ? null : (t.rateBp ?? 0),
    capMinor: null,
    requiresActive: true,
    minPersonalSales: 0,
  }));

  const tenant = await createTenant();
  await withPlatform((db) =>
    db
      .updateTable("tenants")
      .set({ currency: "MYR", locale: "en-MY", time_zone: KL, features: JSON.stringify({ marketplace: true, agentNetwork: true }) })
      .where("id", "=", tenant.id)
      .execute(),
  );
  const productId = (await insertProduct(tenant.id, { name: "Hibah Senior Care Gold 270" })).id;
  const month = addMonthsTo(monthOf(new Date(), KL), -1);
  const soldAt = new Date(`${month.slice(0, 8)}15T12:00:00+08:00`);

  const sales = await withTenant(tenant.id, async (db) => {
    await db
      .insertInto("network_settings")
      .values({
        tiers: network.settings.tiers,
        unqualified_share: network.settings.unqualifiedShare,
        close_day: 1,
        auto_close: true,
      })
      .execute();
    await insertVersion(db, {
      productId,
      frequency: "monthly",
      effectiveAt: sql<Date>`${`${month.slice(0, 4)}-01-01`}::timestamp at time zone ${KL}`,
      tiers: rule,
      createdBy: null,
    });
    const tag = uniqueSlug("f");
    const users = await db
      .insertInto("users")
      .values(Array.from({ length: CHAIN + SELLERS }, (_, i) => ({ email: `${tag}-agent${i}@example.com`, name: `Agent ${i}` })))
      .returning("id")
      .execute();
    await db
      .insertInto("user_roles")
      .values(users.map((u) => ({ user_id: u.id, role: "agent" as const })))
      .execute();
    let sponsor: string | null = null;
    const sellers: string[] = [];
    for (const [i, u] of users.entries()) {
      const agent = await createAgent(db, { userId: u.id, sponsorId: sponsor, status: "active" });
      if (i < CHAIN) sponsor = agent.id;
      else sellers.push(agent.id);
    }
    // Every agent has bank details, so every balance is a payout of the batch.
    await db.updateTable("agents").set({ bank_account_ciphertext: "test-bank-details" }).execute();

    const buyer = await db
      .insertInto("users")
      .values({ email: `${tag}-member@example.com`, name: "Member" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const amounts = sellers.map((_, i) => 27_000 + i);
    const orders = await db
      .insertInto("orders")
      .values(
        sellers.map((agentId, i) => ({
          reference: `TST-ORD-${tag}-${i}`,
          user_id: buyer.id,
          status: "paid" as const,
          step: "payment" as const,
          currency: "MYR",
          agent_id: agentId,
          paid_at: soldAt,
        })),
      )
      .returning("id")
      .execute();
    const quotes = await db
      .insertInto("quotes")
      .values(
        amounts.map((amount, i) => ({
          reference: `TST-Q-${tag}-${i}`,
          product_id: productId,
          user_id: buyer.id,
          inputs: JSON.stringify({}),
          breakdown: JSON.stringify(breakdownFor("monthly", { premiumMinor: amount })),
          frequency: "monthly" as const,
          premium_minor: amount,
          total_minor: amount,
          currency: "MYR",
          valid_until: new Date(soldAt.getTime() + 30 * 86_400_000),
        })),
      )
      .returning("id")
      .execute();
    await db
      .insertInto("order_items")
      .values(
        amounts.map((amount, i) => ({
          order_id: orders[i]!.id,
          quote_id: quotes[i]!.id,
          product_id: productId,
          position: 1,
          frequency: "monthly" as const,
          instalments_per_year: 12,
          first_payment_minor: amount,
          later_instalment_minor: amount,
          annual_premium_minor: amount * 12,
          levies_minor: 0,
          discount_minor: 0,
        })),
      )
      .execute();
    await db
      .insertInto("transactions")
      .values(
        amounts.map((amount, i) => ({
          order_id: orders[i]!.id,
          user_id: buyer.id,
          provider: "sandbox" as const,
          method: "card" as const,
          mode: "test" as const,
          status: "completed" as const,
          amount_minor: amount,
          currency: "MYR",
          provider_ref: `sbx_${tag}_${i}`,
          completed_at: soldAt,
        })),
      )
      .execute();
    return amounts;
  });

  // What the rules editor previews for each sale: the ledger must write exactly this, once.
  const expected = sales.map((amount) => splitSale(rule, amount));
  return {
    tenantId: tenant.id,
    month,
    payments: sales.length,
    agents: CHAIN + SELLERS,
    expectedEntries: expected.reduce((n, split) => n + split.length, 0),
    expectedTotalMinor: expected.flat().reduce((sum, t) => sum + t.amountMinor, 0),
  };
}

async function ledger(tenantId: string, scope: string) {
  const tenant = await requireTenant(tenantId);
  return withTenant(tenantId, async (db) => {
    const settings = await ledgerSettingsFor(db, { timeZone: tenant.time_zone, currency: tenant.currency });
    if (scope === "half") {
      const all = await db.selectFrom("transactions").select("id").orderBy("id").execute();
      const transactionIds = all.slice(0, Math.floor(all.length / 2)).map((t) => t.id);
      return { written: await recordCommissions(db, settings, { transactionIds }) };
    }
    const day = await db
      .selectFrom("transactions")
      .select([sql<Date>`min(completed_at)`.as("from"), sql<Date>`max(completed_at) + interval '1 second'`.as("to")])
      .executeTakeFirstOrThrow();
    return { written: await recordCommissions(db, settings, { completedFrom: day.from, completedTo: day.to }) };
  });
}

async function close(tenantId: string) {
  const lines: string[] = [];
  const helpers = { logger: { info: (line: string) => lines.push(line) } };
  await closeCommissionMonthTenantTask({ tenantId }, helpers as unknown as Parameters<typeof closeCommissionMonthTenantTask>[1]);
  return { log: lines };
}

async function pay(tenantId: string, batchId: string) {
  return withTenant(tenantId, (db) => payBatch(db, { batchId, actorUserId: null }));
}

async function requireTenant(tenantId: string) {
  return withPlatform((db) =>
    db.selectFrom("tenants").select(["time_zone", "currency"]).where("id", "=", tenantId).executeTakeFirstOrThrow(),
  );
}

const [command, a, b] = process.argv.slice(2);
const result =
  command === "setup"
    ? await setup()
    : command === "ledger"
      ? await ledger(a!, b!)
      : command === "close"
        ? await close(a!)
        : command === "pay"
          ? await pay(a!, b!)
          : undefined;
if (!result) throw new Error(`unknown command ${command}`);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
await closeDb();
process.exit(0);
