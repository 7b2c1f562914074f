import type { TenantDb } from "~db/client";
import type { OfflineMethod, OrderHolder, ProductRequirements } from "~db/schema";
import { formatMoney } from "~/lib/money";
import type { Actor } from "~/modules/audit/audit.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { checkoutRequirements, saveDetails } from "~/modules/checkout/details.server";
import { acceptTerms, loadOrder, payableItems, reviewVersion, type CheckoutOrder } from "~/modules/checkout/orders.server";
import { savePlan } from "~/modules/checkout/plan.server";
import type { DetailsValue } from "~/modules/checkout/schemas";
import { notify } from "~/modules/notifications/notify.server";
import { normaliseKenyanPhone } from "~/modules/payments/providers/phone";
import { freezeOrderAmounts } from "~/modules/payments/payments.server";
import { recordOfflinePayment, type OfflineOutcome } from "~/modules/payments/offline.server";
import { paymentOptions } from "~/modules/payments/settings.server";
import { decryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { createQuote, type QuoteTenant } from "~/modules/quotes/quotes.server";
import { FREQUENCIES, FREQUENCY_LABELS, parseRating, quoteDateIn, type Frequency } from "~/modules/rating";
import { nextNumber } from "~/modules/tenancy/numbers.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { agentIsActive, type Member, type MemberAgent } from "./members.server";
import { memberStanding } from "./status.server";

/**
 * An agent sells a product to one of their members, through the checkout machinery: a quote for the
 * member's account (the storefront's rating, the product's quote inputs and a frequency it offers),
 * an order credited to the agent (orders.agent_id) with the member as holder and their MyKad number
 * copied into the order's identifiers, the checkout's details, plan and terms steps, and amounts
 * frozen as a payment would freeze them. Then the member pays online through a link, or the agent
 * records money collected offline for staff to confirm.
 *
 * Steps follow the order's own `step` (details → review → payment): the plan step is the frequency
 * chosen with the quote, so it is saved with the details.
 */

type SaleTenant = QuoteTenant & Pick<TenantInfo, "name" | "branding">;

export interface SaleProduct {
  slug: string;
  name: string;
  insurerName: string;
  categoryName: string;
  /** The payment frequencies it offers, in order (the page names them in the agent's language). */
  frequencies: Frequency[];
  requirements: ProductRequirements;
}

/** What an agent may sell: the tenant's products on sale (active, from an active insurer and category). */
export async function saleProducts(db: TenantDb): Promise<SaleProduct[]> {
  const rows = await db
    .selectFrom("products")
    .innerJoin("insurers", "insurers.id", "products.insurer_id")
    .innerJoin("categories", "categories.id", "products.category_id")
    .select([
      "products.slug",
      "products.name",
      "products.rating",
      "products.requirements",
      "insurers.name as insurer_name",
      "categories.name as category_name",
    ])
    .where("products.active", "=", true)
    .where("insurers.active", "=", true)
    .where("categories.active", "=", true)
    .orderBy("categories.name")
    .orderBy("products.name")
    .execute();
  return rows.map((r) => {
    const rating = parseRating(r.rating);
    return {
      slug: r.slug,
      name: r.name,
      insurerName: r.insurer_name,
      categoryName: r.category_name,
      frequencies: FREQUENCIES.filter((f) => rating.frequencies[f]),
      requirements: (r.requirements ?? {}) as ProductRequirements,
    };
  });
}

export type StartSaleResult =
  { ok: true; orderId: string } | { ok: false; code: "not_found" | "invalid" | "inactive"; errors: Record<string, string[]> };

/**
 * Step 1: the product priced for the member (their quote inputs and frequency), as a new draft order
 * credited to the agent, holder = the member, their MyKad number copied (still encrypted) into the
 * order's identifiers.
 */
export async function startSale(
  db: TenantDb,
  tenant: SaleTenant,
  agent: MemberAgent,
  member: Member,
  input: { productSlug: string; form: unknown; frequency: string | null },
  actor: Actor,
): Promise<StartSaleResult> {
  if (!(await agentIsActive(db, agent.id)))
    return { ok: false, code: "inactive", errors: { form: ["Only an active agent can sell. Contact the agency."] } };
  // A suspended or terminated member is sold nothing new (decision 035).
  const refused = await memberStanding(db, member.userId, "sell");
  if (refused) return { ok: false, code: "inactive", errors: { form: [refused] } };
  const created = await createQuote(db, tenant, {
    productSlug: input.productSlug,
    input: input.form,
    frequency: input.frequency,
    userId: member.userId,
  });
  if (!created.ok) return created;
  const quote = created.quote;

  const previous = await lastHolder(db, agent.id, member.userId);
  const holder: OrderHolder = {
    ...previous,
    name: member.name,
    email: member.email,
    ...(member.phone ? { phone: member.phone } : {}),
  };
  const reference = await nextNumber(db, tenant.numberPrefix, "order", Number(quoteDateIn(tenant.timeZone).slice(0, 4)));
  const order = await db
    .insertInto("orders")
    .values({
      reference,
      user_id: member.userId,
      cart_id: null,
      currency: tenant.currency,
      holder: JSON.stringify(holder),
      agent_id: agent.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("order_items").values({ order_id: order.id, quote_id: quote.id, product_id: quote.productId, position: 0 }).execute();
  // The member's MyKad number as registered: the same ciphertext, blind index and mask (one context per tenant and kind).
  const nric = await db
    .selectFrom("members")
    .select(["nric_ciphertext", "nric_blind_index", "nric_masked"])
    .where("id", "=", member.id)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("personal_identifiers")
    .values({
      order_id: order.id,
      kind: "nric",
      ciphertext: nric.nric_ciphertext,
      blind_index: nric.nric_blind_index,
      masked: nric.nric_masked,
    })
    .execute();
  await recordStateChange(db, {
    entity: "order",
    entityId: order.id,
    from: null,
    to: "draft",
    event: "agent_sale_started",
    actorUserId: agent.userId,
  });
  await recordAudit(db, actor, {
    action: "member.sale_started",
    targetType: "order",
    targetId: order.id,
    details: { memberId: member.id, agentId: agent.id, product: quote.productSlug, frequency: quote.frequency, quoteId: quote.id },
  });
  return { ok: true, orderId: order.id };
}

/** The holder details given on the member's last order with this agent: date of birth and address need not be typed twice. */
async function lastHolder(db: TenantDb, agentId: string, userId: string): Promise<OrderHolder> {
  const row = await db
    .selectFrom("orders")
    .select("holder")
    .where("user_id", "=", userId)
    .where("agent_id", "=", agentId)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  const holder = (row?.holder ?? {}) as OrderHolder;
  return { ...(holder.dateOfBirth ? { dateOfBirth: holder.dateOfBirth } : {}), ...(holder.address ? { address: holder.address } : {}) };
}

/** A sale of this agent to this member, or undefined: anyone else's order is not found. */
export async function saleOrder(
  db: TenantDb,
  agentId: string,
  member: Pick<Member, "userId">,
  orderId: string,
): Promise<CheckoutOrder | undefined> {
  const owned = await db
    .selectFrom("orders")
    .select("id")
    .where("id", "=", orderId)
    .where("agent_id", "=", agentId)
    .where("user_id", "=", member.userId)
    .executeTakeFirst();
  return owned ? loadOrder(db, orderId, member.userId) : undefined;
}

/** The member's date of birth as their MyKad number says it (YYMMDD; the century that makes them an adult today). */
export function dateOfBirthFromNric(nric: string, today: string): string | null {
  if (!/^\d{6}/.test(nric)) return null;
  const yy = Number(nric.slice(0, 2));
  const mmdd = `${nric.slice(2, 4)}-${nric.slice(4, 6)}`;
  const thisYear = Number(today.slice(0, 4));
  const in2000s = 2000 + yy;
  const year = in2000s <= thisYear - 18 ? in2000s : 1900 + yy;
  return `${year}-${mmdd}`;
}

/** The member's MyKad number, decrypted on the server only (to check the date of birth against it). */
async function memberNric(db: TenantDb, tenantId: string, memberId: string): Promise<string> {
  const row = await db.selectFrom("members").select("nric_ciphertext").where("id", "=", memberId).executeTakeFirstOrThrow();
  return decryptPii(row.nric_ciphertext, { key: piiKeysFromEnv(), context: piiContext(tenantId, "nric") });
}

/** The date of birth to suggest: the one given before, else the one the MyKad number carries. */
export async function suggestedDateOfBirth(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "timeZone">,
  memberId: string,
): Promise<string | null> {
  return dateOfBirthFromNric(await memberNric(db, tenant.id, memberId), quoteDateIn(tenant.timeZone));
}

/**
 * Step 2: the holder's details and beneficiaries (checkout's saveDetails), checked against the
 * member's MyKad number, then the plan: the frequency already chosen, and the member's online method
 * for a payment link (card, or M-Pesa to their phone where M-Pesa is offered).
 */
export async function saveSaleDetails(
  db: TenantDb,
  tenant: SaleTenant,
  order: CheckoutOrder,
  member: Member,
  value: DetailsValue,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string[]> }> {
  if (order.status !== "draft") return { ok: false, errors: { form: ["This order is no longer open."] } };
  const nric = await memberNric(db, tenant.id, member.id);
  if (nric.slice(0, 6) !== value.dateOfBirth.slice(2).replace(/-/g, ""))
    return { ok: false, errors: { dateOfBirth: [`This date does not match the member's MyKad number (${member.nricMasked}).`] } };
  const saved = await saveDetails(db, tenant, order, value);
  if (!saved.ok) return saved;

  const options = await paymentOptions(db, tenant);
  const online = options.find((o) => o.method === "card") ?? options[0];
  if (!online) {
    // No online method here: the plan is the frequency alone, and the member pays the agent.
    await db
      .updateTable("orders")
      .set({ step: "review", terms_accepted_at: null, updated_at: new Date() })
      .where("id", "=", order.id)
      .execute();
    return { ok: true };
  }
  const phone = online.method === "mpesa" ? normaliseKenyanPhone(value.phone) : null;
  const reloaded = (await loadOrder(db, order.id, member.userId))!;
  return savePlan(db, tenant, reloaded, member.userId, {
    method: online.method,
    phone: phone?.ok ? phone.phone : null,
    items: reloaded.lines.map((l) => ({ itemId: l.id, frequency: l.quote.frequency })),
  });
}

export interface SaleAmounts {
  dueNowMinor: number;
  items: {
    id: string;
    productName: string;
    insurerName: string;
    frequency: string;
    firstPaymentMinor: number;
    laterInstalmentMinor: number;
    instalmentsPerYear: number;
    annualPremiumMinor: number;
  }[];
}

/** What the order charges, from its quotes (never from a form). */
export async function saleAmounts(db: TenantDb, tenantId: string, order: CheckoutOrder): Promise<SaleAmounts> {
  const { items, dueNowMinor } = await payableItems(db, tenantId, order);
  return {
    dueNowMinor,
    items: items.map((i) => ({
      id: i.orderItemId,
      productName: i.productName,
      insurerName: i.insurerName,
      frequency: FREQUENCY_LABELS[i.frequency],
      firstPaymentMinor: i.firstPaymentMinor,
      laterInstalmentMinor: i.laterInstalmentMinor,
      instalmentsPerYear: i.instalmentsPerYear,
      annualPremiumMinor: i.annualPremiumMinor,
    })),
  };
}

/**
 * Step 3: the member has read the terms and agrees (the agent confirms it, as on a paper proposal):
 * checkout's acceptTerms, then the amounts are frozen onto the items, ready for payment.
 */
export async function confirmSaleTerms(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id">,
  order: CheckoutOrder,
  version: string,
  actor: Actor & { userId: string },
): Promise<{ ok: true } | { ok: false; errors: Record<string, string[]> }> {
  const accepted = await acceptTerms(db, order, version);
  if (!accepted.ok) return accepted;
  const { items, dueNowMinor } = await payableItems(db, tenant.id, order);
  await freezeOrderAmounts(db, { items });
  await recordAudit(db, actor, {
    action: "member.sale_terms_accepted",
    targetType: "order",
    targetId: order.id,
    details: { version, dueNowMinor, currency: order.currency },
  });
  return { ok: true };
}

export { reviewVersion };

/** Option (a): the member is emailed a link to the order's pay page; they sign in and pay online. */
export async function sendPaymentLink(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "name" | "locale" | "branding">,
  agent: MemberAgent,
  member: Member,
  order: CheckoutOrder,
  origin: string,
  actor: Actor,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string[]> }> {
  if (!(await agentIsActive(db, agent.id))) return { ok: false, errors: { form: ["Only an active agent can sell. Contact the agency."] } };
  const refused = await memberStanding(db, member.userId, "sell");
  if (refused) return { ok: false, errors: { form: [refused] } };
  if (order.status !== "draft") return { ok: false, errors: { form: ["This order is no longer open."] } };
  if (order.step !== "payment" || !order.termsAcceptedAt)
    return { ok: false, errors: { form: ["Review the order and confirm the terms first."] } };
  if (!order.paymentMethod)
    return { ok: false, errors: { form: ["This agency takes no online payments yet: record the payment you collect instead."] } };
  const { dueNowMinor } = await payableItems(db, tenant.id, order);
  const link = `${origin}/checkout/${order.id}/pay`;
  await notify(db, tenant.id, {
    event: "member_payment_link",
    to: { userId: member.userId, email: order.holder.email ?? member.email, name: member.name },
    vars: {
      agentName: agent.name,
      orderReference: order.reference,
      products: order.lines.map((l) => l.quote.productName).join(", "),
      amount: (locale: string) => formatMoney(dueNowMinor, order.currency, locale),
      link,
    },
    // A double click sends one message; asking again a minute later sends another.
    dedupeKey: `member_payment_link:${order.id}:${Math.floor(Date.now() / 60_000)}`,
  });
  await recordAudit(db, actor, {
    action: "member.payment_link_sent",
    targetType: "order",
    targetId: order.id,
    details: { memberId: member.id, to: order.holder.email ?? member.email },
  });
  return { ok: true };
}

/** Option (b): the agent records money collected offline, for the amount the server works out. */
export async function recordSalePayment(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "locale">,
  agent: MemberAgent,
  order: CheckoutOrder,
  input: { method: OfflineMethod; reference: string },
  actor: Actor,
): Promise<OfflineOutcome<{ transactionId: string; amountMinor: number; currency: string }>> {
  if (!(await agentIsActive(db, agent.id)))
    return { ok: false, errors: { form: ["Only an active agent can record payments. Contact the agency."] } };
  const refused = await memberStanding(db, order.userId, "sell");
  if (refused) return { ok: false, errors: { form: [refused] } };
  return recordOfflinePayment(
    db,
    tenant,
    { orderId: order.id, agentId: agent.id, agentUserId: agent.userId, method: input.method, reference: input.reference },
    actor,
  );
}

/** The sale's payments so far (the offline one waiting for staff, or how the last one ended). */
export async function salePayments(db: TenantDb, orderId: string) {
  return db
    .selectFrom("transactions")
    .select(["id", "provider", "method", "status", "amount_minor", "currency", "provider_receipt", "failure_message", "created_at"])
    .where("order_id", "=", orderId)
    .orderBy("created_at", "desc")
    .limit(10)
    .execute();
}

export { checkoutRequirements };
