import { z } from "zod";
import { withTenant } from "~db/client";
import { lineText } from "~/lib/text";
import { answerText } from "~/modules/api/answers";
import { endpoint, type EndpointContext } from "~/modules/api/endpoint.server";
import { cursorQuery, pageFrom, pageOf } from "~/modules/api/pagination.server";
import { requireApiPermission, type Principal } from "~/modules/api/principal.server";
import { ApiProblem, invalid, notFound } from "~/modules/api/problem.server";
import { cursorAfter, cursorId, cursorTime } from "~/modules/network/api.server";
import { quoteDateIn } from "~/modules/rating";
import { CLAIM_STATES } from "~/modules/workflows/claim";
import { originOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import type { ClaimActor } from "./access.server";
import { addClaimDocuments, claimDocumentKinds } from "./claimant-actions.server";
import { claimForClaimant, listClaims, type ClaimListRow, type ClaimView } from "./claimant.server";
import { acceptFiles, claimDocumentCount, claimDocumentLink, readClaimUpload, withStoredFiles } from "./documents.server";
import { fileClaim } from "./filing.server";
import { CLAIM_STATUS_LABELS } from "./labels";
import { claimTypeLabel } from "./rules";
import { apiFileClaimBody, claimFiltersSchema } from "./schemas";
import { ClaimConflict } from "./transition.server";
import { claimWorkflow } from "./workflow.server";

/**
 * /api/v1/claims for the signed-in customer (a bearer token, or their same-site session): their
 * own claims only. Amounts in minor units, dates as YYYY-MM-DD, errors in the API's one shape.
 */

function apiClaimant(request: Request, tenant: TenantInfo, principal: Principal) {
  const user = requireApiPermission(principal, "file:claim:own");
  const actor: ClaimActor = { userId: user.id, roles: user.roles };
  return { user, actor, workflow: claimWorkflow(tenant, originOf(request)), today: quoteDateIn(tenant.timeZone) };
}

const claimStatusSchema = z.enum(CLAIM_STATES);

const claimItemSchema = z.object({
  id: answerText().uuid(),
  claimNumber: answerText().describe("BWM-CLM-2026-000123"),
  status: claimStatusSchema,
  statusLabel: answerText(),
  claimType: answerText().describe("accident, inpatient …"),
  claimTypeLabel: answerText(),
  policyId: answerText().uuid(),
  policyNumber: answerText(),
  productName: answerText(),
  incidentDate: answerText().describe("YYYY-MM-DD"),
  claimedMinor: z.number().int().describe("Amount claimed, in minor units of `currency`."),
  payableMinor: z.number().int().nullable().describe("What will be paid, once decided (minor units)."),
  currency: answerText(),
  filedAt: answerText().datetime(),
  url: answerText().url(),
});

const claimSchema = z.object({
  id: answerText().uuid(),
  claimNumber: answerText(),
  status: claimStatusSchema,
  statusLabel: answerText(),
  revision: z.number().int(),
  claimType: answerText(),
  claimTypeLabel: answerText(),
  policyId: answerText().uuid(),
  policyNumber: answerText(),
  productName: answerText(),
  incidentDate: answerText().describe("YYYY-MM-DD"),
  incidentPlace: answerText(),
  description: answerText(),
  facilityId: answerText().uuid().nullable(),
  claimedMinor: z.number().int(),
  approvedMinor: z.number().int().nullable(),
  excessMinor: z.number().int().nullable(),
  payableMinor: z.number().int().nullable(),
  currency: answerText(),
  decisionNote: answerText().nullable(),
  eligibilityFlags: z
    .array(z.object({ code: answerText().describe("not_in_force, waiting_period, documents_missing …"), message: answerText() }))
    .describe("What the system noted when the claim was filed (it is filed anyway)."),
  waitingFor: z.object({
    who: z.enum(["you", "agent", "us", "nobody"]),
    what: answerText(),
    dueAt: answerText().datetime().nullable(),
  }),
  appealUntil: answerText().nullable().describe("YYYY-MM-DD"),
  benefitLeft: z
    .object({ leftMinor: z.number().int(), limitMinor: z.number().int(), yearStart: answerText(), yearEnd: answerText() })
    .nullable()
    .describe("The policy year's benefit left, for products with a yearly limit."),
  filedAt: answerText().datetime(),
  timeline: z.array(
    z.object({
      at: answerText().datetime(),
      title: answerText(),
      detail: answerText().nullable(),
      by: z.enum(["you", "agent", "us"]).nullable(),
    }),
  ),
  requests: z
    .array(
      z.object({
        id: answerText().uuid(),
        message: answerText(),
        documents: z.array(z.object({ code: answerText(), label: answerText() })),
        askedAt: answerText().datetime(),
        answeredAt: answerText().datetime().nullable(),
      }),
    )
    .describe("The assessor's requests for information."),
  documents: z.array(
    z.object({
      id: answerText().uuid(),
      kind: answerText(),
      filename: answerText(),
      contentType: answerText(),
      sizeBytes: z.number().int(),
      status: z.enum(["pending", "verified", "rejected"]),
      uploadedAt: answerText().datetime(),
      downloadUrl: answerText().describe("Signed for this account; works for five minutes."),
    }),
  ),
  settlement: z
    .object({
      status: answerText(),
      reference: answerText().nullable(),
      amountMinor: z.number().int(),
      paidAt: answerText().datetime().nullable(),
    })
    .nullable(),
});

const oneClaim = z.object({ claim: claimSchema });

/** A claim id in the address: anything else is a claim that does not exist (404), as it always was. */
const claimIdParams = z.object({ claimId: lineText().max(100).describe("The claim's id (a UUID).") });
const claimIdOf = (raw: string) => {
  const id = cursorId.safeParse(raw);
  if (!id.success) throw notFound("Claim");
  return id.data;
};

export const listMyClaims = endpoint({
  method: "GET",
  path: "/claims",
  operationId: "listClaims",
  summary: "Your claims, newest first (signed in)",
  tags: ["Claims"],
  auth: "user",
  query: z.object({
    status: z.enum(CLAIM_STATES, { errorMap: () => ({ message: "status is not a claim status" }) }).optional(),
    policyId: claimFiltersSchema.shape.policy,
    from: claimFiltersSchema.shape.from.describe("Incident on or after (YYYY-MM-DD)."),
    to: claimFiltersSchema.shape.to.describe("Incident on or before (YYYY-MM-DD)."),
    ...cursorQuery,
  }),
  responses: { 200: { description: "A page of claims.", schema: pageOf(claimItemSchema) } },
  async handler({ tenant, principal, query, request }) {
    const { user } = apiClaimant(request, tenant, principal);
    const after = cursorAfter(query.cursor, z.tuple([cursorTime, cursorId]));
    const filters = { status: query.status, policy: query.policyId, from: query.from, to: query.to };
    // One row more than the page says whether there is a next one (pageFrom).
    const { rows } = await withTenant(tenant.id, (db) =>
      listClaims(db, { claimantUserId: user.id }, filters, {
        after: after ? { createdAt: new Date(after[0]), id: after[1] } : null,
        limit: query.limit + 1,
      }),
    );
    const origin = originOf(request);
    return {
      body: pageFrom(
        rows,
        query.limit,
        (r) => [r.createdAt.toISOString(), r.id],
        (r) => toApiClaimItem(r, origin),
        request,
      ),
    };
  },
});

export const fileMyClaim = endpoint({
  method: "POST",
  path: "/claims",
  operationId: "fileClaim",
  summary: "File a claim on one of your policies",
  description:
    "A claim the system doubts is filed with `eligibilityFlags`; one that cannot be (another's policy, a future date, the wrong " +
    "currency …) is a 400 with the field's error and nothing saved. Send an Idempotency-Key to retry safely.",
  tags: ["Claims"],
  auth: "user",
  creates: true,
  body: apiFileClaimBody,
  responses: { 201: { description: "The filed claim (with any eligibility flags).", schema: oneClaim } },
  async handler({ tenant, principal, body, request }) {
    const { user, actor, workflow, today } = apiClaimant(request, tenant, principal);
    const { facilityId, ...input } = body;
    const result = await withTenant(tenant.id, async (db) => {
      const filed = await fileClaim(db, workflow, { actor, ...input, facilityId: facilityId ?? null, providedDocuments: [] });
      return filed.ok ? { ok: true as const, view: (await claimForClaimant(db, actor, filed.claim.id, today))! } : filed;
    });
    if (!result.ok) throw invalid(result.errors, "The claim was not filed");
    const claim = toApiClaimDetail(result.view, tenant, user.id);
    return { status: 201, headers: { Location: `${originOf(request)}/api/v1/claims/${claim.id}` }, body: { claim } };
  },
});

export const getMyClaim = endpoint({
  method: "GET",
  path: "/claims/{claimId}",
  operationId: "getClaim",
  summary: "One of your claims, with its timeline and documents",
  tags: ["Claims"],
  auth: "user",
  params: claimIdParams,
  errors: [404],
  responses: { 200: { description: "The claim.", schema: oneClaim } },
  async handler({ tenant, principal, params, request }) {
    const { user, actor, today } = apiClaimant(request, tenant, principal);
    const id = claimIdOf(params.claimId);
    const view = await withTenant(tenant.id, (db) => claimForClaimant(db, actor, id, today));
    if (!view || view.standing.as !== "claimant") throw notFound("Claim");
    return { body: { claim: toApiClaimDetail(view, tenant, user.id) } };
  },
});

export const addMyClaimDocuments = endpoint({
  method: "POST",
  path: "/claims/{claimId}/documents",
  operationId: "uploadClaimDocuments",
  summary: "Add documents to a claim, or answer a request for them",
  description:
    "multipart/form-data: `kind` and one or more `file` parts (PDF, JPEG, PNG or HEIC; 10 MB each, 10 at a time), or `doc_<kind>` " +
    "parts; `requestId` and `answer` answer an assessor's request. Files are checked by their own bytes.",
  tags: ["Claims"],
  auth: "user",
  creates: true,
  upload: true,
  params: claimIdParams,
  errors: [404, 409, 413, 415],
  responses: { 201: { description: "The claim with its documents.", schema: oneClaim } },
  handler: addDocuments,
});

async function addDocuments({ tenant, principal, params, request }: EndpointContext<{ claimId: string }, object, undefined>) {
  const { user, actor, workflow, today } = apiClaimant(request, tenant, principal);
  const id = claimIdOf(params.claimId);
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data"))
    throw new ApiProblem(415, "UNSUPPORTED_MEDIA_TYPE", "Send the documents as multipart/form-data");
  const read = await readClaimUpload(request);
  if (!read.ok) throw new ApiProblem(413, "PAYLOAD_TOO_LARGE", read.message);
  const requestIdRaw = String(read.form.get("requestId") ?? "") || null;
  const requestId = requestIdRaw ? cursorId.safeParse(requestIdRaw) : null;
  if (requestId && !requestId.success) throw invalid({ requestId: ["requestId is not a request of this claim"] });
  try {
    const result = await withStoredFiles(tenant.id, async (db, ledger) => {
      const view = await claimForClaimant(db, actor, id, today);
      if (!view || view.standing.as !== "claimant") return { kind: "not_found" as const };
      const accepted = acceptFiles(read.files, {
        kinds: claimDocumentKinds(view).map((k) => k.code),
        formKind: String(read.form.get("kind") ?? "") || null,
        alreadyStored: await claimDocumentCount(db, id),
      });
      if (Object.keys(accepted.errors).length) return { kind: "invalid" as const, errors: accepted.errors };
      const added = await addClaimDocuments(db, workflow, ledger, actor, {
        claimId: id,
        requestId: requestId?.success ? requestId.data : null,
        answer: String(read.form.get("answer") ?? "").trim() || null,
        files: accepted.accepted,
      });
      if (!added.ok) return { kind: "invalid" as const, errors: added.errors, status: added.status };
      return { kind: "ok" as const, view: (await claimForClaimant(db, actor, id, today))! };
    });
    if (result.kind === "not_found") throw notFound("Claim");
    if (result.kind === "invalid") {
      if (result.status === 409) throw new ApiProblem(409, "CONFLICT", Object.values(result.errors).flat().join(" "), result.errors);
      throw invalid(result.errors, "The documents were not added");
    }
    return { status: 201, body: { claim: toApiClaimDetail(result.view, tenant, user.id) } };
  } catch (error) {
    if (error instanceof ClaimConflict) throw new ApiProblem(error.status, "CONFLICT", error.message);
    throw error;
  }
}

export const claimEndpoints = [listMyClaims, fileMyClaim, getMyClaim, addMyClaimDocuments];

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
