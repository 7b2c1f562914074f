import { withTenant, type TenantDb } from "~db/client";
import { registerCustomer, verifyEmail } from "~/modules/auth/accounts.server";
import { addToCart } from "~/modules/cart/cart.server";
import { checkoutRequirements, saveDetails, type CheckoutRequirements } from "~/modules/checkout/details.server";
import { acceptTerms, createOrResumeOrder, loadOrder, reviewVersion } from "~/modules/checkout/orders.server";
import { savePlan } from "~/modules/checkout/plan.server";
import { detailsSchema, planSchema } from "~/modules/checkout/schemas";
import { saveWithUploads } from "~/modules/checkout/uploads.server";
import { approveUnderwriting } from "~/modules/policies/admin.server";
import { instalmentSchedule } from "~/modules/policies/schedule";
import { createQuote } from "~/modules/quotes/quotes.server";
import { addDays } from "~/modules/rating/dates";
import type { IdentifierKind } from "~/modules/pii/identifiers";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { between, officeHours, type DemoClock } from "./clock.server";
import type { HistoryPurchase } from "./manifest";
import { setAutoDebit } from "~/modules/payments/saved-methods.server";
import { payThroughSandbox, type SandboxPayer } from "./pay.server";
import { minutesLater, type HistoryTimes } from "./retime.server";

/**
 * What one agency's history shares while it is played: the agency, its calendar, where each story
 * notes when things happened, the generator for small details, and the staff who act in it.
 */
export interface StoryContext {
  tenant: TenantInfo;
  clock: DemoClock;
  times: HistoryTimes;
  origin: string;
  random: () => number;
  /** Decides the underwriting cases that were decided (the agency's underwriter). */
  underwriterId: string | null;
}

export interface Buyer {
  userId: string;
  email: string;
  name: string;
  phone: string;
  dateOfBirth: string;
  address: string;
  identifiers: Partial<Record<IdentifierKind, string>>;
  beneficiary: { name: string; relationship: string };
}

/**
 * A customer signs up on the storefront (`registerCustomer`, with the history's clock) and confirms
 * their email with the link it sent, as they would have done the day they joined.
 */
export async function signUp(
  ctx: StoryContext,
  person: { name: string; email: string; phone: string; password: string },
  joinedAt: Date,
): Promise<string> {
  return withTenant(ctx.tenant.id, async (db) => {
    const request = { ip: null, origin: ctx.origin, now: joinedAt };
    const { userId } = await registerCustomer(db, ctx.tenant, { ...person, role: "customer" }, request);
    if (!userId) throw new Error(`Demo customer ${person.email} already has an account`);
    const email = await db
      .selectFrom("messages")
      .select(["id", "body_text"])
      .where("recipient", "=", person.email)
      .where("template", "=", "verify_email")
      .executeTakeFirstOrThrow();
    const token = /token=([A-Za-z0-9_-]+)/.exec(email.body_text)?.[1];
    const verified = token ? await verifyEmail(db, token, { ...request, now: minutesLater(joinedAt, between(ctx.random, 2, 40)) }) : null;
    if (!verified?.ok) throw new Error(`Demo customer ${person.email} could not confirm their email`);
    ctx.times.people.push({ userId, at: joinedAt });
    ctx.times.messages.push({ messageId: email.id, at: joinedAt });
    return userId;
  });
}

/** A scan of each document the order's products ask for (a logbook, a vehicle's VOC): a one-page PDF each. */
export function scans(needs: CheckoutRequirements) {
  return needs.documents.map((d) => ({
    field: d.key,
    filename: `${d.code}.pdf`,
    bytes: Buffer.from(
      `%PDF-1.4\n% ${d.label}, ${d.productName} (demo scan)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    ),
  }));
}

/** What a story prices a product with: its own input, or the product's sample input. */
export async function quoteInput(db: TenantDb, slug: string, input: Record<string, unknown> | undefined): Promise<unknown> {
  if (input) return input;
  return (await db.selectFrom("products").select("sample_input").where("slug", "=", slug).executeTakeFirst())?.sample_input;
}

/**
 * One purchase on the storefront, as the customer makes it: each product priced (its sample input
 * unless the story says) and put in the cart, checkout's details (with a scan of any document the
 * product needs), plan and terms, then the sandbox payment and what follows it.
 */
export async function buyOnStorefront(ctx: StoryContext, buyer: Buyer, purchase: HistoryPurchase): Promise<string> {
  const { tenant, clock } = ctx;
  const startedAt = clock.at(clock.day(purchase.ago), officeHours(ctx.random));
  let cartId: string | null = null;
  for (const item of purchase.items) {
    cartId = await withTenant(tenant.id, async (db) => {
      const quote = await createQuote(db, tenant, {
        productSlug: item.product,
        input: await quoteInput(db, item.product, item.input),
        frequency: item.frequency,
        userId: buyer.userId,
      });
      if (!quote.ok) throw new Error(`Demo quote for ${item.product}: ${JSON.stringify(quote.errors)}`);
      const added = await addToCart(db, { userId: buyer.userId, cartId: null }, quote.quote.id);
      if (!added.ok) throw new Error(`Demo cart for ${item.product}: ${added.message}`);
      return added.cartId;
    });
  }
  const orderId = await withTenant(tenant.id, async (db) => {
    const started = await createOrResumeOrder(db, tenant, buyer.userId, cartId!);
    if (!started.ok) throw new Error(`Demo checkout: ${started.code}`);
    return started.orderId;
  });

  const order = (await withTenant(tenant.id, (db) => loadOrder(db, orderId, buyer.userId)))!;
  const needs = checkoutRequirements(tenant, order.lines);
  const details = detailsSchema({ kinds: needs.kinds, stored: [], beneficiaries: needs.beneficiaries, today: clock.today }).parse({
    name: buyer.name,
    email: buyer.email,
    phone: buyer.phone,
    dateOfBirth: buyer.dateOfBirth,
    address: buyer.address,
    identifiers: buyer.identifiers,
    beneficiaries: [{ name: buyer.beneficiary.name, relationship: buyer.beneficiary.relationship, share: "100" }],
  });
  const errors = await saveWithUploads(
    tenant.id,
    orderId,
    needs.documents.map((d) => d.key),
    scans(needs),
    (db) => saveDetails(db, tenant, order, details),
  );
  if (Object.keys(errors).length) throw new Error(`Demo checkout details: ${JSON.stringify(errors)}`);

  await withTenant(tenant.id, async (db) => {
    const withDetails = (await loadOrder(db, orderId, buyer.userId))!;
    const plan = planSchema.parse({
      method: purchase.method,
      phone: purchase.method === "mpesa" ? buyer.phone : undefined,
      items: withDetails.lines.map((l) => ({ itemId: l.id, frequency: l.quote.frequency })),
    });
    const planned = await savePlan(db, tenant, withDetails, buyer.userId, plan);
    if (!planned.ok) throw new Error(`Demo checkout plan: ${JSON.stringify(planned.errors)}`);
    const reviewed = (await loadOrder(db, orderId, buyer.userId))!;
    const accepted = await acceptTerms(db, reviewed, reviewVersion(reviewed));
    if (!accepted.ok) throw new Error(`Demo checkout terms: ${JSON.stringify(accepted.errors)}`);
  });

  const payer: SandboxPayer = {
    userId: buyer.userId,
    email: buyer.email,
    method: purchase.method,
    phone: buyer.phone,
    origin: ctx.origin,
    saveMethod: purchase.saveCard && purchase.method === "card",
  };
  await payThroughSandbox(tenant, { orderId }, payer, purchase.declinedFirst ? ["decline", "approve"] : ["approve"]);
  const paidAt = minutesLater(startedAt, between(ctx.random, 6, 25));
  ctx.times.orders.push({ orderId, startedAt, paidAt });
  await followCover(ctx, orderId, paidAt, payer, purchase);
  if (purchase.autoDebit) await payAutomatically(tenant.id, buyer.userId, orderId);
  return orderId;
}

/**
 * After an order is paid: its policies' cover starts then (or when the underwriter approves them,
 * two days later), and the customer pays each later instalment on time until the story says they
 * stopped, each through the sandbox a day or two before it falls due.
 */
export async function followCover(
  ctx: StoryContext,
  orderId: string,
  paidAt: Date,
  payer: SandboxPayer,
  story: { paidInstalments?: number; awaitingUnderwriting?: boolean },
): Promise<void> {
  const { tenant, clock } = ctx;
  const policies = await withTenant(tenant.id, (db) =>
    db
      .selectFrom("policies as p")
      .innerJoin("order_items as oi", "oi.id", "p.order_item_id")
      .select(["p.id", "p.status", "oi.instalments_per_year"])
      .where("p.order_id", "=", orderId)
      .orderBy("oi.position")
      .execute(),
  );
  for (const policy of policies) {
    let issuedAt = minutesLater(paidAt, 1);
    if (policy.status === "pending_underwriting") {
      if (story.awaitingUnderwriting || !ctx.underwriterId) continue;
      issuedAt = clock.at(addDays(clock.dayOf(paidAt), 2), officeHours(ctx.random));
      const underwriter = ctx.underwriterId;
      const approved = await withTenant(tenant.id, (db) => approveUnderwriting(db, tenant, policy.id, { userId: underwriter }));
      if (!approved.ok) throw new Error(`Demo underwriting: ${approved.message}`);
    }
    ctx.times.covers.push({ policyId: policy.id, issuedAt });
    const perYear = policy.instalments_per_year ?? 1;
    const start = clock.dayOf(issuedAt);
    for (const due of instalmentSchedule(start, perYear, 0, 0).slice(1)) {
      const paid = story.paidInstalments ? due.sequence <= story.paidInstalments : due.dueDate < clock.today;
      if (!paid) break;
      const instalment = await withTenant(tenant.id, (db) =>
        db
          .selectFrom("instalments")
          .select("id")
          .where("policy_id", "=", policy.id)
          .where("sequence", "=", due.sequence)
          .executeTakeFirstOrThrow(),
      );
      const transactionId = await payThroughSandbox(tenant, { instalmentId: instalment.id }, payer);
      const at = clock.at(addDays(due.dueDate, -between(ctx.random, 0, 2)), officeHours(ctx.random));
      ctx.times.payments.push({ transactionId, at });
    }
  }
}

/** The customer turns on "pay instalments automatically" for an order's policies, with their default saved card. */
async function payAutomatically(tenantId: string, userId: string, orderId: string): Promise<void> {
  await withTenant(tenantId, async (db) => {
    const card = await db
      .selectFrom("payment_methods")
      .select("id")
      .where("user_id", "=", userId)
      .where("is_default", "=", true)
      .where("removed_at", "is", null)
      .executeTakeFirst();
    if (!card) throw new Error("Demo auto-debit: the customer has no saved card (save one on an earlier purchase)");
    const policies = await db.selectFrom("policies").select("id").where("order_id", "=", orderId).execute();
    for (const policy of policies) {
      const changed = await setAutoDebit(db, userId, policy.id, card.id);
      if (!changed.ok) throw new Error(`Demo auto-debit: ${changed.message}`);
    }
  });
}
