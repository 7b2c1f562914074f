import type { ActionFunctionArgs } from "@remix-run/node";
import { API_ERRORS, apiError } from "~/lib/api.server";
import { lineText } from "~/lib/text";
import { apiHandler, apiJson, apiTenant } from "~/modules/api/http.server";
import { apiClaimant, toApiClaimDetail } from "~/modules/claims/api.server";
import { addClaimDocuments, claimDocumentKinds } from "~/modules/claims/claimant-actions.server";
import { claimForClaimant } from "~/modules/claims/claimant.server";
import { acceptFiles, claimDocumentCount, readClaimUpload, withStoredFiles } from "~/modules/claims/documents.server";
import { ClaimConflict } from "~/modules/claims/transition.server";

const uuid = lineText().uuid();

export function loader() {
  return API_ERRORS.method();
}

/**
 * POST /api/v1/claims/<id>/documents (multipart/form-data): `kind` and one or more `file` parts, or
 * `doc_<kind>` parts; `requestId` answers an assessor's request. Checked by the files' own bytes.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return API_ERRORS.method();
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    const { user, actor, workflow, today } = await apiClaimant(request, tenant);
    const id = uuid.safeParse(params.claimId);
    if (!id.success) return API_ERRORS.notFound("Claim");
    if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data"))
      return apiError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the documents as multipart/form-data");
    const read = await readClaimUpload(request);
    if (!read.ok) return apiError(413, "PAYLOAD_TOO_LARGE", read.message);
    const requestIdRaw = String(read.form.get("requestId") ?? "") || null;
    const requestId = requestIdRaw ? uuid.safeParse(requestIdRaw) : null;
    if (requestId && !requestId.success) return API_ERRORS.validation({ requestId: ["requestId is not a request of this claim"] });
    try {
      const result = await withStoredFiles(tenant.id, async (db, ledger) => {
        const view = await claimForClaimant(db, actor, id.data, today);
        if (!view || view.standing.as !== "claimant") return { kind: "not_found" as const };
        const accepted = acceptFiles(read.files, {
          kinds: claimDocumentKinds(view).map((k) => k.code),
          formKind: String(read.form.get("kind") ?? "") || null,
          alreadyStored: await claimDocumentCount(db, id.data),
        });
        if (Object.keys(accepted.errors).length) return { kind: "invalid" as const, errors: accepted.errors };
        const added = await addClaimDocuments(db, workflow, ledger, actor, {
          claimId: id.data,
          requestId: requestId?.success ? requestId.data : null,
          answer: String(read.form.get("answer") ?? "").trim() || null,
          files: accepted.accepted,
        });
        if (!added.ok) return { kind: "invalid" as const, errors: added.errors, status: added.status };
        return { kind: "ok" as const, view: (await claimForClaimant(db, actor, id.data, today))! };
      });
      if (result.kind === "not_found") return API_ERRORS.notFound("Claim");
      if (result.kind === "invalid") {
        if (result.status === 409) return apiError(409, "CONFLICT", Object.values(result.errors).flat().join(" "), result.errors);
        return API_ERRORS.validation(result.errors, "The documents were not added");
      }
      return apiJson({ claim: toApiClaimDetail(result.view, tenant, user.id) }, { status: 201 });
    } catch (error) {
      if (error instanceof ClaimConflict) return apiError(error.status, "CONFLICT", error.message);
      throw error;
    }
  });
}
