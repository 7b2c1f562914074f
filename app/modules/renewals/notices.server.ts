import type { TenantDb } from "~db/client";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { queueEmail } from "~/modules/notifications/email.server";
import {
  policyExpiredTemplate,
  policyExpiringTemplate,
  policyRenewedTemplate,
  renewalOfferTemplate,
} from "~/modules/notifications/renewal-templates.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import type { RenewalQuote } from "./renewals.server";

/**
 * The renewal notices, each once per business event by its dedupe key (an offer per policy and
 * offer day, the rest per policy), queued in the caller's transaction.
 */

export type NoticeTenant = Pick<TenantInfo, "id" | "name" | "locale" | "currency" | "branding">;

const brandOf = (tenant: NoticeTenant) => ({ tenantName: tenant.name, primaryColor: tenant.branding.colors?.primary });
// Cover dates are calendar dates: shown as they are, whatever the zone.
const day = (tenant: NoticeTenant, value: string) => formatDate(value, tenant.locale, "UTC");

async function customerOf(db: TenantDb, policyId: string) {
  return db
    .selectFrom("policies")
    .innerJoin("users", "users.id", "policies.user_id")
    .innerJoin("products", "products.id", "policies.product_id")
    .select([
      "users.id as userId",
      "users.name",
      "users.email",
      "policies.policy_number",
      "policies.end_date",
      "policies.start_date",
      "products.name as productName",
    ])
    .where("policies.id", "=", policyId)
    .executeTakeFirstOrThrow();
}

export const renewLink = (origin: string, policyId: string) => `${origin}/account/policies/${policyId}/renew`;

export async function queueRenewalOffer(
  db: TenantDb,
  tenant: NoticeTenant,
  input: { policyId: string; offerDays: number; reminder: boolean; renewal: RenewalQuote; origin: string; autoRenewFailed?: boolean },
) {
  const c = await customerOf(db, input.policyId);
  const { quote } = input.renewal;
  const money = (minor: number) => formatMoney(minor, quote.currency, tenant.locale);
  const price =
    quote.payable.instalmentsPerYear > 1
      ? `${money(quote.payable.firstInstalmentAmount)} now, then ${quote.payable.instalmentsPerYear - 1} instalments of ${money(quote.payable.instalmentAmount)}`
      : `${money(quote.payable.firstInstalmentAmount)} for the year`;
  return queueEmail(db, tenant.id, {
    to: c.email,
    userId: c.userId,
    category: "renewals",
    dedupeKey: `renewal_offer:${input.policyId}:${input.offerDays}`,
    ...renewalOfferTemplate(brandOf(tenant), {
      name: c.name,
      policyNumber: c.policy_number ?? "",
      productName: c.productName,
      endDate: day(tenant, c.end_date!),
      startDate: day(tenant, input.renewal.startDate),
      price,
      changes: input.renewal.changes.map((ch) => ch.why),
      link: renewLink(input.origin, input.policyId),
      reminder: input.reminder,
      autoRenewFailed: input.autoRenewFailed,
    }),
  });
}

export async function queueRenewed(
  db: TenantDb,
  tenant: NoticeTenant,
  input: { policyId: string; previousNumber: string; origin: string },
) {
  const c = await customerOf(db, input.policyId);
  return queueEmail(db, tenant.id, {
    to: c.email,
    userId: c.userId,
    category: "renewals",
    dedupeKey: `policy_renewed:${input.policyId}`,
    ...policyRenewedTemplate(brandOf(tenant), {
      name: c.name,
      oldPolicyNumber: input.previousNumber,
      newPolicyNumber: c.policy_number ?? "",
      startDate: day(tenant, c.start_date!),
      endDate: day(tenant, c.end_date!),
      link: `${input.origin}/account/policies/${input.policyId}`,
    }),
  });
}

export async function queueExpiring(db: TenantDb, tenant: NoticeTenant, input: { policyId: string; renewable: boolean; origin: string }) {
  const c = await customerOf(db, input.policyId);
  return queueEmail(db, tenant.id, {
    to: c.email,
    userId: c.userId,
    category: "renewals",
    dedupeKey: `policy_expiring:${input.policyId}`,
    ...policyExpiringTemplate(brandOf(tenant), {
      name: c.name,
      policyNumber: c.policy_number ?? "",
      productName: c.productName,
      endDate: day(tenant, c.end_date!),
      renewLink: input.renewable ? renewLink(input.origin, input.policyId) : null,
    }),
  });
}

export async function queueExpired(db: TenantDb, tenant: NoticeTenant, input: { policyId: string; origin: string }) {
  const c = await customerOf(db, input.policyId);
  return queueEmail(db, tenant.id, {
    to: c.email,
    userId: c.userId,
    category: "renewals",
    dedupeKey: `policy_expired:${input.policyId}`,
    ...policyExpiredTemplate(brandOf(tenant), {
      name: c.name,
      policyNumber: c.policy_number ?? "",
      productName: c.productName,
      endDate: day(tenant, c.end_date!),
      link: `${input.origin}/products`,
    }),
  });
}
