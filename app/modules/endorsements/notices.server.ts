import { withTenant } from "~db/client";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { notify } from "~/modules/notifications/notify.server";
import { sentOn } from "~/modules/notifications/sent";
import { renderVersionCertificate } from "~/modules/policies/documents.server";
import type { FileStore } from "~/modules/files/storage.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";

/**
 * Job `policy_version_applied`: a version came into force, so its certificate is drawn and the
 * customer is told what changed and what it cost or returned (topic "policy_changes"), once per
 * version (the email's dedupe key). Safe to repeat.
 */
export async function afterVersionApplied(tenant: TenantInfo, versionId: string, origin: string, files?: FileStore): Promise<string> {
  const key = await renderVersionCertificate(tenant, versionId, origin, files);
  if (!key) return "no_certificate";
  return withTenant(tenant.id, async (db) => {
    const v = await db
      .selectFrom("policy_versions as v")
      .innerJoin("policies as p", "p.id", "v.policy_id")
      .innerJoin("orders as o", "o.id", "p.order_id")
      .innerJoin("users as u", "u.id", "p.user_id")
      .select(["v.version", "v.kind", "v.summary", "v.effective_date", "v.premium_delta_minor", "v.annual_premium_minor", "v.currency"])
      .select(["p.id as policy_id", "p.policy_number", "p.user_id", "o.holder", "o.origin", "u.email", "u.name"])
      .where("v.id", "=", versionId)
      .executeTakeFirstOrThrow();
    // Money and dates in the reader's language (notify knows it), not the job's.
    const money = (minor: number) => (locale: string) => formatMoney(minor, v.currency, locale);
    const delta = Number(v.premium_delta_minor);
    const site = v.origin ?? origin;
    const link = `${site}/account/policies/${v.policy_id}`;
    const policyNumber = v.policy_number ?? "";
    // A reinstatement is its own news ("you are covered again"), not a list of changed terms.
    const reinstated = v.kind === "reinstatement";
    const results = await notify(db, tenant.id, {
      event: reinstated ? "policy_reinstated" : "policy_changed",
      to: { userId: v.user_id, email: v.holder.email ?? v.email, name: v.holder.name || v.name },
      vars: reinstated
        ? { policyNumber, link }
        : {
            policyNumber,
            version: String(v.version),
            effectiveDate: (locale) => formatDate(v.effective_date, locale, "UTC"),
            changes: v.summary,
            premiumPaid: money(Math.max(delta, 0)),
            premiumReturned: money(Math.max(-delta, 0)),
            annualPremium: money(Number(v.annual_premium_minor)),
            link,
          },
      link: `/account/policies/${v.policy_id}`,
      dedupeKey: `${reinstated ? "policy_reinstated" : "policy_changed"}:${versionId}`,
      attachments: [
        {
          filename: `${(v.policy_number ?? "policy").replace(/[^A-Za-z0-9-]/g, "-")}-v${v.version}.pdf`,
          fileKey: key,
          contentType: "application/pdf",
        },
      ],
    });
    const id = sentOn(results, "email");
    return id ? "emailed" : "already_emailed";
  });
}
