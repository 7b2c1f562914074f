import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { withPlatform, withTenant } from "~db/client";
import type { Frequency } from "~db/schema";
import { catalogueSchema } from "~/modules/catalogue/manifest";
import { seedCatalogue } from "~/modules/catalogue/seed.server";
import { ensureSandbox } from "~/modules/payments/settings.server";
import { addMonths, coverEndDate } from "~/modules/policies/schedule";
import { tenantById, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { createTenant, ownerDb, uniqueSlug } from "../support/db";

/**
 * Cancellation fixtures (not a test file): an agency with Bowman's own catalogue (tenants/bowman),
 * and issued policies written straight into the tables with the dates, instalments and payments a
 * test chooses, so every refund can be worked out by hand to the cent.
 */
const PARSED = catalogueSchema.parse(JSON.parse(readFileSync("tenants/bowman/catalogue.json", "utf8")));
// The demo reviews name the demo customers, who live in the seeded Bowman only.
const BOWMAN = { ...PARSED, products: PARSED.products.map((p) => ({ ...p, reviews: [] })) };

export async function bowmanStore(): Promise<TenantInfo & { host: string }> {
  const store = await createTenant();
  await withPlatform((db) =>
    db
      .updateTable("tenants")
      .set({
        currency: "KES",
        locale: "en-KE",
        time_zone: "Africa/Nairobi",
        settings: JSON.stringify({ levies: BOWMAN.levies, quoteValidityDays: 30, bundleDiscounts: [] }),
        manifest: sql`jsonb_set(manifest, '{numbering}', jsonb_build_object('prefix', 'BWM'::text))`,
      })
      .where("id", "=", store.id)
      .execute(),
  );
  await withTenant(store.id, async (db) => {
    await seedCatalogue(db, BOWMAN, { currency: "KES", timeZone: "Africa/Nairobi" });
    await ensureSandbox(db, store.id);
  });
  const tenant = await tenantById(store.id);
  if (!tenant) throw new Error("tenant vanished");
  return { ...tenant, host: `${store.slug}.localhost` };
}

export interface IssuedPolicy {
  policyId: string;
  orderId: string;
  itemId: string;
  policyNumber: string;
  instalmentIds: string[];
  /** The payments, first (the order's) to last. */
  transactionIds: string[];
}

const PER_YEAR: Record<Frequency, number> = { annual: 1, semi_annual: 2, quarterly: 4, monthly: 12 };

/**
 * An issued policy of `productSlug`: cover from `start` to `end` (a year less a day unless given),
 * issued at noon of `issuedOn` in the tenant's zone, its instalments (`firstMinor`, then
 * `laterMinor` each), the first `paid` of them paid: the first by the order's payment, each later
 * one by a payment of its own (`provider`: the sandbox, or cash an agent collected).
 */
export async function issuedPolicy(
  tenant: Pick<TenantInfo, "id" | "currency">,
  input: {
    userId: string;
    /** The product by its slug, or by its id. */
    productSlug: string;
    productId?: string;
    frequency: Frequency;
    start: string;
    end?: string;
    issuedOn?: string;
    firstMinor: number;
    laterMinor?: number;
    paid?: number;
    provider?: "sandbox" | "offline";
    agentId?: string | null;
    status?: "active" | "grace" | "lapsed" | "expired" | "declined" | "cancelled";
  },
): Promise<IssuedPolicy> {
  const n = PER_YEAR[input.frequency];
  const later = input.laterMinor ?? (n > 1 ? input.firstMinor : 0);
  const paid = input.paid ?? 1;
  const end = input.end ?? coverEndDate(input.start);
  const issuedAt = new Date(`${input.issuedOn ?? input.start}T09:00:00Z`);
  const provider = input.provider ?? "sandbox";
  return withTenant(tenant.id, async (db) => {
    const tag = uniqueSlug("c").toUpperCase();
    const product = input.productId
      ? { id: input.productId }
      : await db.selectFrom("products").select(["id"]).where("slug", "=", input.productSlug).executeTakeFirstOrThrow();
    const quote = await db
      .insertInto("quotes")
      .values({
        reference: `TST-QTE-${tag}`,
        product_id: product.id,
        user_id: input.userId,
        inputs: JSON.stringify({}),
        breakdown: JSON.stringify({ lines: [] }),
        frequency: input.frequency,
        premium_minor: input.firstMinor,
        total_minor: input.firstMinor,
        currency: tenant.currency,
        valid_until: new Date(issuedAt.getTime() + 30 * 86_400_000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const order = await db
      .insertInto("orders")
      .values({
        reference: `TST-ORD-${tag}`,
        user_id: input.userId,
        status: "paid",
        step: "payment",
        holder: JSON.stringify({ name: "Amina Hassan", email: `holder-${tag.toLowerCase()}@example.com` }),
        currency: tenant.currency,
        agent_id: input.agentId ?? null,
        origin: "http://shop.localhost",
        paid_at: issuedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const item = await db
      .insertInto("order_items")
      .values({
        order_id: order.id,
        quote_id: quote.id,
        product_id: product.id,
        position: 1,
        frequency: input.frequency,
        instalments_per_year: n,
        first_payment_minor: input.firstMinor,
        later_instalment_minor: later,
        annual_premium_minor: input.firstMinor + later * (n - 1),
        levies_minor: 0,
        discount_minor: 0,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const policyNumber = `TST-POL-${tag}`;
    const policy = await db
      .insertInto("policies")
      .values({
        order_item_id: item.id,
        order_id: order.id,
        user_id: input.userId,
        product_id: product.id,
        quote_id: quote.id,
        policy_number: policyNumber,
        status: input.status ?? "active",
        frequency: input.frequency,
        instalment_minor: later || input.firstMinor,
        annual_premium_minor: input.firstMinor + later * (n - 1),
        currency: tenant.currency,
        start_date: input.start,
        end_date: end,
        verification_code: randomBytes(9).toString("hex").toUpperCase(),
        issued_at: issuedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("policy_versions")
      .values({
        policy_id: policy.id,
        version: 1,
        kind: "issue",
        effective_date: input.start,
        annual_premium_minor: input.firstMinor + later * (n - 1),
        currency: tenant.currency,
        inputs: JSON.stringify({}),
        summary: "Policy issued",
      })
      .execute();
    const instalmentIds: string[] = [];
    const transactionIds: string[] = [];
    for (let i = 0; i < n; i++) {
      const due = addMonths(input.start, (i * 12) / n);
      const isPaid = i < paid;
      const row = await db
        .insertInto("instalments")
        .values({
          policy_id: policy.id,
          sequence: i + 1,
          due_date: due,
          amount_minor: i === 0 ? input.firstMinor : later,
          status: isPaid ? "paid" : "scheduled",
          paid_at: isPaid ? new Date(`${due}T09:00:00Z`) : null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      instalmentIds.push(row.id);
      if (!isPaid) continue;
      const tx = await db
        .insertInto("transactions")
        .values({
          order_id: i === 0 ? order.id : null,
          instalment_id: i === 0 ? null : row.id,
          user_id: input.userId,
          provider,
          method: provider === "offline" ? "cash" : "card",
          mode: "test",
          status: "completed",
          amount_minor: i === 0 ? input.firstMinor : later,
          currency: tenant.currency,
          provider_ref: provider === "offline" ? null : `sbx_${randomBytes(12).toString("hex")}`,
          completed_at: i === 0 ? issuedAt : new Date(`${due}T09:00:00Z`),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db.updateTable("instalments").set({ transaction_id: tx.id }).where("id", "=", row.id).execute();
      transactionIds.push(tx.id);
    }
    return { policyId: policy.id, orderId: order.id, itemId: item.id, policyNumber, instalmentIds, transactionIds };
  });
}

/** A claim on the policy paid `amountMinor` (a paid settlement), as the claims office leaves it. */
export async function paidClaim(tenantId: string, policyId: string, userId: string, amountMinor: number, incidentDate: string) {
  await withTenant(tenantId, async (db) => {
    const policy = await db.selectFrom("policies").select(["currency", "start_date"]).where("id", "=", policyId).executeTakeFirstOrThrow();
    const tag = uniqueSlug("clm").toUpperCase();
    const claim = await db
      .insertInto("claims")
      .values({
        claim_number: `TST-CLM-${tag}`,
        policy_id: policyId,
        claimant_user_id: userId,
        filed_by_user_id: userId,
        claim_type: "accident",
        incident_date: incidentDate,
        incident_place: "Nairobi",
        description: "A test claim",
        claimed_minor: amountMinor,
        currency: policy.currency,
        status: "settled",
        eligibility_flags: JSON.stringify([]),
        policy_year_start: policy.start_date!,
        approved_minor: amountMinor,
        payable_minor: amountMinor,
        decision: "approved",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("claim_settlements")
      .values({
        claim_id: claim.id,
        reference: `TST-STL-${tag}`,
        method: "manual",
        amount_minor: amountMinor,
        currency: policy.currency,
        status: "paid",
        payee_name: "Amina Hassan",
        paid_at: new Date(),
      })
      .execute();
  });
}

/** A product's lifecycle rules, as the product form would save them. */
export async function setLifecycle(tenantId: string, productSlug: string, lifecycle: Record<string, unknown>) {
  await withTenant(tenantId, (db) =>
    db
      .updateTable("products")
      .set({ lifecycle: JSON.stringify(lifecycle) })
      .where("slug", "=", productSlug)
      .execute(),
  );
}

export const refundsOf = (policyId: string) =>
  ownerDb().selectFrom("refunds").selectAll().where("policy_id", "=", policyId).orderBy("created_at").orderBy("id").execute();
export const policyRow = (policyId: string) =>
  ownerDb().selectFrom("policies").selectAll().where("id", "=", policyId).executeTakeFirstOrThrow();
export const versionsOf = (policyId: string) =>
  ownerDb().selectFrom("policy_versions").selectAll().where("policy_id", "=", policyId).orderBy("version").execute();
