import { sql } from "kysely";
import { withPlatform, withTenant } from "~db/client";
import type { Frequency, PaymentMethod, ProviderName } from "~db/schema";
import { addToCart } from "~/modules/cart/cart.server";
import { createOrResumeOrder, loadOrder, reviewVersion, acceptTerms } from "~/modules/checkout/orders.server";
import { saveDetails } from "~/modules/checkout/details.server";
import { savePlan } from "~/modules/checkout/plan.server";
import type { DetailsValue } from "~/modules/checkout/schemas";
import { processProviderEvent } from "~/modules/payments/events.server";
import { normaliseKenyanPhone } from "~/modules/payments/providers/phone";
import { submitRefund } from "~/modules/payments/refunds.server";
import { ensureSandbox, providerConfig, saveProviderSettings } from "~/modules/payments/settings.server";
import { createQuote } from "~/modules/quotes/quotes.server";
import { tenantById, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { catalogueSchema } from "~/modules/catalogue/manifest";
import { seedCatalogue } from "~/modules/catalogue/seed.server";
import { addDays } from "~/modules/rating/dates";
import { kenyaLevies, ratingExamples } from "~/modules/rating/examples";
import { priceQuote, quoteDateIn } from "~/modules/rating";
import { createTenant, createUser, ownerDb } from "./db";

/**
 * Checkout fixtures (not a test file): an agency with a small catalogue and its payment
 * providers, and a signed-in customer taken from a cart of quotes to an order ready for payment,
 * through the checkout module's own functions (quote → cart → order → details → plan → terms).
 * Nothing here imports vitest: the fault test runs it in child processes too (tsx).
 */

export const ORIGIN = "http://shop.localhost";

const TODAY = () => quoteDateIn("Africa/Nairobi");
const YEAR = () => Number(TODAY().slice(0, 4));

export const motorJson = (valueMinor = 150_000_000) => ({ vehicleValue: valueMinor, yearOfManufacture: YEAR() - 3, use: "private" });
export const lifeJson = () => ({ dateOfBirth: `${YEAR() - 35}-01-15`, sumAssured: 500_000_000 });

/** The rating engine's examples as products (the same catalogue as the quote tests'). */
export function paymentsCatalogue() {
  const product = (
    slug: string,
    category: string,
    insurer: string,
    name: string,
    rating: unknown,
    sampleInput: Record<string, unknown>,
  ) => ({
    slug,
    category,
    insurer,
    name,
    summary: `${name} for testing`,
    rating,
    sampleInput,
  });
  return catalogueSchema.parse({
    levies: kenyaLevies,
    categories: [
      { slug: "motor", name: "Motor" },
      { slug: "home", name: "Home" },
      { slug: "travel", name: "Travel" },
      { slug: "life", name: "Life" },
    ],
    insurers: [
      { slug: "savannah", name: "Savannah General", commissionRateBp: 1000 },
      { slug: "mlima", name: "Mlima Assurance", commissionRateBp: 1250 },
    ],
    products: [
      product("motor-comprehensive", "motor", "savannah", "Motor Comprehensive", ratingExamples.motorComprehensive, motorJson()),
      product("home-cover", "home", "savannah", "Home Cover", ratingExamples.home, { buildingValue: 1_000_000_000 }),
      product("travel-cover", "travel", "mlima", "Travel Cover", ratingExamples.travel, {
        departureDate: addDays(TODAY(), 10),
        returnDate: addDays(TODAY(), 16),
        zone: "africa",
      }),
      product("term-life", "life", "mlima", "Term Life", ratingExamples.termLife, lifeJson()),
    ],
  });
}

const BUNDLES = [
  { code: "two-categories", label: "Multi-cover discount (5%)", minItems: 2, minCategories: 2, percentBp: 500 },
  { code: "three-categories", label: "Complete cover discount (7.5%)", minItems: 3, minCategories: 3, percentBp: 750 },
];

/** A fresh agency (KES, Nairobi, the catalogue above) numbering its documents BWM-…, with the sandbox on. */
export async function paymentsTenant(options: { prefix?: string; sandbox?: boolean } = {}): Promise<TenantInfo> {
  const store = await createTenant();
  const catalogue = paymentsCatalogue();
  await withTenant(store.id, (db) => seedCatalogue(db, catalogue, { currency: "KES", timeZone: "Africa/Nairobi" }));
  const prefix = options.prefix ?? "BWM";
  const settings = { levies: catalogue.levies, quoteValidityDays: 30, bundleDiscounts: BUNDLES };
  await withPlatform((db) =>
    db
      .updateTable("tenants")
      .set({
        settings: JSON.stringify(settings),
        manifest: sql`jsonb_set(manifest, '{numbering}', jsonb_build_object('prefix', ${prefix}::text))`,
      })
      .where("id", "=", store.id)
      .execute(),
  );
  if (options.sandbox !== false) await withTenant(store.id, (db) => ensureSandbox(db, store.id));
  const tenant = await tenantById(store.id);
  if (!tenant) throw new Error("tenant vanished");
  return tenant;
}

export async function configureProvider(
  tenant: Pick<TenantInfo, "id">,
  provider: ProviderName,
  config: Record<string, unknown>,
  enabled = true,
) {
  const saved = await withTenant(tenant.id, (db) => saveProviderSettings(db, tenant.id, provider, { enabled, config }));
  if (!saved.ok) throw new Error(`${provider} settings refused: ${JSON.stringify(saved.errors)}`);
}

export async function sandboxSecret(tenant: Pick<TenantInfo, "id">): Promise<string> {
  const stored = await withTenant(tenant.id, (db) => providerConfig(db, tenant.id, "sandbox"));
  return String(stored!.config.secret);
}

export interface CartLine {
  slug: string;
  input: unknown;
  frequency?: Frequency;
}

/** Motor paid monthly and home paid in full: two categories, so the bundle discount applies. */
export const TWO_PRODUCTS: CartLine[] = [
  { slug: "motor-comprehensive", input: motorJson(150_000_000), frequency: "monthly" },
  { slug: "home-cover", input: { buildingValue: 1_000_000_000 }, frequency: "annual" },
];

/**
 * One home cover, paid in full, whose price is whole shillings: M-Pesa takes whole shillings only
 * (the adapter refuses cents, never rounds), and the test catalogue's levies usually leave cents.
 */
export function wholeShillingLines(): CartLine[] {
  for (let value = 1_000_000_000; value < 1_010_000_000; value += 100_000) {
    const priced = priceQuote(ratingExamples.home, { buildingValue: value }, { currency: "KES", quoteDate: TODAY(), levies: kenyaLevies });
    if (!priced.ok) throw new Error("home cover does not price");
    const annual = priced.quote.frequencies.find((f) => f.frequency === "annual")!;
    if (annual.firstInstalmentAmount % 100 === 0) return [{ slug: "home-cover", input: { buildingValue: value }, frequency: "annual" }];
  }
  throw new Error("No whole-shilling home cover price found");
}

export interface ReadyOrder {
  orderId: string;
  reference: string;
  cartId: string;
  itemIds: string[];
}

export const HOLDER = {
  name: "Amina Otieno",
  phone: "+254712345678",
  dateOfBirth: "1985-04-12",
  address: "P.O. Box 4410, Nairobi",
};

/**
 * Quote → cart → order → details → plan → accepted terms, for `user`. The order is left at the
 * payment step, ready for startPayment.
 */
export async function orderReadyForPayment(
  tenant: TenantInfo,
  user: { id: string; email: string },
  options: { lines?: CartLine[]; method?: PaymentMethod; phone?: string; details?: Partial<DetailsValue> } = {},
): Promise<ReadyOrder> {
  const lines = options.lines ?? TWO_PRODUCTS;
  const method = options.method ?? "mpesa";
  let cartId: string | null = null;
  // One request per item, as the storefront adds them: the cart keeps them in the order added.
  for (const line of lines) {
    cartId = await withTenant(tenant.id, async (db) => {
      const quote = await createQuote(db, tenant, {
        productSlug: line.slug,
        input: line.input,
        frequency: line.frequency ?? "annual",
        userId: user.id,
      });
      if (!quote.ok) throw new Error(`quote ${line.slug}: ${JSON.stringify(quote.errors)}`);
      const added = await addToCart(db, { userId: user.id, cartId: null }, quote.quote.id);
      if (!added.ok) throw new Error(`cart ${line.slug}: ${added.message}`);
      return added.cartId;
    });
  }
  return withTenant(tenant.id, async (db) => {
    const started = await createOrResumeOrder(db, tenant, user.id, cartId!);
    if (!started.ok) throw new Error(`order: ${started.code}`);
    const orderId = started.orderId;

    let order = (await loadOrder(db, orderId, user.id))!;
    const details: DetailsValue = {
      ...HOLDER,
      email: user.email,
      identifiers: { national_id: "12345678", kra_pin: "A123456789Z" },
      beneficiaries: [{ name: "Baraka Otieno", relationship: "child", shareBp: 10_000 }],
      ...options.details,
    } as DetailsValue;
    const saved = await saveDetails(db, tenant, order, details);
    if (!saved.ok) throw new Error(`details: ${JSON.stringify(saved.errors)}`);

    order = (await loadOrder(db, orderId, user.id))!;
    const phone = method === "mpesa" ? normaliseKenyanPhone(options.phone ?? "0712345678") : null;
    const plan = await savePlan(db, tenant, order, user.id, {
      method,
      phone: phone?.ok ? phone.phone : null,
      items: order.lines.map((l) => ({ itemId: l.id, frequency: l.quote.frequency })),
    });
    if (!plan.ok) throw new Error(`plan: ${JSON.stringify(plan.errors)}`);

    order = (await loadOrder(db, orderId, user.id))!;
    const accepted = await acceptTerms(db, order, reviewVersion(order));
    if (!accepted.ok) throw new Error(`terms: ${JSON.stringify(accepted.errors)}`);
    return { orderId, reference: order.reference, cartId: cartId!, itemIds: order.lines.map((l) => l.id) };
  });
}

/** A customer with an order ready for payment, in one call. */
export async function customerWithOrder(tenant: TenantInfo, options: Parameters<typeof orderReadyForPayment>[2] = {}) {
  const user = await createUser(tenant.id, { name: HOLDER.name });
  const order = await orderReadyForPayment(tenant, user, options);
  return { user, ...order };
}

// ---------------------------------------------------------------------------------------------
// What happened, seen by the owner (every row, no RLS)

export async function transactionsOf(orderId: string) {
  return ownerDb().selectFrom("transactions").selectAll().where("order_id", "=", orderId).orderBy("created_at").execute();
}

export async function transactionRow(id: string) {
  return ownerDb().selectFrom("transactions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

export async function orderRow(id: string) {
  return ownerDb().selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

export async function policiesOf(orderId: string) {
  return ownerDb()
    .selectFrom("policies")
    .innerJoin("order_items", "order_items.id", "policies.order_item_id")
    .selectAll("policies")
    .select("order_items.position")
    .where("policies.order_id", "=", orderId)
    .orderBy("order_items.position")
    .execute();
}

export async function eventsOf(transactionId: string) {
  return ownerDb().selectFrom("provider_events").selectAll().where("transaction_id", "=", transactionId).orderBy("received_at").execute();
}

/** Applies a transaction's stored provider events here (the worker's process_provider_event job may get there first); answers them after. */
export async function processAll(tenant: { id: string }, transactionId: string) {
  for (const e of await eventsOf(transactionId)) await processProviderEvent(tenant.id, e.id);
  return eventsOf(transactionId);
}

/** Everything issuance writes for an order, counted: the exactly-once assertions compare these. */
export async function issuanceCounts(tenantId: string, orderId: string) {
  const db = ownerDb();
  const count = (n: { n: string | number | bigint }) => Number(n.n);
  const policies = await db
    .selectFrom("policies")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("order_id", "=", orderId)
    .executeTakeFirstOrThrow();
  const instalments = await db
    .selectFrom("instalments")
    .innerJoin("policies", "policies.id", "instalments.policy_id")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("policies.order_id", "=", orderId)
    .executeTakeFirstOrThrow();
  const receipts = await db
    .selectFrom("receipts")
    .innerJoin("transactions", "transactions.id", "receipts.transaction_id")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("transactions.order_id", "=", orderId)
    .executeTakeFirstOrThrow();
  const transactions = await db
    .selectFrom("transactions")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("order_id", "=", orderId)
    .where("status", "in", ["completed", "partially_refunded", "refunded"])
    .executeTakeFirstOrThrow();
  const emails = await db
    .selectFrom("messages")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("tenant_id", "=", tenantId)
    .where("template", "=", "policy_documents")
    .where("channel", "=", "email")
    .executeTakeFirstOrThrow();
  const paidChanges = await db
    .selectFrom("state_changes")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("entity", "=", "order")
    .where("entity_id", "=", orderId)
    .where("to_state", "=", "paid")
    .executeTakeFirstOrThrow();
  return {
    policies: count(policies),
    instalments: count(instalments),
    receipts: count(receipts),
    paidTransactions: count(transactions),
    documentEmails: count(emails),
    orderPaid: count(paidChanges),
  };
}

/** The order's one documents email, once it has been delivered (to the outbox in tests). */
export async function documentsEmail(tenantId: string, orderId: string) {
  return ownerDb()
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("dedupe_key", "=", `order_documents:${orderId}:email`)
    .executeTakeFirst();
}

/**
 * Sends a refund from this process (where msw stands in for the provider). The suite's worker has
 * no network and may be holding the refund for its own failed try; once it gives the refund back
 * ("requested"), the call goes through. A provider refusal here still throws to the caller.
 */
export async function submitRefundWhenFree(tenantId: string, refundId: string): Promise<string> {
  for (let i = 0; i < 200; i += 1) {
    const outcome = await submitRefund(tenantId, refundId, ORIGIN);
    if (outcome !== "not_requested") return outcome;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("The refund was never free to send");
}
