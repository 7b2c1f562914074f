import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { withTenant, type TenantDb } from "~db/client";
import type { AgentStatus, Frequency, UnqualifiedShare } from "~db/schema";
import { ledgerSettingsFor, recordCommissions } from "~/modules/commissions/ledger.server";
import { insertVersion, type TierInput } from "~/modules/commissions/rules.server";
import { networkManifestSchema } from "~/modules/network/manifest";
import { createAgent } from "~/modules/network/agents.server";
import { breakdownFor, insertProduct } from "./admin-payments-fixtures";
import { uniqueSlug } from "../support/db";
import type { Browser } from "../support/http";
import { agentNetworkTenant } from "./network-support";

/**
 * Fixtures for the commission engine (not a test file itself): an agent-network tenant in MYR and
 * Kuala Lumpur time, chains of agents, rules, and completed sales written straight into the tables
 * — no job is queued, so the test decides when the ledger runs.
 */
export const KL = "Asia/Kuala_Lumpur";

export async function networkTenant(settings: { tiers?: number; unqualifiedShare?: UnqualifiedShare } = {}) {
  const tenant = await agentNetworkTenant();
  await withTenant(tenant.id, (db) =>
    db
      .insertInto("network_settings")
      .values({ tiers: settings.tiers ?? 10, unqualified_share: settings.unqualifiedShare ?? "skip" })
      .execute(),
  );
  return tenant;
}

export async function setUnqualifiedShare(tenantId: string, value: UnqualifiedShare) {
  await withTenant(tenantId, (db) => db.updateTable("network_settings").set({ unqualified_share: value }).execute());
}

/** One agent under a sponsor, with an account that has no password (no slow hashing for long chains). */
export async function insertAgent(
  tenantId: string,
  sponsorId: string | null,
  status: Extract<AgentStatus, "active" | "pending" | "suspended"> = "active",
  name?: string,
) {
  return withTenant(tenantId, async (db) => {
    const user = await db
      .insertInto("users")
      .values({ email: `${uniqueSlug("agent")}@example.com`, name: name ?? "Test Agent" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("user_roles").values({ user_id: user.id, role: "agent" }).execute();
    return (await createAgent(db, { userId: user.id, sponsorId, status })).id;
  });
}

/** A chain of `length` agents; returns them seller first (index 0 sells, index 1 is its sponsor …). */
export async function insertChain(tenantId: string, length: number): Promise<string[]> {
  const topDown: string[] = [];
  for (let i = 0; i < length; i++) topDown.push(await insertAgent(tenantId, topDown[i - 1] ?? null));
  return topDown.reverse();
}

export async function setStatus(tenantId: string, agentId: string, status: AgentStatus) {
  await withTenant(tenantId, (db) => db.updateTable("agents").set({ status }).where("id", "=", agentId).execute());
}

export async function product(tenantId: string, name = "Hibah Gold 270") {
  return (await insertProduct(tenantId, { name })).id;
}

const HIBAH_GOLD = JSON.parse(readFileSync("tenants/khholdings/catalogue.json", "utf8")).products.find(
  (p: { slug: string }) => p.slug === "hibah-senior-care-gold-270",
) as { name: string; rating: unknown };

/** KHHoldings' Hibah Senior Care Gold 270, rated as its catalogue has it (sold monthly and more), in a test agency. */
export async function hibahGoldProduct(tenantId: string): Promise<string> {
  const id = await product(tenantId, HIBAH_GOLD.name);
  await withTenant(tenantId, (db) =>
    db
      .updateTable("products")
      .set({ rating: JSON.stringify(HIBAH_GOLD.rating) })
      .where("id", "=", id)
      .execute(),
  );
  return id;
}

export function tiers(
  ...specs: (number | { rateBp?: number; fixedMinor?: number; capMinor?: number; minPersonalSales?: number; requiresActive?: boolean })[]
): TierInput[] {
  return specs.map((s, i) => {
    const spec = typeof s === "number" ? { rateBp: s } : s;
    return {
      tier: i + 1,
      kind: spec.fixedMinor !== undefined ? "fixed" : "percent",
      amountMinor: spec.fixedMinor ?? null,
      rateBp: spec.fixedMinor !== undefined ? null : (spec.rateBp ?? 0),
      capMinor: spec.capMinor ?? null,
      requiresActive: spec.requiresActive ?? true,
      minPersonalSales: spec.minPersonalSales ?? 0,
    };
  });
}

/**
 * A rule version written directly (the editor refuses the past; fixtures need it): from the start
 * of a day in Kuala Lumpur, or from an instant. It is in force until a later version starts.
 */
export async function insertRules(
  tenantId: string,
  productId: string,
  frequency: Frequency,
  list: TierInput[],
  from: string | Date = "2026-01-01",
) {
  await withTenant(tenantId, (db) =>
    insertVersion(db, {
      productId,
      frequency,
      effectiveAt: typeof from === "string" ? sql<Date>`${from}::timestamp at time zone ${KL}` : from,
      tiers: list,
      createdBy: null,
    }),
  );
}

/** The editor's fields for a list of tiers, as the browser posts them. */
export function tierFields(
  rows: { kind: "fixed" | "percent"; amount?: string; rate?: string; cap?: string; active?: boolean; minSales?: string }[],
) {
  const fields: Record<string, string> = {};
  rows.forEach((r, i) => {
    fields[`tiers[${i}].kind`] = r.kind;
    if (r.amount !== undefined) fields[`tiers[${i}].amount`] = r.amount;
    if (r.rate !== undefined) fields[`tiers[${i}].rate`] = r.rate;
    if (r.cap !== undefined) fields[`tiers[${i}].cap`] = r.cap;
    if (r.active ?? true) fields[`tiers[${i}].requiresActive`] = "on";
    fields[`tiers[${i}].minPersonalSales`] = r.minSales ?? "0";
  });
  return fields;
}

/** The editor's hidden `seen` field as the page hands it out: the latest version a form there is built from. */
export async function seenOf(browser: Browser, productId: string, frequency = "monthly"): Promise<string> {
  const page = await browser.get(`/admin/commission-rules/${productId}?frequency=${frequency}`);
  const seen = /name="seen" value="([^"]+)"/.exec(page.text)?.[1];
  if (!seen) throw new Error(`no seen field on the rules editor (${page.status})`);
  return seen;
}

export interface Sale {
  orderId: string;
  itemId: string;
  transactionId: string;
}

/** A completed first payment of one item sold by `agentId`, at `at`. */
export async function insertSale(
  tenantId: string,
  input: {
    agentId: string | null;
    productId: string;
    frequency: Frequency;
    amountMinor: number;
    at?: Date;
    leviesMinor?: number;
    /** Paid through this provider, under this providerRef (default: the sandbox, a random ref). */
    provider?: "sandbox" | "stripe" | "paystack";
    providerRef?: string;
  },
): Promise<Sale> {
  const at = input.at ?? new Date();
  return withTenant(tenantId, async (db) => {
    const tag = uniqueSlug("s").toUpperCase();
    const buyer = await db
      .insertInto("users")
      .values({ email: `${uniqueSlug("member")}@example.com`, name: "Member" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const order = await db
      .insertInto("orders")
      .values({
        reference: `TST-ORD-${tag}`,
        user_id: buyer.id,
        status: "paid",
        step: "payment",
        currency: "MYR",
        agent_id: input.agentId,
        paid_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const quote = await db
      .insertInto("quotes")
      .values({
        reference: `TST-Q-${tag}`,
        product_id: input.productId,
        user_id: buyer.id,
        inputs: JSON.stringify({}),
        breakdown: JSON.stringify(breakdownFor(input.frequency, { premiumMinor: input.amountMinor, leviesMinor: input.leviesMinor })),
        frequency: input.frequency,
        premium_minor: input.amountMinor,
        total_minor: input.amountMinor,
        currency: "MYR",
        valid_until: new Date(at.getTime() + 30 * 86_400_000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const perYear = { annual: 1, semi_annual: 2, quarterly: 4, monthly: 12 }[input.frequency];
    const levies = input.leviesMinor ?? 0;
    const item = await db
      .insertInto("order_items")
      .values({
        order_id: order.id,
        quote_id: quote.id,
        product_id: input.productId,
        position: 1,
        frequency: input.frequency,
        instalments_per_year: perYear,
        first_payment_minor: input.amountMinor + levies,
        later_instalment_minor: perYear === 1 ? 0 : input.amountMinor + levies,
        annual_premium_minor: input.amountMinor * perYear,
        levies_minor: levies * perYear,
        discount_minor: 0,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const tx = await db
      .insertInto("transactions")
      .values({
        order_id: order.id,
        user_id: buyer.id,
        provider: input.provider ?? "sandbox",
        method: "card",
        mode: "test",
        status: "completed",
        amount_minor: input.amountMinor + levies,
        currency: "MYR",
        provider_ref: input.providerRef ?? `sbx_${randomBytes(10).toString("hex")}`,
        completed_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { orderId: order.id, itemId: item.id, transactionId: tx.id };
  });
}

export const TENANT_CONTEXT = { timeZone: KL, currency: "MYR" };

/** A refund of part or all of a payment, completed at `completedAt` (what a provider's refund webhook leaves). */
export async function completedRefund(tenantId: string, transactionId: string, amountMinor: number, completedAt: Date): Promise<string> {
  return withTenant(tenantId, async (db) => {
    const refund = await db
      .insertInto("refunds")
      .values({
        transaction_id: transactionId,
        amount_minor: amountMinor,
        reason: "Customer cancelled",
        status: "completed",
        completed_at: completedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return refund.id;
  });
}

/** Runs the ledger for some payments, as the job does. */
export async function record(tenantId: string, transactionIds: string[]): Promise<number> {
  return withTenant(tenantId, async (db) => recordCommissions(db, await ledgerSettingsFor(db, TENANT_CONTEXT), { transactionIds }));
}

export interface EntryView {
  agentId: string;
  tier: number | null;
  kind: string;
  amountMinor: number;
  month: string;
  status: string;
  passedFrom: string | null;
}

export async function entriesOf(tenantId: string, where: (db: TenantDb) => Promise<EntryView[]> = defaultEntries) {
  return withTenant(tenantId, where);
}

async function defaultEntries(db: TenantDb): Promise<EntryView[]> {
  const rows = await db
    .selectFrom("commission_entry_states")
    .select(["agent_id", "tier", "kind", "amount_minor", "month", "status", "passed_from_agent_id"])
    .orderBy("created_at")
    .orderBy("tier")
    .execute();
  return rows.map((r) => ({
    agentId: r.agent_id,
    tier: r.tier,
    kind: r.kind,
    amountMinor: r.amount_minor,
    month: r.month,
    status: r.status,
    passedFrom: r.passed_from_agent_id,
  }));
}

export function entriesForTransaction(tenantId: string, transactionId: string) {
  return entriesOf(tenantId, async (db) => {
    const rows = await db
      .selectFrom("commission_entry_states")
      .select(["agent_id", "tier", "kind", "amount_minor", "month", "status", "passed_from_agent_id"])
      .where("transaction_id", "=", transactionId)
      .orderBy("kind")
      .orderBy("tier")
      .execute();
    return rows.map((r) => ({
      agentId: r.agent_id,
      tier: r.tier,
      kind: r.kind,
      amountMinor: r.amount_minor,
      month: r.month,
      status: r.status,
      passedFrom: r.passed_from_agent_id,
    }));
  });
}

/** KHHoldings' network file, as seeded. */
export function khholdingsNetwork() {
  return networkManifestSchema.parse(JSON.parse(readFileSync("tenants/khholdings/network.json", "utf8")));
}
