import { z } from "zod";
import { withTenant, type TenantDb } from "~db/client";
import { lineText } from "~/lib/text";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { ApiProblem, conflict, invalid, notFound } from "~/modules/api/problem.server";
import { requireApiUser } from "~/modules/api/principal.server";
import { addToCart, cartHoldsQuote, findOpenCartId } from "~/modules/cart/cart.server";
import { startPayment } from "~/modules/payments/payments.server";
import { paymentOptions } from "~/modules/payments/settings.server";
import { IDENTIFIER_KINDS } from "~/modules/pii/identifiers";
import { getQuote } from "~/modules/quotes/quotes.server";
import { FREQUENCIES, fieldErrors, quoteDateIn } from "~/modules/rating";
import { originOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { checkoutRequirements, saveDetails } from "./details.server";
import { acceptTerms, createOrResumeOrder, loadOrder, payableItems, pendingTransactionId, reviewVersion } from "./orders.server";
import { savePlan } from "./plan.server";
import { detailsSchema, paySchema, planSchema } from "./schemas";

/**
 * Checkout over /api/v1 for the mobile app (decision 045): the web checkout's four steps (details,
 * plan, review with the terms, payment) through the same functions, in one call up to the payment
 * and one call to pay. Nothing here decides a price or a rule the web checkout does not.
 */

const METHODS = ["mpesa", "card", "fpx", "ewallet", "paypal"] as const;

const orderSchema = z.object({
  id: answerText().uuid(),
  reference: answerText(),
  status: z.enum(["draft", "paid", "cancelled"]),
  step: z.enum(["details", "plan", "review", "payment"]),
  currency: answerText(),
  dueNow: z
    .number()
    .int()
    .describe(
      "What paying now charges, in minor units (M-Pesa, whole shillings only, waives the cents: the payment says what it charged).",
    ),
  paymentMethod: z.enum(METHODS).nullable(),
  termsAccepted: z.boolean(),
  pendingPaymentId: answerText().uuid().nullable().describe("A payment in progress: poll GET /payments/{transactionId}."),
  items: z.array(
    z.object({
      id: answerText().uuid(),
      quoteId: answerText().uuid(),
      product: answerText(),
      insurer: answerText(),
      frequency: z.enum(FREQUENCIES),
      firstPayment: z.number().int(),
      laterInstalment: z.number().int(),
    }),
  ),
  policyIds: z.array(answerText().uuid()).describe("The policies issued for a paid order."),
  createdAt: answerText().datetime(),
  paidAt: answerText().datetime().nullable(),
});

type ApiOrder = z.infer<typeof orderSchema>;

/** The customer's order as the API shows it, or undefined when it is not theirs. */
async function apiOrder(db: TenantDb, tenantId: string, orderId: string, userId: string): Promise<ApiOrder | undefined> {
  const order = await loadOrder(db, orderId, userId);
  if (!order) return undefined;
  const { items, dueNowMinor } = await payableItems(db, tenantId, order);
  const policies = await db.selectFrom("policies").select("id").where("order_id", "=", order.id).orderBy("created_at").execute();
  return {
    id: order.id,
    reference: order.reference,
    status: order.status as ApiOrder["status"],
    step: order.step,
    currency: order.currency,
    dueNow: dueNowMinor,
    paymentMethod: order.paymentMethod,
    termsAccepted: order.termsAcceptedAt !== null,
    pendingPaymentId: await pendingTransactionId(db, order.id),
    items: items.map((i) => ({
      id: i.orderItemId,
      quoteId: i.quoteId,
      product: i.productName,
      insurer: i.insurerName,
      frequency: i.frequency,
      firstPayment: i.firstPaymentMinor,
      laterInstalment: i.laterInstalmentMinor,
    })),
    policyIds: policies.map((p) => p.id),
    createdAt: order.createdAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
  };
}

const orderAnswer = z.object({ order: orderSchema });
const orderLocation = (request: Request, orderId: string) => `${originOf(request)}/api/v1/orders/${orderId}`;

/** Errors of a step's function, under the names the API's body uses. */
function prefixed(prefix: string, errors: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(errors).map(([key, messages]) => [key === "form" ? prefix : `${prefix}.${key}`, messages]));
}

const holderBody = z
  .object({
    name: lineText().optional(),
    email: lineText().optional(),
    phone: lineText().optional(),
    dateOfBirth: lineText().optional().describe("YYYY-MM-DD; the policyholder must be 18 to 100."),
    address: lineText().optional(),
    identifiers: z
      .object(
        Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, lineText().optional()])) as Record<
          (typeof IDENTIFIER_KINDS)[number],
          z.ZodOptional<z.ZodString>
        >,
      )
      .optional()
      .describe("The identity numbers the agency needs (national_id and kra_pin in Kenya, nric in Malaysia)."),
    beneficiaries: z
      .array(z.object({ name: lineText().optional(), relationship: lineText().optional(), share: lineText().optional() }))
      .optional()
      .describe("For products that pay out to beneficiaries: shares in percent adding up to 100."),
  })
  .describe("The policyholder, as the web checkout's details step asks.");

const checkoutBody = z.object({
  quoteId: lineText()
    .uuid("Name the quote by its id")
    .optional()
    .describe("Buy this saved quote: it is added to your cart first (the order is made from the cart)."),
  holder: holderBody,
  method: z.enum(METHODS).optional().describe("How you mean to pay; default the agency's first option."),
  phone: lineText().optional().describe("The M-Pesa phone, for method mpesa."),
  frequencies: z
    .array(z.object({ quoteId: lineText().uuid(), frequency: z.enum(FREQUENCIES) }))
    .optional()
    .describe("How often to pay an item (among its product's frequencies); default the quote's own."),
  acceptTerms: z.literal(true, { errorMap: () => ({ message: "Accept the terms to continue" }) }),
});

type CheckoutBody = z.output<typeof checkoutBody>;

/** Details, plan and terms for the customer's draft order, in one transaction: any refusal changes nothing. */
async function checkOut(db: TenantDb, tenant: TenantInfo, userId: string, body: CheckoutBody): Promise<string> {
  const owner = { userId, cartId: null };
  if (body.quoteId) {
    const quote = await getQuote(db, body.quoteId);
    if (!quote || (quote.userId !== null && quote.userId !== userId)) throw notFound("Quote");
    if (!(await cartHoldsQuote(db, owner, quote.id))) {
      const added = await addToCart(db, owner, quote.id);
      if (!added.ok && added.code !== "duplicate") throw invalid({ quoteId: [added.message] });
    }
  }
  const cartId = await findOpenCartId(db, owner);
  const started = cartId ? await createOrResumeOrder(db, tenant, userId, cartId) : undefined;
  if (!started?.ok) throw conflict("CART_EMPTY", "Your cart is empty: add a quote to it, or name one as quoteId.");
  const orderId = started.orderId;

  let order = (await loadOrder(db, orderId, userId))!;
  const needs = checkoutRequirements(tenant, order.lines);
  const stored = await db.selectFrom("personal_identifiers").select("kind").where("order_id", "=", orderId).execute();
  const details = detailsSchema({
    kinds: needs.kinds,
    stored: stored.map((s) => s.kind),
    beneficiaries: needs.beneficiaries,
    today: quoteDateIn(tenant.timeZone),
  }).safeParse(body.holder);
  if (!details.success) throw invalid(prefixed("holder", fieldErrors(details.error.issues)));
  const saved = await saveDetails(db, tenant, order, details.data);
  // Required documents are uploaded on the web checkout for now: say which.
  if (!saved.ok) throw invalid(prefixed("holder", saved.errors), "The policyholder's details are not complete");

  order = (await loadOrder(db, orderId, userId))!;
  const method = body.method ?? order.paymentMethod ?? (await paymentOptions(db, tenant))[0]?.method;
  const plan = planSchema.safeParse({
    method,
    phone: body.phone,
    items: order.lines.map((l) => ({
      itemId: l.id,
      frequency: body.frequencies?.find((f) => f.quoteId === l.quote.id)?.frequency ?? l.quote.frequency,
    })),
  });
  if (!plan.success) throw invalid(fieldErrors(plan.error.issues));
  const planned = await savePlan(db, tenant, order, userId, plan.data);
  if (!planned.ok) throw invalid(planned.errors, "The plan could not be saved");

  order = (await loadOrder(db, orderId, userId))!;
  const accepted = await acceptTerms(db, order, reviewVersion(order));
  if (!accepted.ok) throw conflict("ORDER_CHANGED", accepted.errors.form?.join(" ") ?? "Review your order again.");
  return orderId;
}

export const checkout = endpoint({
  method: "POST",
  path: "/checkout",
  operationId: "checkout",
  summary: "Check out your cart (or a quote)",
  description:
    "Makes the order from your cart (adding `quoteId` to it first when given), with the policyholder's details, the plan and the accepted terms, as the web checkout's steps do. The answer is an order ready for POST /orders/{orderId}/payments. Checking out again resumes the same draft order.",
  tags: ["Checkout"],
  auth: "user",
  creates: true,
  body: checkoutBody,
  responses: { 201: { description: "The order, at the payment step.", schema: orderAnswer } },
  errors: [404, 409],
  async handler({ request, tenant, principal, body }) {
    const user = requireApiUser(principal);
    const order = await withTenant(tenant.id, async (db) => {
      const orderId = await checkOut(db, tenant, user.id, body);
      return (await apiOrder(db, tenant.id, orderId, user.id))!;
    });
    return { status: 201, body: { order }, headers: { Location: orderLocation(request, order.id) } };
  },
});

const orderParams = z.object({ orderId: lineText().uuid("Not an order of yours") });

export const getOrder = endpoint({
  method: "GET",
  path: "/orders/{orderId}",
  operationId: "getOrder",
  summary: "One of your orders",
  tags: ["Checkout"],
  auth: "user",
  params: orderParams,
  responses: { 200: { description: "The order, with its payment in progress and the policies once paid.", schema: orderAnswer } },
  errors: [404],
  async handler({ tenant, principal, params }) {
    const user = requireApiUser(principal);
    const order = await withTenant(tenant.id, (db) => apiOrder(db, tenant.id, params.orderId, user.id));
    if (!order) throw notFound("Order");
    return { body: { order } };
  },
});

const customerActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("redirect"), url: answerText().describe("Open this page (the provider's, or the sandbox's).") }),
  z.object({ type: z.literal("stk_push"), phone: answerText(), message: answerText().describe("Tell the customer to enter their PIN.") }),
  z.object({ type: z.literal("client_secret"), clientSecret: answerText(), publishableKey: answerText() }),
]);

const paymentStarted = z.object({
  payment: z.object({
    transactionId: answerText().uuid().describe("Poll GET /payments/{transactionId} for the outcome."),
    action: customerActionSchema,
  }),
});

export const startOrderPayment = endpoint({
  method: "POST",
  path: "/orders/{orderId}/payments",
  operationId: "startOrderPayment",
  summary: "Pay for an order",
  description:
    "Starts paying the amount the server works out (never one sent by the app). A payment already in progress for the same method is answered again rather than started twice.",
  tags: ["Checkout"],
  auth: "user",
  creates: true,
  params: orderParams,
  body: z.object({
    method: z.enum(METHODS),
    phone: lineText().optional().describe("For M-Pesa: the phone the PIN prompt goes to."),
    bankCode: lineText().max(40).optional().describe("For FPX: the bank the customer picked."),
  }),
  responses: { 201: { description: "Started: what the customer does next.", schema: paymentStarted } },
  errors: [404, 409],
  async handler({ request, tenant, principal, params, body }) {
    const user = requireApiUser(principal);
    const order = await withTenant(tenant.id, (db) => loadOrder(db, params.orderId, user.id));
    if (!order) throw notFound("Order");
    const pay = paySchema.safeParse({ method: body.method, phone: body.phone });
    if (!pay.success) throw invalid(fieldErrors(pay.error.issues));
    const { method, phone } = pay.data;
    if (method !== order.paymentMethod || phone !== order.paymentPhone) {
      await withTenant(tenant.id, (db) =>
        db
          .updateTable("orders")
          .set({ payment_method: method, payment_phone: phone, updated_at: new Date() })
          .where("id", "=", order.id)
          .execute(),
      );
    }
    const origin = originOf(request);
    const started = await startPayment(tenant, {
      target: { orderId: order.id },
      userId: user.id,
      method,
      phone: phone ?? undefined,
      bankCode: body.bankCode,
      email: order.holder.email ?? user.email,
      origin,
    });
    if (!started.ok) {
      if (started.fieldErrors) throw invalid(started.fieldErrors, started.message);
      throw new ApiProblem(409, started.code.toUpperCase(), started.message);
    }
    const action = started.customerAction;
    return {
      status: 201,
      body: {
        payment: {
          transactionId: started.transactionId,
          // The sandbox's and some providers' pages are paths on this site.
          action: action.type === "redirect" && action.url.startsWith("/") ? { ...action, url: `${origin}${action.url}` } : action,
        },
      },
      headers: { Location: `${origin}/api/v1/payments/${started.transactionId}` },
    };
  },
});

export const checkoutEndpoints = [checkout, getOrder, startOrderPayment];
