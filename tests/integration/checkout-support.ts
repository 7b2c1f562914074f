import { randomBytes } from "node:crypto";
import { withPlatform, withTenant } from "~db/client";
import { addToCart } from "~/modules/cart/cart.server";
import { ensureSandbox } from "~/modules/payments/settings.server";
import { createQuote } from "~/modules/quotes/quotes.server";
import { addDays } from "~/modules/rating/dates";
import { createUser, ownerDb } from "../support/db";
import type { Browser, HttpResponse } from "../support/http";
import { signIn } from "./accounts-support";
import { createStoreTenant, motorJson, TODAY, YEAR, type StoreTenant } from "./quotes-support";

/**
 * Shared steps for the checkout tests (not a test file itself): an agency whose life product
 * needs beneficiaries and whose motor product needs a logbook, with the sandbox enabled; customers
 * with quotes in their cart; and a multipart form builder for uploads.
 */

export type CheckoutTenant = StoreTenant & { currency: string; locale: string; timeZone: string };

export async function createCheckoutTenant(market: "KE" | "MY" = "KE"): Promise<CheckoutTenant> {
  const tenant = await createStoreTenant();
  const currency = market === "KE" ? "KES" : "MYR";
  const locale = market === "KE" ? "en-KE" : "en-MY";
  const timeZone = market === "KE" ? "Africa/Nairobi" : "Asia/Kuala_Lumpur";
  if (market === "MY") {
    await withPlatform((db) =>
      db.updateTable("tenants").set({ currency, locale, time_zone: timeZone }).where("id", "=", tenant.id).execute(),
    );
  }
  await withTenant(tenant.id, async (db) => {
    await db
      .updateTable("products")
      .set({ requirements: JSON.stringify({ beneficiaries: true }) })
      .where("slug", "=", "term-life")
      .execute();
    await db
      .updateTable("products")
      .set({ requirements: JSON.stringify({ documents: [{ code: "logbook", label: "Vehicle logbook" }] }) })
      .where("slug", "=", "motor-comprehensive")
      .execute();
    await ensureSandbox(db, tenant.id);
  });
  return { ...tenant, currency, locale, timeZone };
}

export const INPUTS: Record<string, Record<string, unknown>> = {
  "motor-comprehensive": motorJson(),
  "home-cover": { buildingValue: 1_000_000_000 },
  "term-life": { dateOfBirth: `${YEAR() - 35}-01-15`, sumAssured: 500_000_000 },
  "family-medical": { inpatientLimit: "1m", persons: [{ role: "principal", age: 35 }] },
  "travel-cover": { departureDate: addDays(TODAY(), 10), returnDate: addDays(TODAY(), 16), zone: "africa" },
};

export function tenantInfo(tenant: CheckoutTenant) {
  return { id: tenant.id, currency: tenant.currency, locale: tenant.locale, timeZone: tenant.timeZone, numberPrefix: "TST" };
}

/** Prices each product with its inputs and puts the quotes in the customer's cart. */
export async function fillCart(tenant: CheckoutTenant, userId: string, slugs: string[], frequency = "annual"): Promise<string[]> {
  return withTenant(tenant.id, async (db) => {
    const ids: string[] = [];
    for (const slug of slugs) {
      const quote = await createQuote(db, tenantInfo(tenant), { productSlug: slug, input: INPUTS[slug], frequency, userId });
      if (!quote.ok) throw new Error(`${slug} does not price: ${JSON.stringify(quote.errors)}`);
      const added = await addToCart(db, { userId, cartId: null }, quote.quote.id);
      if (!added.ok) throw new Error(`${slug} not added: ${added.message}`);
      ids.push(quote.quote.id);
    }
    return ids;
  });
}

/** A customer signed in, with these products in their cart. */
export async function customerWithCart(tenant: CheckoutTenant, slugs: string[], frequency = "annual") {
  const user = await createUser(tenant.id);
  const browser = await signIn(tenant.host, user.email);
  const quoteIds = await fillCart(tenant, user.id, slugs, frequency);
  return { user, browser, quoteIds };
}

/** POST /checkout from the cart; returns the order id it sends the customer to. */
export async function startCheckout(browser: Browser): Promise<{ orderId: string; res: HttpResponse }> {
  const res = await browser.post("/checkout", {});
  const match = /^\/checkout\/([0-9a-f-]{36})\/(details|plan|review|pay)/.exec(res.location ?? "");
  if (res.status !== 302 || !match) throw new Error(`Checkout answered ${res.status} ${res.location}: ${res.text.slice(0, 300)}`);
  return { orderId: match[1]!, res };
}

export const GOOD_KE_DETAILS = {
  name: "Wanjiru Kamau",
  email: "wanjiru@example.com",
  phone: "0712 345 678",
  dateOfBirth: "1985-04-12",
  address: "P.O. Box 123-00100, Nairobi",
  "identifiers.national_id": "12345678",
  "identifiers.kra_pin": "a123456789z",
};

export const BENEFICIARIES_OK = {
  "beneficiaries[0].name": "Amani Kamau",
  "beneficiaries[0].relationship": "child",
  "beneficiaries[0].share": "60",
  "beneficiaries[1].name": "Baraka Kamau",
  "beneficiaries[1].relationship": "spouse",
  "beneficiaries[1].share": "40",
};

export interface UploadPart {
  name: string;
  filename: string;
  type: string;
  content: Buffer;
}

/** A multipart/form-data body as a browser sends it. */
export function multipart(fields: Record<string, string>, files: UploadPart[]): { body: Buffer; contentType: string } {
  const boundary = `----coveraTest${randomBytes(8).toString("hex")}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.content,
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function postMultipart(browser: Browser, path: string, fields: Record<string, string>, files: UploadPart[]) {
  const { body, contentType } = multipart(fields, files);
  // The helper writes strings; a Buffer goes through Node's http the same way.
  return browser.send("POST", path, body as unknown as string, { "content-type": contentType, origin: browser.origin });
}

export const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

export async function orderRow(orderId: string) {
  return ownerDb().selectFrom("orders").selectAll().where("id", "=", orderId).executeTakeFirstOrThrow();
}

export async function orderItems(orderId: string) {
  return ownerDb()
    .selectFrom("order_items")
    .innerJoin("quotes", "quotes.id", "order_items.quote_id")
    .innerJoin("products", "products.id", "order_items.product_id")
    .select([
      "order_items.id",
      "order_items.position",
      "quotes.id as quote_id",
      "quotes.frequency",
      "quotes.breakdown",
      "quotes.premium_minor",
    ])
    .select("products.slug")
    .where("order_items.order_id", "=", orderId)
    .orderBy("order_items.position")
    .execute();
}

/** The logbook field's name for the motor item: `logbook:<order item id>`. */
export async function logbookField(orderId: string): Promise<string> {
  const row = await ownerDb()
    .selectFrom("order_items")
    .innerJoin("products", "products.id", "order_items.product_id")
    .select("order_items.id")
    .where("order_items.order_id", "=", orderId)
    .where("products.slug", "=", "motor-comprehensive")
    .executeTakeFirstOrThrow();
  return `logbook:${row.id}`;
}
