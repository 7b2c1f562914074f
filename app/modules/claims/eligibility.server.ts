import { sql } from "kysely";
import type { TFunction } from "i18next";
import type { TenantDb } from "~db/client";
import type { ClaimFamily, EligibilityFlag, PolicyStatus, ProductClaimRules } from "~db/schema";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { addMonths } from "~/modules/policies/schedule";
import { addDays } from "~/modules/rating/dates";
import { checkEligibility, policyYearStart, type PolicyFacts } from "./eligibility";
import { requiredDocuments, waitingDaysFor } from "./rules";
import { claimSettings } from "./settings.server";
import { documentText } from "./translated";

/**
 * The facts eligibility is decided on, read from the tenant's tables (the decision itself is the
 * pure `checkEligibility`), and a member's balance: the benefit left for a policy year.
 */

/** A policy as a claim sees it: its cover, its product's claim rules and its category's family. */
export interface ClaimPolicy {
  id: string;
  userId: string;
  policyNumber: string | null;
  status: PolicyStatus;
  startDate: string | null;
  endDate: string | null;
  graceStartedOn: string | null;
  lapsedOn: string | null;
  currency: string;
  productId: string;
  productName: string;
  waitingPeriodDays: number;
  maxCoverMinor: number | null;
  claimRules: ProductClaimRules;
  categorySlug: string;
  categoryName: string;
  claimFamily: ClaimFamily | null;
}

/** One policy of this tenant (RLS keeps others out), or undefined. Whose it is, the caller checks. */
export async function claimPolicy(db: TenantDb, policyId: string): Promise<ClaimPolicy | undefined> {
  const row = await db
    .selectFrom("policies as p")
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .innerJoin("categories as c", (j) => j.onRef("c.tenant_id", "=", "pr.tenant_id").onRef("c.id", "=", "pr.category_id"))
    .select([
      "p.id",
      "p.user_id",
      "p.policy_number",
      "p.status",
      "p.start_date",
      "p.end_date",
      "p.grace_started_on",
      "p.lapsed_on",
      "p.currency",
      "pr.id as product_id",
      "pr.name as product_name",
      "pr.waiting_period_days",
      "pr.max_cover_minor",
      "pr.claim_rules",
      "c.slug as category_slug",
      "c.name as category_name",
      "c.claim_family",
    ])
    .where("p.id", "=", policyId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    userId: row.user_id,
    policyNumber: row.policy_number,
    status: row.status,
    startDate: row.start_date,
    endDate: row.end_date,
    graceStartedOn: row.grace_started_on,
    lapsedOn: row.lapsed_on,
    currency: row.currency,
    productId: row.product_id,
    productName: row.product_name,
    waitingPeriodDays: row.waiting_period_days,
    maxCoverMinor: row.max_cover_minor,
    claimRules: row.claim_rules ?? {},
    categorySlug: row.category_slug,
    categoryName: row.category_name,
    claimFamily: row.claim_family,
  };
}

export interface BenefitLeft {
  /** The policy year `onDate` falls in. */
  yearStart: string;
  yearEnd: string;
  limitMinor: number;
  /** Paid or payable on this policy's approved and settled claims of that year. */
  usedMinor: number;
  leftMinor: number;
  currency: string;
}

/**
 * What a policy's yearly benefit (its product's `annualLimitMinor`) has left for the policy year
 * containing `onDate`: the limit less the payable amount of this policy's approved and settled claims
 * of that year (KHHoldings' plan step 6, a member's balance). Undefined when the product has no
 * yearly limit or the policy has not started.
 */
export async function benefitLeft(db: TenantDb, policyId: string, onDate: string): Promise<BenefitLeft | undefined> {
  const policy = await claimPolicy(db, policyId);
  if (!policy?.startDate || policy.claimRules.annualLimitMinor === undefined) return undefined;
  const yearStart = policyYearStart(policy.startDate, onDate);
  const used = await db
    .selectFrom("claims")
    .select(sql<string>`coalesce(sum(payable_minor), 0)`.as("used"))
    .where("policy_id", "=", policyId)
    .where("policy_year_start", "=", yearStart)
    .where("status", "in", ["approved", "settled"])
    .executeTakeFirstOrThrow();
  const usedMinor = Number(used.used);
  const limitMinor = policy.claimRules.annualLimitMinor;
  return {
    yearStart,
    yearEnd: addDays(addMonths(yearStart, 12), -1),
    limitMinor,
    usedMinor,
    leftMinor: Math.max(0, limitMinor - usedMinor),
    currency: policy.currency,
  };
}

/** When a cancelled policy was cancelled: the day of its timeline's cancellation. */
async function cancelledOn(db: TenantDb, policyId: string, timeZone: string): Promise<string | null> {
  const row = await db
    .selectFrom("state_changes")
    .select("created_at")
    .where("entity", "=", "policy")
    .where("entity_id", "=", policyId)
    .where("to_state", "=", "cancelled")
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  return row ? new Intl.DateTimeFormat("en-CA", { timeZone }).format(row.created_at) : null;
}

export interface EligibilityInput {
  policy: ClaimPolicy;
  claimType: string;
  incidentDate: string;
  claimedMinor: number;
  /** Kinds of the documents sent with the claim. */
  provided: readonly string[];
}

/** The flags a claim would be filed with (empty: eligible on everything the system can check). */
export async function eligibilityFor(
  db: TenantDb,
  tenant: { locale: string; timeZone: string },
  input: EligibilityInput,
  /** The claims namespace, for flags shown in the reader's language (see `EligibilityFacts.t`). */
  t?: TFunction,
): Promise<EligibilityFlag[]> {
  const { policy } = input;
  if (!policy.startDate)
    return [
      { code: "not_in_force", message: t ? String(t("flags.notIssued")) : "The policy had not been issued on the day of the incident." },
    ];
  const settings = await claimSettings(db);
  const facts: PolicyFacts = {
    status: policy.status,
    startDate: policy.startDate,
    endDate: policy.endDate,
    graceStartedOn: policy.graceStartedOn,
    lapsedOn: policy.lapsedOn,
    cancelledOn: policy.status === "cancelled" ? await cancelledOn(db, policy.id, tenant.timeZone) : null,
  };
  const benefit = await benefitLeft(db, policy.id, input.incidentDate);
  return checkEligibility({
    incidentDate: input.incidentDate,
    policy: facts,
    graceCoverDays: settings.graceCoverDays,
    waitingDays: waitingDaysFor(input.claimType, policy.claimRules, policy.waitingPeriodDays),
    claimedMinor: input.claimedMinor,
    benefitLeftMinor: benefit ? benefit.leftMinor : null,
    formatMoney: (minor) => formatMoney(minor, policy.currency, tenant.locale),
    formatDate: (date) => formatDate(date, tenant.locale, "UTC"),
    required: requiredDocuments(policy.claimFamily, input.claimType, policy.claimRules).map((d) => (t ? documentText(t, d) : d)),
    provided: input.provided,
    t,
  });
}
