import { randomBytes } from "node:crypto";
import { withTenant } from "~db/client";
import type { PaymentMethod, PolicyStatus, ProviderName, TransactionStatus } from "~db/schema";
import { fileKey } from "~/modules/files/storage.server";
import type { QuoteBreakdown } from "~/modules/quotes/quotes.server";
import { FREQUENCY_LABELS, INSTALMENTS_PER_YEAR, priceQuote, type Frequency } from "~/modules/rating";
import { motorComprehensive } from "~/modules/rating/examples";
import { uniqueSlug } from "../support/db";

/**
 * Products, orders, policies and transactions written straight into the tables for the back
 * office's payment pages (not a test file itself): no checkout, payment or issuance flow involved.
 */

export async function insertProduct(tenantId: string, options: { name: string; requiresUnderwriting?: boolean }) {
  const slug = uniqueSlug("prod");
  return withTenant(tenantId, async (db) => {
    const insurer = await db
      .insertInto("insurers")
      .values({
        slug: uniqueSlug("ins"),
        name: "Jubilee Test Insurance",
        contact: JSON.stringify({}),
        commission_rate_bp: 1000,
        active: true,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const category = await db
      .insertInto("categories")
      .values({ slug: uniqueSlug("cat"), name: "Motor", display_order: 1, active: true })
      .returning("id")
      .executeTakeFirstOrThrow();
    return db
      .insertInto("products")
      .values({
        slug,
        category_id: category.id,
        insurer_id: insurer.id,
        name: options.name,
        coverage: JSON.stringify([]),
        features: JSON.stringify([]),
        inclusions: JSON.stringify([]),
        exclusions: JSON.stringify([]),
        waiting_period_days: 0,
        rating: JSON.stringify(motorComprehensive),
        sample_input: JSON.stringify({}),
        starting_price_minor: 100_000,
        requires_underwriting: options.requiresUnderwriting ?? false,
        featured: false,
        active: true,
      })
      .returning(["id", "name"])
      .executeTakeFirstOrThrow();
  });
}

/**
 * A quote's breakdown for a price the fixture fixes, in the shape the quote page saves it: a
 * policy issued from it prints these figures on its certificate. (An empty breakdown is no quote
 * the app ever made: rendering the documents of an order made from it fails.)
 */
export function breakdownFor(frequency: Frequency, instalment: { premiumMinor: number; leviesMinor?: number }): QuoteBreakdown {
  const perYear = INSTALMENTS_PER_YEAR[frequency];
  const premium = instalment.premiumMinor;
  const levies = instalment.leviesMinor ?? 0;
  return {
    quoteDate: new Date().toISOString().slice(0, 10),
    lines: [{ code: "premium", label: "Premium", amount: premium * perYear }],
    basePremium: premium * perYear,
    levies: levies ? [{ code: "levies", label: "Levies", amount: levies * perYear }] : [],
    totalLevies: levies * perYear,
    total: (premium + levies) * perYear,
    frequencies: [
      {
        frequency,
        label: FREQUENCY_LABELS[frequency],
        instalmentsPerYear: perYear,
        instalmentPremium: premium,
        instalmentLevies: levies,
        instalmentAmount: premium + levies,
        firstInstalmentAmount: premium + levies,
        annualEquivalent: (premium + levies) * perYear,
      },
    ],
  };
}

export interface OrderFixture {
  orderId: string;
  reference: string;
  items: { itemId: string; quoteId: string }[];
}

export async function insertOrder(
  tenantId: string,
  userId: string,
  productId: string,
  options: { items?: number; paid?: boolean; firstPaymentMinor?: number; holder?: Record<string, string> } = {},
): Promise<OrderFixture> {
  const tag = uniqueSlug("o").toUpperCase();
  const reference = `TST-ORD-${tag}`;
  // A real quote's breakdown, as the quote page would have saved it.
  const input = { vehicleValue: 150_000_000, yearOfManufacture: 2022, use: "private" };
  const priced = priceQuote(motorComprehensive, input, { currency: "KES", locale: "en-KE", quoteDate: "2026-11-21" });
  if (!priced.ok) throw new Error("fixture quote does not price");
  const q = priced.quote;
  const breakdown = {
    quoteDate: q.quoteDate,
    lines: q.lines,
    basePremium: q.basePremium,
    levies: q.levies,
    totalLevies: q.totalLevies,
    total: q.total,
    frequencies: q.frequencies,
  };
  return withTenant(tenantId, async (db) => {
    const order = await db
      .insertInto("orders")
      .values({
        reference,
        user_id: userId,
        status: options.paid === false ? "draft" : "paid",
        step: "payment",
        holder: JSON.stringify(options.holder ?? { name: "Amina Wanjiku", email: "amina.holder@example.com", phone: "0712345678" }),
        payment_method: "mpesa",
        currency: "KES",
        paid_at: options.paid === false ? null : new Date(),
        terms_accepted_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const items: OrderFixture["items"] = [];
    for (let position = 1; position <= (options.items ?? 1); position++) {
      const quote = await db
        .insertInto("quotes")
        .values({
          reference: `TST-QTE-${tag}-${position}`,
          product_id: productId,
          user_id: userId,
          inputs: JSON.stringify(q.input),
          breakdown: JSON.stringify(breakdown),
          frequency: "annual",
          premium_minor: 100_000,
          total_minor: 100_000,
          currency: "KES",
          valid_until: new Date(Date.now() + 30 * 86_400_000),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const item = await db
        .insertInto("order_items")
        .values({
          order_id: order.id,
          quote_id: quote.id,
          product_id: productId,
          position,
          frequency: "annual",
          instalments_per_year: 1,
          first_payment_minor: options.firstPaymentMinor ?? 100_000,
          later_instalment_minor: 0,
          annual_premium_minor: options.firstPaymentMinor ?? 100_000,
          levies_minor: 0,
          discount_minor: 0,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      items.push({ itemId: item.id, quoteId: quote.id });
    }
    return { orderId: order.id, reference, items };
  });
}

export async function insertPolicy(
  tenantId: string,
  userId: string,
  productId: string,
  order: OrderFixture,
  item: number,
  options: { status: PolicyStatus; number?: string | null; certificate?: boolean; createdAt?: Date },
) {
  return withTenant(tenantId, async (db) => {
    const { itemId, quoteId } = order.items[item]!;
    const row = await db
      .insertInto("policies")
      .values({
        order_item_id: itemId,
        order_id: order.orderId,
        user_id: userId,
        product_id: productId,
        quote_id: quoteId,
        policy_number: options.number ?? null,
        status: options.status,
        frequency: "annual",
        instalment_minor: 100_000,
        annual_premium_minor: 100_000,
        currency: "KES",
        verification_code: randomBytes(9).toString("hex").toUpperCase(),
        certificate_file_key: options.certificate ? fileKey(tenantId, "certificates", "certificate.pdf") : null,
        created_at: options.createdAt ?? new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export interface TxOptions {
  orderId: string;
  userId: string;
  status?: TransactionStatus;
  method?: PaymentMethod;
  provider?: ProviderName;
  amountMinor?: number;
  refundedMinor?: number;
  createdAt?: Date;
  providerRef?: string | null;
  providerReceipt?: string | null;
  failureMessage?: string | null;
}

export async function insertTransaction(tenantId: string, o: TxOptions): Promise<string> {
  return withTenant(tenantId, async (db) => {
    const row = await db
      .insertInto("transactions")
      .values({
        order_id: o.orderId,
        user_id: o.userId,
        provider: o.provider ?? "sandbox",
        method: o.method ?? "mpesa",
        mode: "test",
        status: o.status ?? "completed",
        amount_minor: o.amountMinor ?? 100_000,
        refunded_minor: o.refundedMinor ?? 0,
        currency: "KES",
        provider_ref: o.providerRef === undefined ? `sbx_${randomBytes(12).toString("hex")}` : o.providerRef,
        provider_receipt: o.providerReceipt ?? null,
        failure_message: o.failureMessage ?? null,
        phone_masked: o.method === "card" ? null : "+254 7** *** 678",
        completed_at: (o.status ?? "completed") === "completed" ? new Date() : null,
        created_at: o.createdAt ?? new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** A minimal RFC 4180 reader (quoted cells with commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
