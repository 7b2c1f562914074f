import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { OrderHolder } from "~db/schema";
import { paymentOptions } from "~/modules/payments/settings.server";
import { productLifecycle, type ProductLifecycle } from "~/modules/policies/lifecycle";
import { policyRules } from "~/modules/policies/premiums.server";
import { inputsInForce, lockPolicy } from "~/modules/policies/versions.server";
import { createQuote, getQuote, type QuoteBreakdown, type SavedQuote } from "~/modules/quotes/quotes.server";
import { addDays } from "~/modules/rating/dates";
import { nextNumber } from "~/modules/tenancy/numbers.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { explainChanges, type PriceChange } from "./changes";
import { claimFreeYears, noClaimsDiscountBp, noClaimsLabel } from "./no-claims";

/**
 * Renewal (issue 13, docs/decisions/028-renewals.md): a new policy linked to the one it renews,
 * bought through the checkout's own order and payment step on a quote re-rated under today's rules
 * for the renewal's start (the day after the old end). The rules of who may renew when live here,
 * so the renew page, the daily job and auto-renew answer alike.
 */

export type RenewalTenant = Pick<TenantInfo, "id" | "currency" | "locale" | "timeZone" | "numberPrefix">;

export type RenewalRefusalCode =
  "not_found" | "not_renewable" | "already_renewed" | "not_in_force" | "too_early" | "too_late" | "not_priced";
/** `opensOn` and `days` (too early): what the renew page needs to say the message in the reader's words. */
export type RenewalRefusal = { ok: false; code: RenewalRefusalCode; message: string; opensOn?: string; days?: number };

export interface RenewablePolicy {
  id: string;
  userId: string;
  policyNumber: string | null;
  status: string;
  startDate: string | null;
  endDate: string | null;
  frequency: string;
  autoRenew: boolean;
  quoteId: string;
  orderId: string;
  productSlug: string;
  productName: string;
  lifecycle: ProductLifecycle;
  renewedById: string | null;
}

/** The policy with what renewal needs; with `userId`, only that customer's (anyone else's is not found). */
export async function renewablePolicy(db: TenantDb, policyId: string, userId?: string): Promise<RenewablePolicy | undefined> {
  let query = db
    .selectFrom("policies")
    .innerJoin("products", "products.id", "policies.product_id")
    .leftJoin("policies as next", "next.renewal_of_policy_id", "policies.id")
    .select([
      "policies.id",
      "policies.user_id",
      "policies.policy_number",
      "policies.status",
      "policies.start_date",
      "policies.end_date",
      "policies.frequency",
      "policies.auto_renew",
      "policies.quote_id",
      "policies.order_id",
      "products.slug",
      "products.name",
      "products.lifecycle",
      "next.id as next_id",
    ])
    .where("policies.id", "=", policyId);
  if (userId) query = query.where("policies.user_id", "=", userId);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    userId: row.user_id,
    policyNumber: row.policy_number,
    status: row.status,
    startDate: row.start_date,
    endDate: row.end_date,
    frequency: row.frequency,
    autoRenew: row.auto_renew,
    quoteId: row.quote_id,
    orderId: row.order_id,
    productSlug: row.slug,
    productName: row.name,
    lifecycle: productLifecycle(row.lifecycle),
    renewedById: row.next_id,
  };
}

/**
 * Whether the policy may be renewed today: issued and in force (active or in grace), its product
 * renewable, not renewed yet, and from the first offer day (the largest of the tenant's offer days
 * before the end) to its last day of cover.
 */
export function renewalRefusal(policy: RenewablePolicy, offerDays: readonly number[], today: string): RenewalRefusal | null {
  const refuse = (code: RenewalRefusalCode, message: string): RenewalRefusal => ({ ok: false, code, message });
  if (!policy.lifecycle.renewable) return refuse("not_renewable", `${policy.productName} cannot be renewed: buy new cover instead.`);
  if (policy.renewedById) return refuse("already_renewed", "This policy is already renewed.");
  if (!policy.policyNumber || !policy.endDate || !["active", "grace"].includes(policy.status))
    return refuse("not_in_force", "Only a policy in force can be renewed.");
  const opensOn = addDays(policy.endDate, -Math.max(...offerDays, 0));
  if (today < opensOn)
    return {
      ...refuse("too_early", `Renewal opens on ${opensOn}, ${Math.max(...offerDays, 0)} days before the cover ends.`),
      opensOn,
      days: Math.max(...offerDays, 0),
    };
  if (today > policy.endDate) return refuse("too_late", "This policy's cover has ended: buy new cover instead.");
  return null;
}

/** The terms of a renewal chain, newest first (this policy, then the one it renewed, …), with whether each had a paid claim. */
export async function termsWithClaims(db: TenantDb, policyId: string): Promise<{ policyId: string; hadPaidClaim: boolean }[]> {
  const rows = await sql<{ id: string; depth: number; paid: boolean }>`
    with recursive chain as (
      select id, renewal_of_policy_id, 0 as depth from policies where id = ${policyId}
      union all
      select p.id, p.renewal_of_policy_id, c.depth + 1 from policies p join chain c on p.id = c.renewal_of_policy_id where c.depth < 50
    )
    select c.id, c.depth,
           exists (select 1 from claims cl where cl.policy_id = c.id and cl.status in ('approved', 'settled')) as paid
    from chain c order by c.depth
  `.execute(db);
  return rows.rows.map((r) => ({ policyId: r.id, hadPaidClaim: r.paid }));
}

export interface RenewalQuote {
  quote: SavedQuote;
  startDate: string;
  changes: PriceChange[];
  oldAnnualMinor: number;
  claimFreeYears: number | null;
  noClaimsBp: number;
}

/**
 * The renewal's quote: the latest one still valid, else a new one on the inputs in force, priced
 * for the renewal's start with the product's rules of today and, for a product with a no-claims
 * scale, the discount the chain's claim-free years earn (a line of its own, so levies follow it).
 */
export async function renewalQuote(
  db: TenantDb,
  tenant: RenewalTenant,
  policy: RenewablePolicy,
): Promise<{ ok: true; renewal: RenewalQuote } | RenewalRefusal> {
  const startDate = addDays(policy.endDate!, 1);
  const ncd = policy.lifecycle.noClaimsDiscount;
  const years = ncd ? claimFreeYears(await termsWithClaims(db, policy.id)) : null;
  const rateBp = ncd && years !== null ? noClaimsDiscountBp(ncd.stepsBp, years) : 0;

  const latest = await db
    .selectFrom("quotes")
    .select("id")
    .where("renewal_of_policy_id", "=", policy.id)
    .where(sql<boolean>`valid_until > now()`)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  let quote = latest ? await getQuote(db, latest.id) : undefined;
  if (!quote) {
    const created = await createQuote(db, tenant, {
      productSlug: policy.productSlug,
      input: await inputsInForce(db, policy.id),
      frequency: policy.frequency,
      userId: policy.userId,
      renewal: {
        ofPolicyId: policy.id,
        startDate,
        extraPremium: rateBp > 0 ? [{ kind: "discount", code: "no_claims", label: noClaimsLabel(years!, rateBp), rateBp }] : [],
      },
    });
    if (!created.ok) {
      const why = Object.values(created.errors).flat().join(" ");
      return {
        ok: false,
        code: "not_priced",
        message: `We could not price this renewal online${why ? `: ${why}` : ""}. Please contact us.`,
      };
    }
    quote = created.quote;
  }
  const old = await getQuote(db, policy.quoteId);
  const current = await db.selectFrom("policies").select("annual_premium_minor").where("id", "=", policy.id).executeTakeFirstOrThrow();
  return {
    ok: true,
    renewal: {
      quote,
      startDate,
      changes: explainChanges(old ? (old.breakdown as QuoteBreakdown).lines : [], quote.breakdown.lines),
      oldAnnualMinor: current.annual_premium_minor,
      claimFreeYears: years,
      noClaimsBp: rateBp,
    },
  };
}

/**
 * One step to renew: the renewal quote as an order of its own, the predecessor's holder, identifiers
 * and beneficiaries copied, credited to the same agent (so the upline earns on the renewal's
 * payments as on the sale's), terms accepted by the customer's click, at the checkout's payment
 * step. Asked twice (a double click, the job and the customer), the same draft order comes back.
 */
export async function startRenewal(
  db: TenantDb,
  tenant: RenewalTenant,
  input: { policyId: string; userId?: string; today: string },
): Promise<{ ok: true; orderId: string; quote: SavedQuote } | RenewalRefusal> {
  // The policy's lock: two requests to renew it are served one after the other.
  const locked = await lockPolicy(db, input.policyId);
  if (!locked || (input.userId && locked.user_id !== input.userId))
    return { ok: false, code: "not_found", message: "We could not find that policy." };
  const policy = (await renewablePolicy(db, input.policyId))!;
  const rules = await policyRules(db, tenant.id);
  const refused = renewalRefusal(policy, rules.renewalOfferDays, input.today);
  if (refused) return refused;
  const priced = await renewalQuote(db, tenant, policy);
  if (!priced.ok) return priced;
  const { quote } = priced.renewal;

  const draft = await db
    .selectFrom("orders")
    .innerJoin("order_items", "order_items.order_id", "orders.id")
    .select("orders.id")
    .where("order_items.quote_id", "=", quote.id)
    .where("orders.status", "=", "draft")
    .executeTakeFirst();
  if (draft) return { ok: true, orderId: draft.id, quote };

  const previous = await db.selectFrom("orders").selectAll().where("id", "=", policy.orderId).executeTakeFirstOrThrow();
  const options = await paymentOptions(db, tenant);
  const method = options.find((o) => o.method === previous.payment_method)?.method ?? options[0]?.method ?? null;
  const reference = await nextNumber(db, tenant.numberPrefix, "order", Number(input.today.slice(0, 4)));
  const order = await db
    .insertInto("orders")
    .values({
      reference,
      user_id: policy.userId,
      cart_id: null,
      currency: tenant.currency,
      holder: JSON.stringify(previous.holder as OrderHolder),
      agent_id: previous.agent_id,
      step: "payment",
      terms_accepted_at: new Date(),
      payment_method: method,
      payment_phone: method === previous.payment_method ? previous.payment_phone : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("order_items").values({ order_id: order.id, quote_id: quote.id, product_id: quote.productId, position: 0 }).execute();
  await db
    .insertInto("personal_identifiers")
    .columns(["order_id", "kind", "ciphertext", "blind_index", "masked"])
    .expression((eb) =>
      eb
        .selectFrom("personal_identifiers")
        .select([sql.lit(order.id).as("order_id"), "kind", "ciphertext", "blind_index", "masked"])
        .where("order_id", "=", policy.orderId),
    )
    .execute();
  await db
    .insertInto("beneficiaries")
    .columns(["order_id", "position", "name", "relationship", "share_bp"])
    .expression((eb) =>
      eb
        .selectFrom("beneficiaries")
        .select([sql.lit(order.id).as("order_id"), "position", "name", "relationship", "share_bp"])
        .where("order_id", "=", policy.orderId),
    )
    .execute();
  await recordStateChange(db, {
    entity: "order",
    entityId: order.id,
    from: null,
    to: "draft",
    event: "renewal_started",
    reason: `Renewal of ${policy.policyNumber}`,
    actorUserId: input.userId ?? null,
  });
  return { ok: true, orderId: order.id, quote };
}

/** The customer turns auto-renew on or off, where the product offers it. */
export async function setAutoRenew(
  db: TenantDb,
  input: { policyId: string; userId: string; on: boolean },
): Promise<{ ok: true } | { ok: false; message: string }> {
  const policy = await renewablePolicy(db, input.policyId, input.userId);
  if (!policy) return { ok: false, message: "We could not find that policy." };
  if (!policy.lifecycle.renewable || !policy.lifecycle.autoRenew)
    return { ok: false, message: `${policy.productName} does not renew by itself.` };
  await db.updateTable("policies").set({ auto_renew: input.on, updated_at: new Date() }).where("id", "=", policy.id).execute();
  return { ok: true };
}

/**
 * The policies either side of this one in its renewal chain, for both policy pages, and (given
 * today) whether it may be renewed now, so a renew link shows only while it works.
 */
export async function renewalLinks(db: TenantDb, policyId: string, today?: string) {
  const row = await db
    .selectFrom("policies")
    .leftJoin("policies as prev", "prev.id", "policies.renewal_of_policy_id")
    .leftJoin("policies as next", "next.renewal_of_policy_id", "policies.id")
    .select(["prev.id as prevId", "prev.policy_number as prevNumber", "next.id as nextId", "next.policy_number as nextNumber"])
    .where("policies.id", "=", policyId)
    .executeTakeFirst();
  const policy = today ? await renewablePolicy(db, policyId) : undefined;
  // policy_rules is one row per tenant, read under the caller's tenant scope (the id argument is unused).
  const offerDays = policy ? (await policyRules(db, "")).renewalOfferDays : [];
  const canRenew = policy && today ? renewalRefusal(policy, offerDays, today) === null : false;
  return {
    renewalOf: row?.prevId ? { id: row.prevId, policyNumber: row.prevNumber } : null,
    renewedBy: row?.nextId ? { id: row.nextId, policyNumber: row.nextNumber } : null,
    canRenew,
  };
}
export type RenewalLinks = Awaited<ReturnType<typeof renewalLinks>>;
