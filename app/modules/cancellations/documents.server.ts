import { withTenant, type TenantDb } from "~db/client";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { renderCancellationLetterPdf } from "~/modules/documents/cancellation-letter.server";
import type { TFunction } from "i18next";
import { documentTenantOf, readerLanguage } from "~/modules/documents/pdf-theme.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { kindKey } from "~/modules/files/kinds";
import { fileStore, type FileStore } from "~/modules/files/storage.server";
import { notify } from "~/modules/notifications/notify.server";
import { sentOn } from "~/modules/notifications/sent";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { methodInWords, type RefundBasis } from "./quote.server";

/**
 * A cancellation's letter and the customer's notice (job `cancellation_documents`): rendered by a
 * job, never in a request, stored under a key derived from the version (a second run overwrites the
 * same object and points the same column at it), then one email with the letter attached,
 * deduplicated per version.
 */
export const LETTER_CONTENT_TYPE = "application/pdf";
export const cancellationLetterKey = (tenantId: string, versionId: string) => kindKey(tenantId, "cancellation-letters", `${versionId}.pdf`);

async function letterBasics(db: TenantDb, versionId: string) {
  return db
    .selectFrom("policy_versions as v")
    .innerJoin("policies as p", "p.id", "v.policy_id")
    .innerJoin("products as pr", "pr.id", "p.product_id")
    .innerJoin("orders as o", "o.id", "p.order_id")
    .innerJoin("users as u", "u.id", "p.user_id")
    .select([
      "v.id",
      "v.kind",
      "v.effective_date",
      "v.reason",
      "v.refund_basis",
      "v.letter_file_key",
      "v.created_at",
      "p.id as policy_id",
      "p.user_id",
      "p.policy_number",
      "p.currency",
      "pr.name as product_name",
      "o.holder",
      "o.origin",
      "u.name as user_name",
      "u.email as user_email",
      "u.language",
    ])
    .where("v.id", "=", versionId)
    .where("v.kind", "=", "cancellation")
    .executeTakeFirst();
}

/** "Card payment of 1 Dec 2026, back the same way" — how each part of a refund comes back, in the reader's words. */
export function returnLabel(line: RefundBasis["refunds"][number], where: { locale: string; timeZone: string }, t: TFunction): string {
  return t(line.byAgency ? "cancellation.returnByAgency" : "cancellation.returnSameWay", {
    method: t(`method.${line.method}`, { defaultValue: line.method }),
    date: formatDate(line.paidOn, where.locale, where.timeZone),
  });
}

/** The letter's key once it exists (rendered now if missing), or null for no such cancellation. */
export async function ensureCancellationLetter(
  tenant: TenantInfo,
  versionId: string,
  files: FileStore = fileStore(),
): Promise<string | null> {
  const v = await withTenant(tenant.id, (db) => letterBasics(db, versionId));
  if (!v || !v.refund_basis) return null;
  if (v.letter_file_key) return v.letter_file_key;
  const basis = v.refund_basis as RefundBasis;
  // Written in the holder's language, whoever's job renders it (decision 037).
  const reader = readerLanguage(tenant, v.language);
  const t = await serverT(reader.language, "documents");
  const day = (d: string) => formatDate(`${d}T00:00:00Z`, reader.locale, "UTC");
  const pdf = await renderCancellationLetterPdf({
    tenant: documentTenantOf(tenant),
    ...reader,
    timeZone: tenant.timeZone,
    currency: v.currency,
    policyNumber: v.policy_number ?? "—",
    productName: v.product_name,
    holder: { name: v.holder.name || v.user_name, email: v.holder.email ?? v.user_email },
    cancelledOn: v.effective_date,
    cover: basis.term,
    reason: v.reason ?? "—",
    cancelledBy: basis.by,
    methodInWords: methodInWords(basis, day, t, reader.locale),
    paidMinor: basis.paidMinor,
    keptMinor: basis.earnedMinor,
    claimsPaidMinor: basis.claimsPaidMinor,
    refundMinor: basis.returnMinor,
    returns: basis.refunds.map((r) => ({
      label: returnLabel(r, { locale: reader.locale, timeZone: tenant.timeZone }, t),
      amountMinor: r.amountMinor,
    })),
    issuedAt: v.created_at,
  });
  const key = cancellationLetterKey(tenant.id, versionId);
  await files.put(key, pdf, { contentType: LETTER_CONTENT_TYPE });
  await withTenant(tenant.id, (db) =>
    db
      .updateTable("policy_versions")
      .set({ letter_file_key: key })
      .where("id", "=", versionId)
      .where("letter_file_key", "is", null)
      .execute(),
  );
  return key;
}

/** The letter, then the customer's notice with it attached (once per cancellation). */
export async function sendCancellationDocuments(tenant: TenantInfo, versionId: string, origin: string, files?: FileStore): Promise<string> {
  const key = await ensureCancellationLetter(tenant, versionId, files);
  if (!key) return "no_cancellation";
  return withTenant(tenant.id, async (db) => {
    const v = await letterBasics(db, versionId);
    if (!v) return "no_cancellation";
    const basis = v.refund_basis as RefundBasis;
    const money = (minor: number) => (locale: string) => formatMoney(minor, v.currency, locale);
    const byAgency = basis.refunds.filter((r) => r.byAgency).reduce((s, r) => s + r.amountMinor, 0);
    const results = await notify(db, tenant.id, {
      event: "policy_cancelled",
      to: { userId: v.user_id, email: v.holder.email || v.user_email, name: v.holder.name || v.user_name },
      vars: {
        productName: v.product_name,
        policyNumber: v.policy_number ?? "",
        cancelledOn: (locale: string) => formatDate(`${v.effective_date}T00:00:00Z`, locale, "UTC"),
        refund: money(Math.max(basis.returnMinor, 0)),
        byAgency: money(byAgency),
        link: `${v.origin ?? origin}/account/policies/${v.policy_id}/cancel`,
      },
      dedupeKey: `policy_cancelled:${versionId}`,
      attachments: [
        {
          filename: `Cancellation-${(v.policy_number ?? "policy").replace(/[^A-Za-z0-9-]/g, "-")}.pdf`,
          fileKey: key,
          contentType: LETTER_CONTENT_TYPE,
        },
      ],
    });
    return sentOn(results, "email") ? "emailed" : "already_emailed";
  });
}
