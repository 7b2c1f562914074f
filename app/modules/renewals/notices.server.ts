import type { TenantDb } from "~db/client";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import type { EventKey } from "~/modules/notifications/events";
import { notify, type Notification } from "~/modules/notifications/notify.server";
import { sentOn } from "~/modules/notifications/sent";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import type { RenewalQuote } from "./renewals.server";

/**
 * The renewal notices, each once per business event by its dedupe key (an offer per policy and
 * offer day, the rest per policy), queued in the caller's transaction.
 */

export type NoticeTenant = Pick<TenantInfo, "id" | "name" | "locale" | "currency" | "branding">;
// Cover dates are calendar dates: shown as they are, whatever the zone.
// In the reader's locale, which notify knows.
const day = (_tenant: NoticeTenant, value: string) => (locale: string) => formatDate(value, locale, "UTC");

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

/** One notice to the policy's customer (their language and preferences); the email's id, or null. */
async function tell(
  db: TenantDb,
  tenant: NoticeTenant,
  c: { userId: string; email: string },
  event: EventKey,
  dedupeKey: string,
  vars: Notification["vars"],
) {
  return sentOn(await notify(db, tenant.id, { event, to: { userId: c.userId, email: c.email }, vars, dedupeKey }), "email");
}

export const renewLink = (origin: string, policyId: string) => `${origin}/account/policies/${policyId}/renew`;

export async function queueRenewalOffer(
  db: TenantDb,
  tenant: NoticeTenant,
  input: { policyId: string; offerDays: number; reminder: boolean; renewal: RenewalQuote; origin: string; autoRenewFailed?: boolean },
) {
  const c = await customerOf(db, input.policyId);
  const { quote } = input.renewal;
  // Figures only, so the price reads the same in every language; in the reader's locale.
  const price = (locale: string) => {
    const money = (minor: number) => formatMoney(minor, quote.currency, locale);
    return quote.payable.instalmentsPerYear > 1
      ? `${money(quote.payable.firstInstalmentAmount)} + ${quote.payable.instalmentsPerYear - 1} × ${money(quote.payable.instalmentAmount)}`
      : money(quote.payable.firstInstalmentAmount);
  };
  const event = input.autoRenewFailed ? "auto_renew_failed" : input.reminder ? "renewal_reminder" : "renewal_offer";
  return tell(db, tenant, c, event, `renewal_offer:${input.policyId}:${input.offerDays}`, {
    policyNumber: c.policy_number ?? "",
    productName: c.productName,
    endDate: day(tenant, c.end_date!),
    startDate: day(tenant, input.renewal.startDate),
    price,
    changes: input.renewal.changes.length ? input.renewal.changes.map((ch) => ch.why).join("; ") : "—",
    link: renewLink(input.origin, input.policyId),
  });
}

export async function queueRenewed(
  db: TenantDb,
  tenant: NoticeTenant,
  input: { policyId: string; previousNumber: string; origin: string },
) {
  const c = await customerOf(db, input.policyId);
  return tell(db, tenant, c, "policy_renewed", `policy_renewed:${input.policyId}`, {
    oldPolicyNumber: input.previousNumber,
    newPolicyNumber: c.policy_number ?? "",
    startDate: day(tenant, c.start_date!),
    endDate: day(tenant, c.end_date!),
    link: `${input.origin}/account/policies/${input.policyId}`,
  });
}

export async function queueExpiring(db: TenantDb, tenant: NoticeTenant, input: { policyId: string; renewable: boolean; origin: string }) {
  const c = await customerOf(db, input.policyId);
  return tell(db, tenant, c, "policy_expiring", `policy_expiring:${input.policyId}`, {
    policyNumber: c.policy_number ?? "",
    productName: c.productName,
    endDate: day(tenant, c.end_date!),
    // Cover that cannot be renewed: new cover from the catalogue instead.
    link: input.renewable ? renewLink(input.origin, input.policyId) : `${input.origin}/products`,
  });
}

export async function queueExpired(db: TenantDb, tenant: NoticeTenant, input: { policyId: string; origin: string }) {
  const c = await customerOf(db, input.policyId);
  return tell(db, tenant, c, "policy_expired", `policy_expired:${input.policyId}`, {
    policyNumber: c.policy_number ?? "",
    productName: c.productName,
    endDate: day(tenant, c.end_date!),
    link: `${input.origin}/products`,
  });
}
