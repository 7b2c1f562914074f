import type { TFunction } from "i18next";
import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { PolicyStatus } from "~db/schema";
import { cancellationReturnMinor, coverDays, productLifecycle } from "~/modules/policies/lifecycle";
import { policyRules } from "~/modules/policies/premiums.server";
import { addDays, daysBetween, isIsoDate, quoteDateIn } from "~/modules/rating/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { allocateReturn, policyPayments, type PolicyPayment } from "./payments.server";

/**
 * What cancelling a policy on a day would return, and why (issue 13, item 3; decision 030):
 *
 * - **Free look**: cancelled no later than the tenant's free-look days after the day of issue,
 *   everything paid comes back.
 * - Otherwise the product's method: **pro rata** (the premium for the days left of the term,
 *   `docs/decisions/027` rounding) or the **short-rate** scale (the insurer keeps its share for the
 *   days in force), never more than was paid.
 * - Less any **claim paid** on the policy (its paid settlements), never below nothing.
 *
 * The premium for the term is what the customer owes for the whole term however they pay: every
 * instalment of its schedule (levies and duties included, the discount taken off) plus the premium
 * endorsements added or returned. The refund is spread over the payments, newest first.
 */
export type CancellationMethod = "free_look" | "pro_rata" | "short_rate";

export interface RefundLine {
  transactionId: string;
  method: PolicyPayment["method"];
  paidOn: Date;
  paidMinor: number;
  amountMinor: number;
  /** Cash or a bank-in: the agency returns it, not a provider. */
  byAgency: boolean;
}

export interface CancellationQuote {
  policyId: string;
  policyNumber: string;
  productName: string;
  userId: string;
  status: PolicyStatus;
  currency: string;
  /** The first day without cover. */
  on: string;
  issuedOn: string;
  term: { start: string; end: string };
  freeLookDays: number;
  /** The last day of the free-look period. */
  freeLookEndsOn: string;
  method: CancellationMethod;
  /** For the short-rate scale: the insurer's share kept, in basis points. */
  retainedBp: number | null;
  daysInForce: number;
  termDays: number;
  termPremiumMinor: number;
  paidMinor: number;
  earnedMinor: number;
  claimsPaidMinor: number;
  returnMinor: number;
  refunds: RefundLine[];
}

export type QuoteResult = { ok: true; quote: CancellationQuote } | { ok: false; code: "not_found" | "not_cancellable"; message: string };

const CANCELLABLE: readonly PolicyStatus[] = ["active", "grace"];

const REFUSALS: Partial<Record<PolicyStatus, string>> = {
  cancelled: "This policy is already cancelled.",
  expired: "This policy has expired: there is no cover left to cancel.",
  lapsed: "This policy has lapsed: there is no cover left to cancel.",
  declined: "This application was declined: there is no policy to cancel.",
  pending_underwriting: "This application is still with the underwriter: it is not a policy yet.",
  pending_payment: "This policy has not been issued.",
  quoted: "This policy has not been issued.",
};

export async function quoteCancellation(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "timeZone">,
  policyId: string,
  options: { on: string; userId?: string },
): Promise<QuoteResult> {
  if (!isIsoDate(options.on)) return { ok: false, code: "not_cancellable", message: "Choose a valid date." };
  const policy = await db
    .selectFrom("policies")
    .innerJoin("products", "products.id", "policies.product_id")
    .select([
      "policies.id",
      "policies.user_id",
      "policies.status",
      "policies.policy_number",
      "policies.start_date",
      "policies.end_date",
      "policies.issued_at",
      "policies.currency",
      "products.name as product_name",
      "products.lifecycle",
    ])
    .where("policies.id", "=", policyId)
    .$if(options.userId !== undefined, (q) => q.where("policies.user_id", "=", options.userId!))
    .executeTakeFirst();
  if (!policy) return { ok: false, code: "not_found", message: "We could not find that policy." };
  if (!CANCELLABLE.includes(policy.status) || !policy.policy_number || !policy.start_date || !policy.end_date || !policy.issued_at) {
    return { ok: false, code: "not_cancellable", message: REFUSALS[policy.status] ?? "This policy cannot be cancelled." };
  }
  if (options.on > policy.end_date) {
    return { ok: false, code: "not_cancellable", message: "This policy's cover has ended: there is nothing left to cancel." };
  }
  const term = { start: policy.start_date, end: policy.end_date };
  const issuedOn = quoteDateIn(tenant.timeZone, policy.issued_at);
  const rules = await policyRules(db, tenant.id);
  const lifecycle = productLifecycle(policy.lifecycle);

  const schedule = await db
    .selectFrom("instalments")
    .select(sql<string>`coalesce(sum(amount_minor), 0)::bigint`.as("sum"))
    .where("policy_id", "=", policyId)
    .executeTakeFirstOrThrow();
  const changes = await db
    .selectFrom("policy_versions")
    .select(sql<string>`coalesce(sum(premium_delta_minor), 0)::bigint`.as("sum"))
    .where("policy_id", "=", policyId)
    .where("status", "=", "applied")
    .where("kind", "in", ["endorsement", "reinstatement", "reversal"])
    .executeTakeFirstOrThrow();
  const termPremiumMinor = Math.max(0, Number(schedule.sum) + Number(changes.sum));

  const payments = await policyPayments(db, policyId);
  const paidMinor = payments.reduce((sum, p) => sum + p.shareMinor - p.refundedMinor, 0);
  const claims = await db
    .selectFrom("claim_settlements")
    .innerJoin("claims", "claims.id", "claim_settlements.claim_id")
    .select(sql<string>`coalesce(sum(claim_settlements.amount_minor), 0)::bigint`.as("sum"))
    .where("claims.policy_id", "=", policyId)
    .where("claim_settlements.status", "=", "paid")
    .executeTakeFirstOrThrow();
  const claimsPaidMinor = Number(claims.sum);

  const result = cancellationReturnMinor({
    annualMinor: termPremiumMinor,
    paidMinor,
    term,
    on: options.on,
    issuedOn,
    freeLookDays: rules.freeLookDays,
    lifecycle,
  });
  const available = payments.reduce((sum, p) => sum + p.availableMinor, 0);
  const returnMinor = Math.min(Math.max(0, result.returnMinor - claimsPaidMinor), available);
  const termDays = coverDays(term.start, term.end);
  const daysInForce = options.on <= term.start ? 0 : Math.min(termDays, daysBetween(term.start, options.on));
  const retainedBp =
    result.method === "short_rate"
      ? ([...lifecycle.shortRate].sort((a, b) => a.upToDays - b.upToDays).find((s) => daysInForce <= s.upToDays)?.retainedBp ?? 10_000)
      : null;

  return {
    ok: true,
    quote: {
      policyId: policy.id,
      policyNumber: policy.policy_number,
      productName: policy.product_name,
      userId: policy.user_id,
      status: policy.status,
      currency: policy.currency,
      on: options.on,
      issuedOn,
      term,
      freeLookDays: rules.freeLookDays,
      freeLookEndsOn: addDays(issuedOn, rules.freeLookDays),
      method: result.method,
      retainedBp: options.on <= term.start ? 0 : retainedBp,
      daysInForce,
      termDays,
      termPremiumMinor,
      paidMinor,
      earnedMinor: result.earnedMinor,
      claimsPaidMinor,
      returnMinor,
      refunds: allocateReturn(payments, returnMinor).map(({ payment, amountMinor }) => ({
        transactionId: payment.transactionId,
        method: payment.method,
        paidOn: payment.completedAt,
        paidMinor: payment.shareMinor,
        amountMinor,
        byAgency: payment.offline,
      })),
    },
  };
}

/** The figures a cancellation keeps with its version (`policy_versions.refund_basis`). */
export interface RefundBasis {
  by: "customer" | "staff";
  method: CancellationMethod;
  retainedBp: number | null;
  issuedOn: string;
  freeLookDays: number;
  freeLookEndsOn: string;
  term: { start: string; end: string };
  daysInForce: number;
  termDays: number;
  termPremiumMinor: number;
  paidMinor: number;
  earnedMinor: number;
  claimsPaidMinor: number;
  returnMinor: number;
  refunds: { transactionId: string; method: string; paidOn: string; amountMinor: number; byAgency: boolean }[];
}

export function refundBasisOf(quote: CancellationQuote, by: "customer" | "staff"): RefundBasis {
  return {
    by,
    method: quote.method,
    retainedBp: quote.retainedBp,
    issuedOn: quote.issuedOn,
    freeLookDays: quote.freeLookDays,
    freeLookEndsOn: quote.freeLookEndsOn,
    term: quote.term,
    daysInForce: quote.daysInForce,
    termDays: quote.termDays,
    termPremiumMinor: quote.termPremiumMinor,
    paidMinor: quote.paidMinor,
    earnedMinor: quote.earnedMinor,
    claimsPaidMinor: quote.claimsPaidMinor,
    returnMinor: quote.returnMinor,
    refunds: quote.refunds.map((r) => ({
      transactionId: r.transactionId,
      method: r.method,
      paidOn: r.paidOn.toISOString(),
      amountMinor: r.amountMinor,
      byAgency: r.byAgency,
    })),
  };
}

/**
 * Why this much comes back, in the reader's words (`t` of the documents namespace, the letter's
 * `cancellation.why.*`). `day` shows a YYYY-MM-DD date; `locale` formats the kept percentage.
 */
export function methodInWords(
  basis: Pick<RefundBasis, "method" | "retainedBp" | "freeLookDays" | "freeLookEndsOn" | "daysInForce" | "termDays">,
  day: (date: string) => string,
  t: TFunction,
  locale = "en",
): string {
  return t(`cancellation.why.${basis.method}`, {
    days: basis.freeLookDays,
    until: basis.method === "free_look" ? day(basis.freeLookEndsOn) : "",
    left: basis.termDays - basis.daysInForce,
    term: basis.termDays,
    given: basis.daysInForce,
    kept: ((basis.retainedBp ?? 10_000) / 100).toLocaleString(locale),
  });
}
