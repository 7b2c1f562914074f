import { json, redirect } from "@remix-run/node";
import { readForm } from "~/lib/forms";
import { withTenant } from "~db/client";
import { addClaimDocuments, appealClaim, claimDocumentKinds, withdrawClaim, type ActionResult } from "./claimant-actions.server";
import { claimForClaimant } from "./claimant.server";
import { acceptFiles, claimDocumentCount, readClaimUpload, withStoredFiles } from "./documents.server";
import type { claimsRequest } from "./page.server";
import { zodFieldErrors } from "./page.server";
import { answerRequestSchema, appealSchema, withdrawSchema } from "./schemas";
import { ClaimConflict } from "./transition.server";

/**
 * The claim page's forms, shared by the claimant's page and the agent's: withdraw, appeal, answer a
 * request, add a document. A success redirects back to the page with a notice (POST-redirect-GET);
 * a failure answers the page's data with the form's errors and keeps the claim as it was.
 */

type Context = Awaited<ReturnType<typeof claimsRequest>>;

export const NOTICES = {
  withdrawn: "Your claim has been withdrawn.",
  appealed: "Your appeal has been sent. We will look at the claim again.",
  answered: "Thank you: the documents have been sent to the assessor.",
  uploaded: "The document has been added to the claim.",
  reviewed: "The claim has been sent to the assessors.",
  asked: "The member has been asked for the documents.",
  filed: "Your claim has been filed. We will keep you posted by email.",
} as const;
export type NoticeKey = keyof typeof NOTICES;

/** The notice's key (`notices.<key>` in the claims namespace: the page shows it in the reader's language). */
export function noticeFrom(request: Request): NoticeKey | null {
  const key = new URL(request.url).searchParams.get("done");
  return key && Object.hasOwn(NOTICES, key) ? (key as NoticeKey) : null;
}

export function failed(intent: string, errors: Record<string, string[]>, status = 400) {
  return json({ intent, errors }, { status });
}

/** Runs a claim move; a stale or illegal move (ClaimConflict) is the form's error, not a 500. */
export async function guarded(intent: string, work: () => Promise<ActionResult>, done: () => Response): Promise<Response> {
  let result: ActionResult;
  try {
    result = await work();
  } catch (error) {
    if (error instanceof ClaimConflict) return failed(intent, { form: [error.message] }, error.status);
    throw error;
  }
  if (!result.ok) {
    if (result.status === 404) throw new Response("Not found", { status: 404 });
    return failed(intent, result.errors, result.status ?? 400);
  }
  return done();
}

export async function claimPageAction(request: Request, ctx: Context, claimId: string, pagePath: string): Promise<Response> {
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data"))
    return claimUploadAction(request, ctx, claimId, pagePath);
  return claimFormAction(await readForm(request), ctx, claimId, pagePath);
}

/** Documents sent from the claim's page: in answer to a request, or added on their own. */
export async function claimUploadAction(request: Request, ctx: Context, claimId: string, pagePath: string): Promise<Response> {
  const { tenant, actor, workflow } = ctx;
  const back = (done: NoticeKey) => redirect(`${pagePath}?done=${done}`);
  {
    const read = await readClaimUpload(request);
    if (!read.ok) return failed("upload", { form: [read.message] }, 413);
    const { form, files } = read;
    const intent = String(form.get("intent") ?? "");
    const requestId = intent === "answer" ? String(form.get("requestId") ?? "") : null;
    const errorIntent = intent === "answer" ? `answer:${requestId}` : "upload";
    if (intent !== "answer" && intent !== "upload") return failed("upload", { form: ["We did not understand that request."] });
    const parsed = intent === "answer" ? answerRequestSchema.safeParse(Object.fromEntries(form)) : null;
    if (parsed && !parsed.success) return failed(errorIntent, zodFieldErrors(parsed.error));
    return guarded(
      errorIntent,
      () =>
        withStoredFiles(tenant.id, async (db, ledger) => {
          const view = await claimForClaimant(db, actor, claimId, ctx.today);
          if (!view) return { ok: false, errors: {}, status: 404 };
          const accepted = acceptFiles(files, {
            kinds: claimDocumentKinds(view).map((k) => k.code),
            formKind: intent === "upload" ? String(form.get("kind") ?? "") : null,
            alreadyStored: await claimDocumentCount(db, claimId),
          });
          if (Object.keys(accepted.errors).length) return { ok: false, errors: accepted.errors };
          return addClaimDocuments(db, workflow, ledger, actor, {
            claimId,
            requestId: parsed?.success ? parsed.data.requestId : null,
            answer: parsed?.success ? (parsed.data.answer ?? null) : null,
            files: accepted.accepted,
          });
        }),
      () => back(intent === "answer" ? "answered" : "uploaded"),
    );
  }
}

/** Withdrawing and appealing, from the claim's page. */
export async function claimFormAction(form: FormData, ctx: Context, claimId: string, pagePath: string): Promise<Response> {
  const { tenant, actor, workflow } = ctx;
  const back = (done: NoticeKey) => redirect(`${pagePath}?done=${done}`);
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "withdraw": {
      const parsed = withdrawSchema.safeParse(Object.fromEntries(form));
      if (!parsed.success) return failed(intent, zodFieldErrors(parsed.error));
      return guarded(
        intent,
        () => withTenant(tenant.id, (db) => withdrawClaim(db, workflow, actor, { claimId, ...parsed.data })),
        () => back("withdrawn"),
      );
    }
    case "appeal": {
      const parsed = appealSchema.safeParse(Object.fromEntries(form));
      if (!parsed.success) return failed(intent, zodFieldErrors(parsed.error));
      return guarded(
        intent,
        () => withTenant(tenant.id, (db) => appealClaim(db, workflow, actor, { claimId, ...parsed.data })),
        () => back("appealed"),
      );
    }
    default:
      return failed("form", { form: ["We did not understand that request. Please try again."] });
  }
}
