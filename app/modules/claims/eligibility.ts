import type { TFunction } from "i18next";
import type { EligibilityFlag, PolicyStatus } from "~db/schema";
import { addMonths } from "~/modules/policies/schedule";
import { addDays, daysBetween } from "~/modules/rating/dates";
import type { ClaimDocumentNeed } from "./rules";

/**
 * Was the policy paying for this incident? (issue 12 item 2). Pure: the server gathers the facts
 * (eligibility.server.ts), this decides. An ineligible claim is still filed: every reason becomes a
 * flag in plain words for the assessor and the claimant, never a refusal. Dates are YYYY-MM-DD.
 */

export interface PolicyFacts {
  status: PolicyStatus;
  startDate: string;
  endDate: string | null;
  /** The first unpaid due date, while unpaid (policies.grace_started_on). */
  graceStartedOn: string | null;
  lapsedOn: string | null;
  /** When it was cancelled (its timeline), for a cancelled policy. */
  cancelledOn: string | null;
}

export interface EligibilityFacts {
  incidentDate: string;
  policy: PolicyFacts;
  /** The tenant's rule: an incident this many days into an unpaid grace period is still covered. */
  graceCoverDays: number;
  /** Days from the start of cover before this claim type is covered. */
  waitingDays: number;
  claimedMinor: number;
  /** What this policy year can still pay, or null when the product has no yearly limit. */
  benefitLeftMinor: number | null;
  formatMoney: (minor: number) => string;
  formatDate: (date: string) => string;
  required: readonly ClaimDocumentNeed[];
  /** The kinds of the documents sent with the claim. */
  provided: readonly string[];
  /**
   * The claims namespace in the reader's language (`flags.<key>`), for flags shown and not stored:
   * the wizard's review. Without it the flags are the English a claim is filed with.
   */
  t?: TFunction;
}

export const FLAG_CODES = [
  "not_in_force",
  "cancelled",
  "lapsed",
  "unpaid_grace",
  "waiting_period",
  "over_benefit_left",
  "documents_missing",
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

export function checkEligibility(facts: EligibilityFacts): EligibilityFlag[] {
  const flags: EligibilityFlag[] = [];
  const flag = (code: FlagCode, message: string, key: string, params: Record<string, string | number> = {}) =>
    flags.push({ code, message: facts.t ? String(facts.t(`flags.${key}`, params)) : message });
  const { incidentDate: on, policy, formatDate: date } = facts;

  if (["quoted", "pending_payment", "pending_underwriting", "declined"].includes(policy.status))
    flag("not_in_force", "The policy had not been issued on the day of the incident.", "notIssued");
  else if (policy.endDate && on > policy.endDate)
    flag("not_in_force", `The policy's cover ended on ${date(policy.endDate)}, before the incident.`, "ended", {
      date: date(policy.endDate),
    });

  if (policy.status === "cancelled" && (policy.cancelledOn === null || policy.cancelledOn <= on))
    if (policy.cancelledOn)
      flag("cancelled", `The policy was cancelled on ${date(policy.cancelledOn)}.`, "cancelledOn", { date: date(policy.cancelledOn) });
    else flag("cancelled", "The policy has been cancelled.", "cancelled");

  if (policy.lapsedOn && on >= policy.lapsedOn) {
    flag("lapsed", `The policy lapsed for unpaid premium on ${date(policy.lapsedOn)}.`, "lapsed", { date: date(policy.lapsedOn) });
  } else if ((policy.status === "grace" || policy.status === "lapsed") && policy.graceStartedOn && on >= policy.graceStartedOn) {
    const into = daysBetween(policy.graceStartedOn, on);
    const due = date(policy.graceStartedOn);
    if (into >= facts.graceCoverDays && facts.graceCoverDays === 0)
      flag("unpaid_grace", `A premium due on ${due} was unpaid on the day of the incident.`, "unpaid", { date: due });
    else if (into >= facts.graceCoverDays)
      flag(
        "unpaid_grace",
        `The incident was ${into} days after an unpaid premium was due (${due}); cover continues for ${facts.graceCoverDays} days only.`,
        "grace",
        { days: into, date: due, cover: facts.graceCoverDays },
      );
  }

  if (facts.waitingDays > 0) {
    const coveredFrom = addDays(policy.startDate, facts.waitingDays);
    if (on < coveredFrom)
      flag(
        "waiting_period",
        `This kind of claim is covered from ${date(coveredFrom)}: a ${facts.waitingDays}-day waiting period from the start of cover.`,
        "waiting",
        { date: date(coveredFrom), days: facts.waitingDays },
      );
  }

  if (facts.benefitLeftMinor !== null && facts.claimedMinor > facts.benefitLeftMinor)
    if (facts.benefitLeftMinor <= 0) flag("over_benefit_left", "This policy year's benefit has been used up.", "usedUp");
    else {
      const left = facts.formatMoney(facts.benefitLeftMinor);
      flag("over_benefit_left", `The amount claimed is more than the ${left} left of this policy year's benefit.`, "overBenefit", {
        amount: left,
      });
    }

  const missing = facts.required.filter((d) => !facts.provided.includes(d.code));
  if (missing.length) {
    const list = missing.map((d) => d.label.charAt(0).toLowerCase() + d.label.slice(1)).join(", ");
    flag("documents_missing", `Documents missing: ${list}.`, "documentsMissing", { documents: list });
  }

  return flags;
}

/** The start of the policy year that contains `on`: the cover's start or one of its anniversaries. */
export function policyYearStart(startDate: string, on: string): string {
  if (on <= startDate) return startDate;
  let years = Number(on.slice(0, 4)) - Number(startDate.slice(0, 4));
  while (years > 0 && addMonths(startDate, 12 * years) > on) years -= 1;
  return addMonths(startDate, 12 * Math.max(0, years));
}
