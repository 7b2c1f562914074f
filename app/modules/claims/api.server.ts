import { apiError } from "~/lib/api.server";
import { optionalUser } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { quoteDateIn } from "~/modules/rating";
import { originOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import type { ClaimActor } from "./access.server";
import type { ClaimListRow, ClaimView } from "./claimant.server";
import { claimDocumentLink } from "./documents.server";
import { CLAIM_STATUS_LABELS } from "./labels";
import { claimTypeLabel } from "./rules";
import { claimWorkflow } from "./workflow.server";

/**
 * /api/v1/claims for the signed-in customer (their session cookie, as the rest of the API): their
 * own claims only. Amounts in minor units, dates as YYYY-MM-DD, errors in the API's one shape.
 */

export async function apiClaimant(request: Request, tenant: TenantInfo) {
  const user = await optionalUser(request);
  if (!user) throw apiError(401, "UNAUTHENTICATED", "Sign in to use the claims API");
  if (!can(user.roles, "file:claim:own")) throw apiError(403, "FORBIDDEN", "This account cannot make claims");
  const actor: ClaimActor = { userId: user.id, roles: user.roles };
  return { user, actor, workflow: claimWorkflow(tenant, originOf(request)), today: quoteDateIn(tenant.timeZone) };
}

export function toApiClaimItem(row: ClaimListRow, origin: string) {
  return {
    id: row.id,
    claimNumber: row.claimNumber,
    status: row.status,
    statusLabel: CLAIM_STATUS_LABELS[row.status].label,
    claimType: row.claimType,
    claimTypeLabel: claimTypeLabel(row.claimFamily as Parameters<typeof claimTypeLabel>[0], row.claimType),
    policyId: row.policyId,
    policyNumber: row.policyNumber,
    productName: row.productName,
    incidentDate: row.incidentDate,
    claimedMinor: row.claimedMinor,
    payableMinor: row.payableMinor,
    currency: row.currency,
    filedAt: row.createdAt.toISOString(),
    url: `${origin}/api/v1/claims/${row.id}`,
  };
}

export function toApiClaimDetail(view: ClaimView, tenant: TenantInfo, viewerUserId: string) {
  const { claim, policy } = view;
  return {
    id: claim.id,
    claimNumber: claim.claim_number,
    status: claim.status,
    statusLabel: CLAIM_STATUS_LABELS[claim.status].label,
    revision: claim.revision,
    claimType: claim.claim_type,
    claimTypeLabel: claimTypeLabel(policy.claimFamily, claim.claim_type),
    policyId: policy.id,
    policyNumber: policy.policyNumber,
    productName: policy.productName,
    incidentDate: claim.incident_date,
    incidentPlace: claim.incident_place,
    description: claim.description,
    facilityId: claim.facility_id,
    claimedMinor: claim.claimed_minor,
    approvedMinor: claim.approved_minor,
    excessMinor: claim.excess_minor,
    payableMinor: claim.payable_minor,
    currency: claim.currency,
    decisionNote: claim.decision_note,
    eligibilityFlags: claim.eligibility_flags ?? [],
    waitingFor: { who: view.waitingFor.who, what: view.waitingFor.what, dueAt: view.waitingFor.dueAt?.toISOString() ?? null },
    appealUntil: view.appealUntil,
    benefitLeft: view.benefit
      ? {
          leftMinor: view.benefit.leftMinor,
          limitMinor: view.benefit.limitMinor,
          yearStart: view.benefit.yearStart,
          yearEnd: view.benefit.yearEnd,
        }
      : null,
    filedAt: claim.created_at.toISOString(),
    timeline: view.timeline.map((t) => ({ at: t.at.toISOString(), title: t.title, detail: t.detail, by: t.by })),
    requests: view.requests.map((r) => ({
      id: r.id,
      message: r.message,
      documents: r.documents,
      askedAt: r.created_at.toISOString(),
      answeredAt: r.answered_at?.toISOString() ?? null,
    })),
    documents: view.documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      filename: d.filename,
      contentType: d.content_type,
      sizeBytes: d.size_bytes,
      status: d.status,
      uploadedAt: d.created_at.toISOString(),
      // Signed for this account, five minutes.
      downloadUrl: claimDocumentLink(tenant.id, d, viewerUserId),
    })),
    settlement: view.settlement
      ? {
          status: view.settlement.status,
          reference: view.settlement.reference,
          amountMinor: view.settlement.amount_minor,
          paidAt: view.settlement.paid_at?.toISOString() ?? null,
        }
      : null,
  };
}
