import { randomBytes, randomUUID } from "node:crypto";
import { withTenant } from "~db/client";
import type { InstalmentStatus, PolicyStatus, TransactionStatus } from "~db/schema";
import { fileKey, fileStore } from "~/modules/files/storage.server";
import { addMonths, coverEndDate } from "~/modules/policies/schedule";
import { INSTALMENTS_PER_YEAR, type Frequency } from "~/modules/rating";
import { uniqueSlug } from "../support/db";
import { breakdownFor } from "./admin-payments-fixtures";

/**
 * Policies, instalments, payments and receipts written straight into the tables (not a test file
 * itself): the customer pages are tested on their own, without going through checkout or issuance.
 */

export interface PolicyFixture {
  policyId: string;
  orderId: string;
  orderReference: string;
  policyNumber: string | null;
  verificationCode: string;
  productName: string;
  certificateKey: string | null;
  certificateBody: Buffer | null;
  instalments: { id: string; sequence: number; status: InstalmentStatus; amountMinor: number; dueDate: string }[];
  transactionId: string;
  receiptNumber: string;
  receiptKey: string | null;
}

export interface PolicyFixtureOptions {
  productSlug?: string;
  status?: PolicyStatus;
  issued?: boolean;
  /** Start of cover (YYYY-MM-DD); the end is a year later less a day. */
  startDate?: string;
  holder?: { name: string; email: string; phone?: string };
  identifiers?: { kind: "national_id" | "kra_pin"; masked: string }[];
  beneficiaries?: { name: string; relationship: string; shareBp: number }[];
  /** Instalment statuses in sequence order; the first is the one paid with the order. */
  instalments?: InstalmentStatus[];
  instalmentMinor?: number;
  withCertificateFile?: boolean;
  withReceiptFile?: boolean;
  transactionStatus?: TransactionStatus;
  refundedMinor?: number;
  declineReason?: string;
}

/** A PDF-looking body (the pages only pass bytes through). */
export function fakePdf(label: string): Buffer {
  return Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.from(`% ${label}\n`), randomBytes(64), Buffer.from("\n%%EOF\n")]);
}

export async function insertPolicy(tenantId: string, userId: string, options: PolicyFixtureOptions = {}): Promise<PolicyFixture> {
  const status = options.status ?? "active";
  const issued = options.issued ?? !["pending_underwriting", "pending_payment", "declined", "quoted"].includes(status);
  const startDate = options.startDate ?? new Date().toISOString().slice(0, 10);
  const instalmentStatuses = options.instalments ?? ["paid"];
  const instalmentMinor = options.instalmentMinor ?? 1_250_000;
  const tag = uniqueSlug("p").toUpperCase();
  const policyNumber = issued ? `TST-POL-${tag}` : null;
  const orderReference = `TST-ORD-${tag}`;
  const verificationCode = randomBytes(12).toString("hex").toUpperCase();
  const frequency: Frequency = instalmentStatuses.length > 1 ? "monthly" : "annual";

  const certificateBody = options.withCertificateFile === false || !issued ? null : fakePdf(`certificate ${policyNumber}`);
  const certificateKey = certificateBody ? fileKey(tenantId, "certificates", `${policyNumber}.pdf`) : null;
  if (certificateKey && certificateBody) await fileStore().put(certificateKey, certificateBody, { contentType: "application/pdf" });
  const receiptNumber = `TST-RCT-${tag}`;
  const receiptKey = options.withReceiptFile === false ? null : fileKey(tenantId, "receipts", `${receiptNumber}.pdf`);
  if (receiptKey) await fileStore().put(receiptKey, fakePdf(`receipt ${receiptNumber}`), { contentType: "application/pdf" });

  return withTenant(tenantId, async (db) => {
    const product = await db
      .selectFrom("products")
      .select(["id", "name"])
      .where("slug", "=", options.productSlug ?? "motor-comprehensive")
      .executeTakeFirstOrThrow();
    const quote = await db
      .insertInto("quotes")
      .values({
        reference: `TST-QTE-${tag}`,
        product_id: product.id,
        user_id: userId,
        inputs: JSON.stringify({}),
        breakdown: JSON.stringify(breakdownFor(frequency, { premiumMinor: instalmentMinor })),
        frequency,
        premium_minor: instalmentMinor * instalmentStatuses.length,
        total_minor: instalmentMinor * instalmentStatuses.length,
        currency: "KES",
        valid_until: new Date(Date.now() + 30 * 86_400_000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const holder = options.holder ?? { name: "Holder Person", email: `holder-${tag.toLowerCase()}@example.com` };
    const order = await db
      .insertInto("orders")
      .values({
        reference: orderReference,
        user_id: userId,
        status: "paid",
        step: "payment",
        holder: JSON.stringify(holder),
        payment_method: "mpesa",
        currency: "KES",
        paid_at: new Date(),
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
        // Priced at checkout, as every order's items are.
        frequency,
        instalments_per_year: INSTALMENTS_PER_YEAR[frequency],
        first_payment_minor: instalmentMinor,
        later_instalment_minor: frequency === "annual" ? 0 : instalmentMinor,
        annual_premium_minor: instalmentMinor * INSTALMENTS_PER_YEAR[frequency],
        levies_minor: 0,
        discount_minor: 0,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const identifier of options.identifiers ?? []) {
      await db
        .insertInto("personal_identifiers")
        .values({
          order_id: order.id,
          kind: identifier.kind,
          ciphertext: "v1:not-real",
          blind_index: randomUUID(),
          masked: identifier.masked,
        })
        .execute();
    }
    let position = 1;
    for (const b of options.beneficiaries ?? []) {
      await db
        .insertInto("beneficiaries")
        .values({ order_id: order.id, position: position++, name: b.name, relationship: b.relationship, share_bp: b.shareBp })
        .execute();
    }
    const policy = await db
      .insertInto("policies")
      .values({
        order_item_id: item.id,
        order_id: order.id,
        user_id: userId,
        product_id: product.id,
        quote_id: quote.id,
        policy_number: policyNumber,
        status,
        frequency,
        instalment_minor: instalmentMinor,
        annual_premium_minor: instalmentMinor * instalmentStatuses.length,
        currency: "KES",
        start_date: issued ? startDate : null,
        end_date: issued ? coverEndDate(startDate) : null,
        verification_code: verificationCode,
        certificate_file_key: certificateKey,
        decline_reason: options.declineReason ?? null,
        issued_at: issued ? new Date() : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const instalments: PolicyFixture["instalments"] = [];
    for (const [index, instalmentStatus] of instalmentStatuses.entries()) {
      const dueDate = addMonths(startDate, index);
      const row = await db
        .insertInto("instalments")
        .values({
          policy_id: policy.id,
          sequence: index + 1,
          due_date: dueDate,
          amount_minor: instalmentMinor,
          status: instalmentStatus,
          paid_at: instalmentStatus === "paid" ? new Date() : null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      instalments.push({ id: row.id, sequence: index + 1, status: instalmentStatus, amountMinor: instalmentMinor, dueDate });
    }
    const transaction = await db
      .insertInto("transactions")
      .values({
        order_id: order.id,
        user_id: userId,
        provider: "sandbox",
        method: "mpesa",
        mode: "test",
        status: options.transactionStatus ?? "completed",
        amount_minor: instalmentMinor,
        refunded_minor: options.refundedMinor ?? 0,
        currency: "KES",
        provider_ref: `sbx_${randomBytes(12).toString("hex")}`,
        provider_receipt: `SBX${tag.slice(-7)}`,
        phone_masked: "+254 7** *** 678",
        completed_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (instalments[0]?.status === "paid") {
      await db.updateTable("instalments").set({ transaction_id: transaction.id }).where("id", "=", instalments[0].id).execute();
    }
    await db
      .insertInto("receipts")
      .values({ receipt_number: receiptNumber, transaction_id: transaction.id, file_key: receiptKey })
      .execute();
    return {
      policyId: policy.id,
      orderId: order.id,
      orderReference,
      policyNumber,
      verificationCode,
      productName: product.name,
      certificateKey,
      certificateBody,
      instalments,
      transactionId: transaction.id,
      receiptNumber,
      receiptKey,
    };
  });
}
