import type { TenantDb } from "~db/client";
import type { MemberStatus, PolicyStatus, Role } from "~db/schema";
import { can } from "~/modules/auth/permissions";
import { benefitLeft, claimPolicy, type BenefitLeft } from "~/modules/claims/eligibility.server";
import { claimTypesFor, requiredDocuments, waitingDaysFor, type ClaimDocumentNeed } from "~/modules/claims/rules";
import { addDays } from "~/modules/rating/dates";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";

/**
 * A member's benefits (KHHoldings' plan, GET /api/members/{id}/benefits): per policy in force, the
 * yearly limit and what this policy year has used and left (the claims module's `benefitLeft`, the
 * same figure the claim pages show), the excess, and per claim type its waiting period and the
 * documents a claim needs (the product's claim_rules over the family's defaults). One function for
 * the member, their agent and staff; who may see which policies is the `agentId` scope, as for
 * `memberActivity`: an agent sees the policies credited to them, the member and staff all of them.
 */

export interface ClaimTypeBenefit {
  type: string;
  label: string;
  waitingDays: number;
  /** The first day this kind of claim is covered: the cover's start plus its waiting days. */
  coveredFrom: string;
  waiting: boolean;
  documents: ClaimDocumentNeed[];
}

export interface PolicyBenefits {
  policyId: string;
  policyNumber: string;
  productName: string;
  status: PolicyStatus;
  startDate: string;
  endDate: string | null;
  currency: string;
  /** Null when the product has no yearly limit. */
  annual: BenefitLeft | null;
  excessMinor: number | null;
  claimTypes: ClaimTypeBenefit[];
}

const SHOWN: PolicyStatus[] = ["active", "grace"];

export async function memberBenefits(db: TenantDb, userId: string, agentId: string | null, today: string): Promise<PolicyBenefits[]> {
  const policies = await db
    .selectFrom("policies as p")
    .innerJoin("orders as o", (j) => j.onRef("o.tenant_id", "=", "p.tenant_id").onRef("o.id", "=", "p.order_id"))
    .select("p.id")
    .where("p.user_id", "=", userId)
    .where("p.status", "in", SHOWN)
    .where("p.policy_number", "is not", null)
    .$if(agentId !== null, (qb) => qb.where("o.agent_id", "=", agentId!))
    .orderBy("p.start_date")
    .orderBy("p.id")
    .execute();
  const out: PolicyBenefits[] = [];
  for (const { id } of policies) {
    const policy = await claimPolicy(db, id);
    if (!policy?.startDate || !policy.policyNumber) continue;
    const startDate = policy.startDate;
    out.push({
      policyId: policy.id,
      policyNumber: policy.policyNumber,
      productName: policy.productName,
      status: policy.status,
      startDate,
      endDate: policy.endDate,
      currency: policy.currency,
      annual: (await benefitLeft(db, policy.id, today)) ?? null,
      excessMinor: policy.claimRules.excessMinor ?? null,
      claimTypes: claimTypesFor(policy.claimFamily).map((t) => {
        const waitingDays = waitingDaysFor(t.value, policy.claimRules, policy.waitingPeriodDays);
        const coveredFrom = addDays(startDate, waitingDays);
        return {
          type: t.value,
          label: t.label,
          waitingDays,
          coveredFrom,
          waiting: today < coveredFrom,
          documents: requiredDocuments(policy.claimFamily, t.value, policy.claimRules),
        };
      }),
    });
  }
  return out;
}

/** The benefits as the pages show them: money and dates in the agency's words. */
export function benefitsView(list: PolicyBenefits[], tenant: { locale: string }) {
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const date = (iso: string) => formatDate(iso, tenant.locale, "UTC");
  return list.map((p) => ({
    policyId: p.policyId,
    policyNumber: p.policyNumber,
    productName: p.productName,
    status: p.status,
    period: `${date(p.startDate)}${p.endDate ? ` to ${date(p.endDate)}` : ""}`,
    // The same in parts, for a page that says "to" in the reader's language.
    start: date(p.startDate),
    end: p.endDate ? date(p.endDate) : null,
    annual: p.annual
      ? {
          year: `${date(p.annual.yearStart)} to ${date(p.annual.yearEnd)}`,
          yearStart: date(p.annual.yearStart),
          yearEnd: date(p.annual.yearEnd),
          limit: money(p.annual.limitMinor, p.currency),
          used: money(p.annual.usedMinor, p.currency),
          left: money(p.annual.leftMinor, p.currency),
          usedPercent: p.annual.limitMinor > 0 ? Math.min(100, Math.round((p.annual.usedMinor * 100) / p.annual.limitMinor)) : 0,
        }
      : null,
    excess: p.excessMinor ? money(p.excessMinor, p.currency) : null,
    claimTypes: p.claimTypes.map((t) => ({
      type: t.type,
      label: t.label,
      waiting: t.waiting,
      waitingDays: t.waitingDays,
      coveredFrom: date(t.coveredFrom),
      documents: t.documents.map((d) => d.label),
    })),
  }));
}

export type BenefitsView = ReturnType<typeof benefitsView>;

/** This account's membership status, or undefined for a customer who is nobody's member. */
export async function membershipOf(db: TenantDb, userId: string): Promise<MemberStatus | undefined> {
  const row = await db.selectFrom("members").select("status").where("user_id", "=", userId).executeTakeFirst();
  return row?.status;
}

/** Is this account a member of the agency's network (any status)? */
export async function isMember(db: TenantDb, userId: string): Promise<boolean> {
  return (await membershipOf(db, userId)) !== undefined;
}

/**
 * A member's benefits for whoever asks (the API): the member themself and staff who read members
 * see every policy, the member's own agent those credited to them; anyone else, undefined (a 404).
 */
export async function benefitsForViewer(
  db: TenantDb,
  viewer: { userId: string; roles: readonly Role[] },
  memberId: string,
  today: string,
): Promise<{ memberId: string; policies: PolicyBenefits[] } | undefined> {
  const member = await db
    .selectFrom("members as m")
    .innerJoin("agents as a", (j) => j.onRef("a.tenant_id", "=", "m.tenant_id").onRef("a.id", "=", "m.agent_id"))
    .select(["m.id", "m.user_id", "m.agent_id", "a.user_id as agent_user_id"])
    .where("m.id", "=", memberId)
    .executeTakeFirst();
  if (!member) return undefined;
  let scope: string | null;
  if (member.user_id === viewer.userId || can(viewer.roles, "read:member:any")) scope = null;
  else if (member.agent_user_id === viewer.userId && can(viewer.roles, "register:member:own")) scope = member.agent_id;
  else return undefined;
  return { memberId: member.id, policies: await memberBenefits(db, member.user_id, scope, today) };
}
