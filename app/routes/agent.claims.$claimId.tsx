import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ClaimTracker } from "~/components/claims/tracker";
import { ErrorText } from "~/components/claims/wizard";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { agentAskDocuments, agentReviewed, awaitsAgentReview } from "~/modules/claims/claimant-actions.server";
import { claimForClaimant } from "~/modules/claims/claimant.server";
import { claimFormAction, claimUploadAction, failed, guarded, noticeFrom } from "~/modules/claims/page-actions.server";
import { claimPageData, claimsRequest, zodFieldErrors } from "~/modules/claims/page.server";
import { agentReviewSchema, askDocumentsSchema } from "~/modules/claims/schemas";
import { requireAgent } from "~/modules/network/current-agent.server";
import { serverT } from "~/modules/i18n/i18n.server";
import claimStyles from "~/styles/claims.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimStyles }];

/**
 * /agent/claims/<id>: a member's claim as their agent follows it, and the agent's review (the
 * `agent_review` stage of the agency's claims workflow): send it on to the assessors, or ask the
 * member for documents first. Another agent's member's claim is a 404, as is a claim that does not exist.
 */
async function agentClaim(request: Request, claimIdParam: string | undefined) {
  await requireAgent(request, "review:claim:member");
  const ctx = await claimsRequest(request);
  const claimId = uuidParam({ claimId: claimIdParam }, "claimId");
  return { ctx, claimId };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { ctx, claimId } = await agentClaim(request, params.claimId);
  const { view, reviewable } = await withTenant(ctx.tenant.id, async (db) => {
    const view = await claimForClaimant(db, ctx.actor, claimId, ctx.today);
    return { view, reviewable: view?.standing.as === "agent" ? await awaitsAgentReview(db, claimId, ctx.user.id) : false };
  });
  if (!view || view.standing.as !== "agent") throw new Response("Not found", { status: 404 });
  const claim = await claimPageData(view, ctx.tenant, ctx.user.id);
  const t = await serverT(ctx.tenant.language, "claims");
  return json({ claim, reviewable, notice: noticeFrom(request), title: t("tracker.title", { number: claim.claimNumber }) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, claimId } = await agentClaim(request, params.claimId);
  const here = `/agent/claims/${claimId}`;
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) return claimUploadAction(request, ctx, claimId, here);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "review") {
    const parsed = agentReviewSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return failed(intent, zodFieldErrors(parsed.error));
    return guarded(
      intent,
      () =>
        withTenant(ctx.tenant.id, (db) => agentReviewed(db, ctx.workflow, ctx.actor, { claimId, note: parsed.data.note?.trim() || null })),
      () => redirect(`${here}?done=reviewed`),
    );
  }
  if (intent === "ask") {
    const parsed = askDocumentsSchema.safeParse({ ...Object.fromEntries(form), documents: form.getAll("documents") });
    if (!parsed.success) return failed(intent, zodFieldErrors(parsed.error));
    return guarded(
      intent,
      () => withTenant(ctx.tenant.id, (db) => agentAskDocuments(db, ctx.workflow, ctx.actor, { claimId, ...parsed.data })),
      () => redirect(`${here}?done=asked`),
    );
  }
  // Withdraw, appeal and uploads are the same forms as the member's own page.
  return claimFormAction(form, ctx, claimId, here);
}

export default function AgentClaimPage() {
  const { claim, reviewable, notice } = useLoaderData<typeof loader>();
  const failedAction = useActionData<{ intent: string; errors: Record<string, string[]> }>();
  const errors = failedAction?.errors ?? {};
  const reviewErrors = failedAction?.intent === "review" ? errors : {};
  const askErrors = failedAction?.intent === "ask" ? errors : {};
  const { t } = useTranslation("claims");
  const review = reviewable ? (
    <section className="card" aria-labelledby="agent-review-title">
      <h2 id="agent-review-title">{t("agentReview.title")}</h2>
      <p>{t("agentReview.intro")}</p>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="review" />
        <div className="field">
          <label htmlFor="review-note">{t("agentReview.note")}</label>
          <textarea id="review-note" name="note" rows={3} maxLength={2000} />
          <ErrorText id="review-note-error" errors={reviewErrors.note ?? reviewErrors.form} />
        </div>
        <div>
          <Button type="submit">{t("agentReview.send")}</Button>
        </div>
      </Form>
      <Form method="post" className="stack">
        <h3>{t("agentReview.askTitle")}</h3>
        <input type="hidden" name="intent" value="ask" />
        <input type="hidden" name="revision" value={claim.revision} />
        <fieldset aria-describedby={askErrors.documents ? "ask-documents-error" : undefined}>
          <legend>{t("agentReview.documentsNeeded")}</legend>
          <ErrorText id="ask-documents-error" errors={askErrors.documents} />
          {claim.documentKinds.map((k) => (
            <div key={k.code} className="field-check">
              <input id={`ask-${k.code}`} type="checkbox" name="documents" value={k.code} />
              <label htmlFor={`ask-${k.code}`}>{k.label}</label>
            </div>
          ))}
        </fieldset>
        <div className={`field${askErrors.message ? " field-invalid" : ""}`}>
          <label htmlFor="ask-message">{t("agentReview.message")}</label>
          <textarea
            id="ask-message"
            name="message"
            rows={3}
            maxLength={2000}
            aria-describedby={askErrors.message ? "ask-message-error" : undefined}
          />
          <ErrorText id="ask-message-error" errors={askErrors.message ?? askErrors.form} />
        </div>
        <div>
          <Button type="submit" variant="secondary">
            {t("agentReview.ask")}
          </Button>
        </div>
      </Form>
    </section>
  ) : null;
  return <ClaimTracker claim={claim} notice={notice} intent={failedAction?.intent} errors={errors} extra={review} />;
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Claim");
