import { withTenant } from "~db/client";
import type { MessageAttachment } from "~db/schema";
import { formatMoney } from "~/lib/money";
import { renderCertificatePdf, type CertificateData } from "~/modules/documents/certificate.server";
import { documentTenantOf, readerLanguage } from "~/modules/documents/pdf-theme.server";
import { renderReceiptPdf } from "~/modules/documents/receipt.server";
import { kindKey } from "~/modules/files/kinds";
import { fileStore, type FileStore } from "~/modules/files/storage.server";
import { notify } from "~/modules/notifications/notify.server";
import { sentOn } from "~/modules/notifications/sent";
import type { QuoteBreakdown } from "~/modules/quotes/quotes.server";
import { safeParseRating } from "~/modules/rating";
import { nextNumber } from "~/modules/tenancy/numbers.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * Certificates and receipts: rendered from the records, stored under keys derived from the record
 * (a re-run overwrites the same object, never adds another), and emailed once per business event
 * (the email's dedupe key). Each step is safe to repeat, so a job that dies half-way is retried.
 */
const PDF = "application/pdf";

const certificateKey = (tenantId: string, policyId: string) => kindKey(tenantId, "certificates", `${policyId}.pdf`);
const receiptKey = (tenantId: string, receiptId: string) => kindKey(tenantId, "receipts", `${receiptId}.pdf`);

export const verifyUrl = (origin: string, code: string) => `${origin}/verify/${code}`;

const IDENTITY_ORDER = ["national_id", "nric", "kra_pin", "bank_account"];
const identityRank = (kind: string) => (IDENTITY_ORDER.includes(kind) ? IDENTITY_ORDER.indexOf(kind) : IDENTITY_ORDER.length);

/**
 * The sum insured printed on a certificate: the one insured value the customer declared in the
 * quote (a vehicle's value, a sum assured, a loan), or, for a plan priced without any inputs, its
 * fixed benefit (the product's cover). Never the product's "cover up to" ceiling for a policy whose
 * cover the customer chose: when the quote does not say (a limit picked from a list, several
 * values), the certificate leaves the figure out rather than print a wrong one.
 */
function sumInsuredOf(rating: unknown, inputs: Record<string, unknown>, maxCoverMinor: number | null): number | undefined {
  const parsed = safeParseRating(rating);
  if (!parsed.ok) return undefined;
  const declared = parsed.rating.inputs;
  if (declared.length === 0) return maxCoverMinor ?? undefined;
  const money = declared.filter((input) => input.kind === "money");
  if (money.length !== 1) return undefined;
  const value = inputs[money[0]!.name];
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Renders the missing certificates of one order's issued policies, and its receipt. */
export async function renderOrderDocuments(tenant: TenantInfo, orderId: string, origin: string, files: FileStore = fileStore()) {
  const data = await withTenant(tenant.id, async (db) => {
    const order = await db
      .selectFrom("orders")
      .innerJoin("users", "users.id", "orders.user_id")
      .select([
        "orders.id",
        "orders.user_id",
        "orders.reference",
        "orders.holder",
        "orders.origin",
        "users.email",
        "users.name",
        "users.language",
      ])
      .where("orders.id", "=", orderId)
      .executeTakeFirstOrThrow();
    const policies = await db
      .selectFrom("policies")
      .innerJoin("products", "products.id", "policies.product_id")
      .innerJoin("categories", "categories.id", "products.category_id")
      .innerJoin("insurers", "insurers.id", "products.insurer_id")
      .innerJoin("quotes", "quotes.id", "policies.quote_id")
      .innerJoin("order_items", "order_items.id", "policies.order_item_id")
      .select([
        "policies.id",
        "policies.policy_number",
        "policies.status",
        "policies.start_date",
        "policies.end_date",
        "policies.frequency",
        "policies.verification_code",
        "policies.certificate_file_key",
        "policies.issued_at",
        "products.name as product_name",
        "products.max_cover_minor",
        "products.rating",
        "products.requirements",
        "categories.name as category_name",
        "insurers.name as insurer_name",
        "quotes.breakdown",
        "quotes.inputs",
        "order_items.first_payment_minor",
      ])
      .where("policies.order_id", "=", orderId)
      .orderBy("order_items.position")
      .execute();
    // The certificate names the holder by their identity document (national ID, MyKad), not their tax PIN.
    const identifiers = await db.selectFrom("personal_identifiers").select(["kind", "masked"]).where("order_id", "=", orderId).execute();
    const identifier = [...identifiers].sort((a, b) => identityRank(a.kind) - identityRank(b.kind))[0];
    const beneficiaries = await db
      .selectFrom("beneficiaries")
      .select(["name", "relationship", "share_bp"])
      .where("order_id", "=", orderId)
      .orderBy("position")
      .execute();
    const payment = await db
      .selectFrom("transactions")
      .innerJoin("receipts", "receipts.transaction_id", "transactions.id")
      .select([
        "transactions.id",
        "transactions.method",
        "transactions.provider_receipt",
        "transactions.provider_ref",
        "transactions.amount_minor",
        "transactions.completed_at",
        "transactions.phone_masked",
        "receipts.id as receipt_id",
        "receipts.receipt_number",
        "receipts.file_key",
      ])
      .where("transactions.order_id", "=", orderId)
      .executeTakeFirst();
    return { order, policies, identifier, beneficiaries, payment };
  });

  const { order, policies, identifier, beneficiaries, payment } = data;
  const holderName = order.holder.name || order.name;
  const site = order.origin ?? origin;
  const written: { policies: Record<string, string>; receipt: string | null } = { policies: {}, receipt: null };

  for (const p of policies) {
    if (!p.policy_number || p.certificate_file_key || !["active", "grace"].includes(p.status)) continue;
    const breakdown = p.breakdown as QuoteBreakdown;
    const payable = breakdown.frequencies.find((f) => f.frequency === p.frequency) ?? breakdown.frequencies[0]!;
    const certificate: CertificateData = {
      tenant: documentTenantOf(tenant),
      ...readerLanguage(tenant, order.language),
      timeZone: tenant.timeZone,
      currency: tenant.currency,
      policyNumber: p.policy_number,
      status: p.status,
      holder: { name: holderName, idMasked: identifier?.masked, email: order.holder.email ?? order.email },
      product: { name: p.product_name, category: p.category_name, insurer: p.insurer_name },
      cover: {
        startDate: p.start_date!,
        endDate: p.end_date!,
        sumInsuredMinor: sumInsuredOf(p.rating, p.inputs, p.max_cover_minor),
        frequency: p.frequency,
        premiumMinor: payable.instalmentPremium,
        levies: payable.instalmentLevies ? [{ label: "Levies", amountMinor: payable.instalmentLevies }] : [],
        totalMinor: payable.instalmentAmount,
      },
      // The order's beneficiaries belong to the products that pay out to them (a Hibah plan), not to its other policies.
      beneficiaries: p.requirements?.beneficiaries
        ? beneficiaries.map((b) => ({ name: b.name, relationship: b.relationship, sharePercent: b.share_bp / 100 }))
        : [],
      issuedAt: p.issued_at ?? new Date(),
      verifyUrl: verifyUrl(site, p.verification_code),
    };
    const key = certificateKey(tenant.id, p.id);
    await files.put(key, await renderCertificatePdf(certificate), { contentType: PDF });
    written.policies[p.id] = key;
  }

  if (payment && !payment.file_key) {
    const reader = readerLanguage(tenant, order.language);
    const t = await serverT(reader.language, "documents");
    const pdf = await renderReceiptPdf({
      tenant: documentTenantOf(tenant),
      ...reader,
      timeZone: tenant.timeZone,
      currency: tenant.currency,
      receiptNumber: payment.receipt_number,
      paidAt: payment.completed_at ?? new Date(),
      payer: { name: holderName, email: order.holder.email ?? order.email, phoneMasked: payment.phone_masked ?? undefined },
      method: payment.method,
      providerReference: payment.provider_receipt ?? payment.provider_ref ?? "",
      orderReference: order.reference,
      lines: policies.map((p) => ({
        description: p.policy_number
          ? t("receipt.line", { product: p.product_name, policy: p.policy_number })
          : t("receipt.lineAwaiting", { product: p.product_name }),
        amountMinor: p.first_payment_minor ?? 0,
      })),
      levies: [],
      totalMinor: payment.amount_minor,
    });
    const key = receiptKey(tenant.id, payment.receipt_id);
    await files.put(key, pdf, { contentType: PDF });
    written.receipt = key;
  }

  // Record what was written, and email once everything this order issued has its document.
  return withTenant(tenant.id, async (db) => {
    for (const [policyId, key] of Object.entries(written.policies)) {
      await db.updateTable("policies").set({ certificate_file_key: key, updated_at: new Date() }).where("id", "=", policyId).execute();
    }
    if (written.receipt && payment)
      await db.updateTable("receipts").set({ file_key: written.receipt }).where("id", "=", payment.receipt_id).execute();

    const current = await db
      .selectFrom("policies")
      .innerJoin("products", "products.id", "policies.product_id")
      .select([
        "policies.id",
        "policies.policy_number",
        "policies.status",
        "policies.certificate_file_key",
        "policies.verification_code",
        "products.name",
      ])
      .where("order_id", "=", orderId)
      .execute();
    // The order's email carries what was issued when this run began: a policy approved in
    // underwriting meanwhile (or before) gets its own email (renderPolicyCertificate), never both.
    const inRun = new Set(policies.filter((p) => p.policy_number && ["active", "grace"].includes(p.status)).map((p) => p.id));
    const approved = inRun.size
      ? await db
          .selectFrom("state_changes")
          .select("entity_id")
          .where("entity", "=", "policy")
          .where("event", "=", "approve")
          .where("entity_id", "in", [...inRun])
          .execute()
      : [];
    for (const a of approved) inRun.delete(a.entity_id);
    const issued = current.filter((p) => inRun.has(p.id));
    const receipt = payment
      ? await db
          .selectFrom("receipts")
          .select(["receipt_number", "file_key"])
          .where("id", "=", payment.receipt_id)
          .executeTakeFirstOrThrow()
      : null;
    if (issued.some((p) => !p.certificate_file_key) || (receipt && !receipt.file_key)) return "documents_incomplete";

    const attachments: MessageAttachment[] = issued.map((p) => ({
      filename: `${p.policy_number}.pdf`,
      fileKey: p.certificate_file_key!,
      contentType: PDF,
    }));
    if (receipt?.file_key) attachments.push({ filename: `${receipt.receipt_number}.pdf`, fileKey: receipt.file_key, contentType: PDF });
    const to = { userId: order.user_id, email: order.holder.email ?? order.email, phone: order.holder.phone, name: holderName };
    const link = `${site}/account/policies`;
    // Underwritten policies approved later get their own message (renderPolicyCertificate).
    const dedupeKey = `order_documents:${orderId}`;
    // Everything in underwriting: the payment's receipt now, each certificate once it is approved.
    const results =
      issued.length === 0 && receipt && payment
        ? await notify(db, tenant.id, {
            event: "application_received",
            to,
            vars: {
              receiptNumber: receipt.receipt_number,
              orderReference: order.reference,
              amount: (locale: string) => formatMoney(payment.amount_minor, tenant.currency, locale),
              link,
            },
            dedupeKey,
            attachments,
          })
        : await notify(db, tenant.id, {
            event: "policy_documents",
            to,
            vars: policyDocumentsVars(
              order.reference,
              issued.map((p) => ({ number: p.policy_number!, product: p.name, verifyUrl: verifyUrl(site, p.verification_code) })),
              link,
            ),
            dedupeKey,
            attachments,
          });
    const messageId = sentOn(results, "email");
    return messageId ? "emailed" : "already_emailed";
  });
}

/** The policy_documents event's variables: figures and addresses only, so every language reads them. */
function policyDocumentsVars(orderReference: string, policies: { number: string; product: string; verifyUrl: string }[], link: string) {
  return {
    orderReference,
    policyNumbers: policies.map((p) => p.number).join(", "),
    policies: policies.map((p) => `${p.product} ${p.number} (${p.verifyUrl})`).join("; "),
    link,
  };
}

/** A policy approved in underwriting: its certificate, and one email with it. */
export async function renderPolicyCertificate(tenant: TenantInfo, policyId: string, origin: string, files: FileStore = fileStore()) {
  const orderId = await withTenant(
    tenant.id,
    async (db) => (await db.selectFrom("policies").select("order_id").where("id", "=", policyId).executeTakeFirstOrThrow()).order_id,
  );
  // The order's renderer draws whatever certificate is missing, this one included; its email was sent already.
  await renderOrderDocuments(tenant, orderId, origin, files);
  return withTenant(tenant.id, async (db) => {
    const p = await db
      .selectFrom("policies")
      .innerJoin("orders", "orders.id", "policies.order_id")
      .innerJoin("users", "users.id", "policies.user_id")
      .innerJoin("products", "products.id", "policies.product_id")
      .select([
        "policies.policy_number",
        "policies.certificate_file_key",
        "policies.verification_code",
        "orders.reference",
        "orders.holder",
        "orders.origin",
        "policies.user_id",
        "users.email",
        "users.name",
        "products.name as product",
      ])
      .where("policies.id", "=", policyId)
      .executeTakeFirstOrThrow();
    if (!p.certificate_file_key || !p.policy_number) return "documents_incomplete";
    const site = p.origin ?? origin;
    const results = await notify(db, tenant.id, {
      event: "policy_documents",
      to: { userId: p.user_id, email: p.holder.email ?? p.email, phone: p.holder.phone, name: p.holder.name || p.name },
      vars: policyDocumentsVars(
        p.reference,
        [{ number: p.policy_number, product: p.product, verifyUrl: verifyUrl(site, p.verification_code) }],
        `${site}/account/policies`,
      ),
      dedupeKey: `policy_certificate:${policyId}`,
      attachments: [{ filename: `${p.policy_number}.pdf`, fileKey: p.certificate_file_key, contentType: PDF }],
    });
    const id = sentOn(results, "email");
    return id ? "emailed" : "already_emailed";
  });
}

/** An instalment's payment: its receipt number, PDF and email, each once. */
export async function instalmentReceipt(tenant: TenantInfo, transactionId: string, origin: string, files: FileStore = fileStore()) {
  const found = await withTenant(tenant.id, async (db) => {
    const row = await db
      .selectFrom("transactions")
      .innerJoin("instalments", "instalments.id", "transactions.instalment_id")
      .innerJoin("policies", "policies.id", "instalments.policy_id")
      .innerJoin("products", "products.id", "policies.product_id")
      .innerJoin("orders", "orders.id", "policies.order_id")
      .innerJoin("users", "users.id", "transactions.user_id")
      .select([
        "transactions.id",
        "transactions.amount_minor",
        "transactions.method",
        "transactions.provider_receipt",
        "transactions.provider_ref",
        "transactions.completed_at",
        "transactions.phone_masked",
        "transactions.user_id",
        "instalments.sequence",
        "policies.policy_number",
        "products.name as product",
        "orders.holder",
        "orders.origin",
        "orders.reference",
        "users.email",
        "users.name",
        "users.language",
      ])
      .where("transactions.id", "=", transactionId)
      .executeTakeFirstOrThrow();
    let receipt = await db
      .selectFrom("receipts")
      .select(["id", "receipt_number", "file_key"])
      .where("transaction_id", "=", transactionId)
      .executeTakeFirst();
    if (!receipt) {
      const number = await nextNumber(db, tenant.numberPrefix, "receipt", new Date().getFullYear());
      receipt = await db
        .insertInto("receipts")
        .values({ receipt_number: number, transaction_id: transactionId })
        .returning(["id", "receipt_number", "file_key"])
        .executeTakeFirstOrThrow();
    }
    return { row, receipt };
  });
  const { row, receipt } = found;
  const reader = readerLanguage(tenant, row.language);
  const description = (await serverT(reader.language, "documents"))("receipt.lineInstalment", {
    product: row.product,
    policy: row.policy_number,
    number: row.sequence,
  });
  let key = receipt.file_key;
  if (!key) {
    key = receiptKey(tenant.id, receipt.id);
    const pdf = await renderReceiptPdf({
      tenant: documentTenantOf(tenant),
      ...reader,
      timeZone: tenant.timeZone,
      currency: tenant.currency,
      receiptNumber: receipt.receipt_number,
      paidAt: row.completed_at ?? new Date(),
      payer: { name: row.holder.name || row.name, email: row.holder.email ?? row.email, phoneMasked: row.phone_masked ?? undefined },
      method: row.method,
      providerReference: row.provider_receipt ?? row.provider_ref ?? "",
      orderReference: row.reference,
      lines: [{ description, amountMinor: row.amount_minor }],
      levies: [],
      totalMinor: row.amount_minor,
    });
    await files.put(key, pdf, { contentType: PDF });
  }
  return withTenant(tenant.id, async (db) => {
    await db.updateTable("receipts").set({ file_key: key }).where("id", "=", receipt.id).execute();
    const site = row.origin ?? origin;
    const results = await notify(db, tenant.id, {
      event: "payment_received",
      to: { userId: row.user_id, email: row.holder.email ?? row.email, phone: row.holder.phone, name: row.holder.name || row.name },
      vars: {
        receiptNumber: receipt.receipt_number,
        // The receipt's line in words is English; the message names the policy and instalment by figures.
        description: `${row.product} ${row.policy_number} #${row.sequence}`,
        amount: (locale: string) => formatMoney(row.amount_minor, tenant.currency, locale),
        link: `${site}/account/payments`,
      },
      dedupeKey: `receipt:${transactionId}`,
      attachments: [{ filename: `${receipt.receipt_number}.pdf`, fileKey: key!, contentType: PDF }],
    });
    const id = sentOn(results, "email");
    return id ? "emailed" : "already_emailed";
  });
}

const versionCertificateKey = (tenantId: string, policyId: string, version: number) =>
  kindKey(tenantId, "certificate-versions", `${policyId}-v${version}.pdf`);

/**
 * The certificate of a policy's version after the first (a change mid-term, issue 13): the policy
 * as it stands from the version's effective date, "Version N, effective DATE" on it, stored on the
 * version (`policy_versions.certificate_file_key`). The first certificate stays the policy's own.
 * Safe to repeat: the key is the version's, so a re-run overwrites the same object.
 */
export async function renderVersionCertificate(tenant: TenantInfo, versionId: string, origin: string, files: FileStore = fileStore()) {
  const data = await withTenant(tenant.id, async (db) => {
    const v = await db
      .selectFrom("policy_versions as v")
      .innerJoin("policies as p", "p.id", "v.policy_id")
      .innerJoin("orders as o", "o.id", "p.order_id")
      .innerJoin("users as u", "u.id", "p.user_id")
      .innerJoin("products as pr", "pr.id", "p.product_id")
      .innerJoin("categories as c", "c.id", "pr.category_id")
      .innerJoin("insurers as i", "i.id", "pr.insurer_id")
      .select([
        "v.id",
        "v.version",
        "v.status",
        "v.effective_date",
        "v.annual_premium_minor",
        "v.inputs",
        "v.certificate_file_key",
        "p.id as policy_id",
        "p.policy_number",
        "p.status as policy_status",
        "p.start_date",
        "p.end_date",
        "p.frequency",
        "p.verification_code",
        "p.order_id",
        "o.holder",
        "o.origin",
        "u.email",
        "u.name",
        "u.language",
        "pr.name as product_name",
        "pr.max_cover_minor",
        "pr.rating",
        "pr.requirements",
        "c.name as category_name",
        "i.name as insurer_name",
      ])
      .where("v.id", "=", versionId)
      .executeTakeFirst();
    if (!v || v.status !== "applied" || v.version < 2 || !v.policy_number) return null;
    const identifiers = await db.selectFrom("personal_identifiers").select(["kind", "masked"]).where("order_id", "=", v.order_id).execute();
    const beneficiaries = await db
      .selectFrom("beneficiaries")
      .select(["name", "relationship", "share_bp"])
      .where("order_id", "=", v.order_id)
      .orderBy("position")
      .execute();
    return { v, identifier: [...identifiers].sort((a, b) => identityRank(a.kind) - identityRank(b.kind))[0], beneficiaries };
  });
  if (!data) return null;
  const { v, identifier, beneficiaries } = data;
  const annual = Number(v.annual_premium_minor);
  const certificate: CertificateData = {
    tenant: documentTenantOf(tenant),
    ...readerLanguage(tenant, v.language),
    timeZone: tenant.timeZone,
    currency: tenant.currency,
    policyNumber: v.policy_number!,
    status: v.policy_status,
    holder: { name: v.holder.name || v.name, idMasked: identifier?.masked, email: v.holder.email ?? v.email },
    product: { name: v.product_name, category: v.category_name, insurer: v.insurer_name },
    cover: {
      startDate: v.start_date!,
      endDate: v.end_date!,
      sumInsuredMinor: sumInsuredOf(v.rating, v.inputs, v.max_cover_minor),
      frequency: v.frequency,
      premiumMinor: annual,
      levies: [],
      totalMinor: annual,
    },
    beneficiaries: v.requirements?.beneficiaries
      ? beneficiaries.map((b) => ({ name: b.name, relationship: b.relationship, sharePercent: b.share_bp / 100 }))
      : [],
    version: { number: v.version, effectiveDate: v.effective_date, annualPremiumMinor: annual },
    issuedAt: new Date(),
    verifyUrl: verifyUrl(v.origin ?? origin, v.verification_code),
  };
  const key = versionCertificateKey(tenant.id, v.policy_id, v.version);
  await files.put(key, await renderCertificatePdf(certificate), { contentType: PDF });
  await withTenant(tenant.id, (db) =>
    db.updateTable("policy_versions").set({ certificate_file_key: key }).where("id", "=", versionId).execute(),
  );
  return key;
}
