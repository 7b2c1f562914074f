import type { Selectable } from "kysely";
import type { TenantDb } from "~db/client";
import type { ClaimDraftAnswers, ClaimDraftDocumentsTable, ClaimDraftStep, ClaimDraftsTable } from "~db/schema";
import { quoteDateIn } from "~/modules/rating";
import type { ClaimActor } from "./access.server";
import { CLAIM_FILES_MAX, newKey, putFile, type AcceptedFile, type FileLedger } from "./documents.server";
import type { ClaimPolicy } from "./eligibility.server";
import {
  amountErrors,
  fileClaim,
  incidentErrors,
  policyForClaim,
  policyProblem,
  type FieldErrors,
  type FileClaimResult,
} from "./filing.server";
import { fileStore } from "~/modules/files/storage.server";
import { memberStanding } from "~/modules/members/status.server";
import { documentKindsFor } from "./rules";
import { WIZARD_STEPS } from "./wizard";
import type { ClaimWorkflow } from "./workflow.server";

/**
 * The claim wizard's state between requests (decision 023): it works without JavaScript, like
 * checkout, so each step's answers are saved on the server in a draft that belongs to whoever is
 * filling it in, and the documents uploaded on the way are stored with it. Submitting files the
 * claim from the draft in one transaction (fileClaim), moves the documents onto the claim and
 * deletes the draft: a claim is never half-saved, and a draft that is never submitted is never a
 * claim (nobody in the back office sees it).
 */

export type ClaimDraft = Selectable<ClaimDraftsTable>;
export type DraftDocument = Selectable<ClaimDraftDocumentsTable>;

export interface LoadedDraft {
  draft: ClaimDraft;
  answers: ClaimDraftAnswers;
  policy: ClaimPolicy;
  documents: DraftDocument[];
}

export async function startDraft(
  db: TenantDb,
  actor: ClaimActor,
  policyId: string,
): Promise<{ ok: true; draftId: string } | { ok: false; errors: FieldErrors }> {
  const found = await policyForClaim(db, actor, policyId);
  if (!found) return { ok: false, errors: { policyId: ["Choose one of the policies listed."] } };
  // A suspended or terminated member files nothing new (decision 035).
  const problem = policyProblem(found.policy) ?? (await memberStanding(db, found.policy.userId, "claim"));
  if (problem) return { ok: false, errors: { policyId: [problem] } };
  const row = await db
    .insertInto("claim_drafts")
    .values({ user_id: actor.userId, policy_id: policyId, answers: JSON.stringify({ currency: found.policy.currency }) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { ok: true, draftId: row.id };
}

/** The actor's own draft, with its policy (still theirs to claim on) and documents; else undefined (a 404). */
export async function loadDraft(db: TenantDb, actor: ClaimActor, draftId: string): Promise<LoadedDraft | undefined> {
  const draft = await db
    .selectFrom("claim_drafts")
    .selectAll()
    .where("id", "=", draftId)
    .where("user_id", "=", actor.userId)
    .executeTakeFirst();
  if (!draft) return undefined;
  const found = await policyForClaim(db, actor, draft.policy_id);
  if (!found) return undefined;
  const documents = await db
    .selectFrom("claim_draft_documents")
    .selectAll()
    .where("draft_id", "=", draft.id)
    .orderBy("created_at")
    .execute();
  return { draft, answers: draft.answers ?? {}, policy: found.policy, documents };
}

/** The first step this draft still lacks (a later step's page sends back there). */
export function missingStep(answers: ClaimDraftAnswers): ClaimDraftStep | null {
  if (!answers.claimType || !answers.incidentDate || !answers.incidentPlace || !answers.description) return "incident";
  if (!answers.claimedMinor || answers.facilityId === undefined) return "amount";
  return null;
}

function furthest(a: ClaimDraftStep, b: ClaimDraftStep): ClaimDraftStep {
  return WIZARD_STEPS.indexOf(a) >= WIZARD_STEPS.indexOf(b) ? a : b;
}

async function saveAnswers(db: TenantDb, loaded: LoadedDraft, answers: ClaimDraftAnswers, next: ClaimDraftStep): Promise<void> {
  await db
    .updateTable("claim_drafts")
    .set({ answers: JSON.stringify({ ...loaded.answers, ...answers }), step: furthest(loaded.draft.step, next), updated_at: new Date() })
    .where("id", "=", loaded.draft.id)
    .execute();
}

export async function saveIncident(
  db: TenantDb,
  tenant: { timeZone: string; locale: string },
  loaded: LoadedDraft,
  input: { claimType: string; incidentDate: string; incidentPlace: string; description: string },
): Promise<FieldErrors> {
  const errors = incidentErrors(loaded.policy, input, quoteDateIn(tenant.timeZone), tenant.locale);
  if (Object.keys(errors).length) return errors;
  await saveAnswers(db, loaded, input, "amount");
  return {};
}

export async function saveAmount(
  db: TenantDb,
  tenant: { locale: string },
  loaded: LoadedDraft,
  input: { claimedMinor: number; currency: string; facilityId: string | null },
): Promise<FieldErrors> {
  const errors = await amountErrors(db, loaded.policy, input, tenant.locale);
  if (Object.keys(errors).length) return errors;
  await saveAnswers(db, loaded, input, "documents");
  return {};
}

/** The document kinds this draft's claim takes (its type's required ones, then "other"). */
export function draftDocumentKinds(loaded: LoadedDraft) {
  return documentKindsFor(loaded.policy.claimFamily, loaded.answers.claimType ?? "", loaded.policy.claimRules);
}

export async function addDraftDocuments(
  db: TenantDb,
  ledger: FileLedger,
  tenantId: string,
  loaded: LoadedDraft,
  files: readonly AcceptedFile[],
): Promise<void> {
  for (const file of files) {
    const key = newKey(tenantId, "claim-drafts", file.filename);
    await db
      .insertInto("claim_draft_documents")
      .values({
        draft_id: loaded.draft.id,
        kind: file.kind,
        file_key: key,
        filename: file.filename,
        content_type: file.contentType,
        size_bytes: file.bytes.length,
      })
      .execute();
    await putFile(ledger, key, file.bytes, file.contentType);
  }
  await saveAnswers(db, loaded, {}, "documents");
}

export async function removeDraftDocument(db: TenantDb, ledger: FileLedger, loaded: LoadedDraft, documentId: string): Promise<boolean> {
  const removed = await db
    .deleteFrom("claim_draft_documents")
    .where("id", "=", documentId)
    .where("draft_id", "=", loaded.draft.id)
    .returning("file_key")
    .executeTakeFirst();
  if (removed) ledger.discardAfterCommit.push(removed.file_key);
  return Boolean(removed);
}

export async function markReviewReached(db: TenantDb, loaded: LoadedDraft): Promise<void> {
  await saveAnswers(db, loaded, {}, "review");
}

/**
 * Files the claim the draft describes: every rule is checked again (a day may have passed, the
 * policy may have changed), the documents are copied onto the claim (row first, then file) and the
 * draft is deleted; its files are removed once all of that has committed.
 */
export async function submitDraft(
  db: TenantDb,
  workflow: ClaimWorkflow,
  ledger: FileLedger,
  actor: ClaimActor,
  draftId: string,
): Promise<FileClaimResult> {
  // Two clicks on "Submit" at once: the second waits here, then finds the draft gone.
  const locked = await db
    .selectFrom("claim_drafts")
    .select("id")
    .where("id", "=", draftId)
    .where("user_id", "=", actor.userId)
    .forUpdate()
    .executeTakeFirst();
  const loaded = locked ? await loadDraft(db, actor, draftId) : undefined;
  if (!loaded) return { ok: false, errors: { form: ["This claim has already been submitted."] } };
  const a = loaded.answers;
  if (missingStep(a)) return { ok: false, errors: { form: ["Some steps are not finished yet."] } };
  if (loaded.documents.length > CLAIM_FILES_MAX) return { ok: false, errors: { form: ["Remove some documents first."] } };
  const result = await fileClaim(db, workflow, {
    actor,
    policyId: loaded.policy.id,
    claimType: a.claimType!,
    incidentDate: a.incidentDate!,
    incidentPlace: a.incidentPlace!,
    description: a.description!,
    claimedMinor: a.claimedMinor!,
    currency: a.currency ?? "",
    facilityId: a.facilityId ?? null,
    providedDocuments: loaded.documents.map((d) => d.kind),
  });
  if (!result.ok) return result;
  for (const doc of loaded.documents) {
    const key = newKey(workflow.tenant.id, "claim-documents", doc.filename);
    await db
      .insertInto("claim_documents")
      .values({
        claim_id: result.claim.id,
        kind: doc.kind,
        file_key: key,
        filename: doc.filename,
        content_type: doc.content_type,
        size_bytes: doc.size_bytes,
        uploaded_by: actor.userId,
      })
      .execute();
    const stored = await fileStore().get(doc.file_key);
    if (!stored) throw new Error(`The draft document ${doc.id} has no stored file`);
    await putFile(ledger, key, stored.body, doc.content_type);
    ledger.discardAfterCommit.push(doc.file_key);
  }
  await db.deleteFrom("claim_drafts").where("id", "=", loaded.draft.id).execute();
  return result;
}
