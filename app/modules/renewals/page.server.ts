import { z } from "zod";
import type { TenantDb } from "~db/client";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { policyRules } from "~/modules/policies/premiums.server";
import { renewablePolicy, renewalQuote, renewalRefusal, type RenewalTenant } from "./renewals.server";

/** The renew page's two buttons: renew now, or turn auto-renew on or off. */
export const renewFormSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("renew") }),
  z.object({ intent: z.literal("auto_renew"), on: z.enum(["on", "off"]) }),
]);

/**
 * What the renew page shows (/account/policies/:id/renew): the renewal's price and what changed,
 * or why the policy cannot be renewed now; undefined when it is not this customer's policy.
 */
export async function renewalPage(db: TenantDb, tenant: RenewalTenant, userId: string, policyId: string, today: string) {
  const policy = await renewablePolicy(db, policyId, userId);
  if (!policy) return undefined;
  const rules = await policyRules(db, tenant.id);
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  const day = (value: string) => formatDate(value, tenant.locale, "UTC");
  const refused = renewalRefusal(policy, rules.renewalOfferDays, today);
  const priced = refused ? null : await renewalQuote(db, tenant, policy);
  const refusal = refused ?? (priced && !priced.ok ? priced : null);
  const renewal = priced?.ok ? priced.renewal : null;
  return {
    policy: {
      id: policy.id,
      policyNumber: policy.policyNumber,
      productName: policy.productName,
      endDate: policy.endDate ? day(policy.endDate) : null,
      renewedById: policy.renewedById,
    },
    refusal: refusal
      ? { code: refusal.code, message: refusal.message, opensOn: refusal.opensOn ? day(refusal.opensOn) : null, days: refusal.days ?? null }
      : null,
    renewal: renewal
      ? {
          quoteReference: renewal.quote.reference,
          startDate: day(renewal.startDate),
          frequency: renewal.quote.payable.frequency,
          dueNow: money(renewal.quote.payable.firstInstalmentAmount),
          instalments: renewal.quote.payable.instalmentsPerYear,
          instalment: money(renewal.quote.payable.instalmentAmount),
          annualPremium: money(renewal.quote.premium),
          oldAnnualPremium: money(renewal.oldAnnualMinor),
          claimFreeYears: renewal.claimFreeYears,
          lines: renewal.quote.breakdown.lines.map((l) => ({ label: l.label, amount: money(l.amount) })),
          changes: renewal.changes.map((c) => ({ kind: c.kind, why: c.why, before: money(c.oldMinor), after: money(c.newMinor) })),
        }
      : null,
    autoRenew: policy.lifecycle.renewable && policy.lifecycle.autoRenew ? { on: policy.autoRenew } : null,
  };
}
