// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { z } from "zod";
import { ClaimTimeline } from "~/components/claims/claim-timeline";
import {
  ApproveForm,
  AssessmentForm,
  AssignForm,
  NoteForm,
  RejectForm,
  RequestDocumentsForm,
  ReviewDocumentForm,
  StepButton,
  type ActionReply,
} from "~/components/claims/workbench-forms";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can, type Permission } from "~/modules/auth/permissions";
import { completeAssessment, requestDocuments, reviewDocument, startReview } from "~/modules/claims/assessment.server";
import { assessorChoices, assignClaim, reassignAutomatically } from "~/modules/claims/assignment.server";
import { approveClaim, recommendationOf, rejectClaim } from "~/modules/claims/decision.server";
import { addNote } from "~/modules/claims/notes.server";
import {
  approveSchema,
  assessmentSchema,
  assignSchema,
  autoAssignSchema,
  STAFF_STATUS_LABELS,
  noteSchema,
  PARTIAL_REASONS,
  QUEUE_STATUSES,
  reasonLabel,
  REJECTION_REASONS,
  rejectSchema,
  requestDocumentsSchema,
  REVIEWING_STATUSES,
  reviewDocumentSchema,
  spanText,
  startReviewSchema,
} from "~/modules/claims/office-forms";
import { ClaimNotFound, stageTakes } from "~/modules/claims/office.server";
import { claimTypeLabel, documentKindsFor, documentLabel } from "~/modules/claims/rules";
import { ClaimConflict } from "~/modules/claims/transition.server";
import { claimFormContext, claimWorkbench, requestableDocuments } from "~/modules/claims/workbench.server";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { toMajorInput } from "~/modules/rating";
import { originOf } from "~/modules/tenancy/resolve.server";
import claimsStyles from "~/styles/claims-office.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimsStyles }];

/**
 * /admin/claims/:claimId — the assessor's workbench (issue 12 item 4): the claim, its policy and
 * claimant, documents with previews, requests, the assessment, the decision with four-eyes,
 * assignment, internal notes and the whole timeline. Each step is a plain form post with an
 * intent; the module refuses what the claim's state, its workflow or four-eyes do not allow.
 */

const INTENTS = {
  start_review: "assess:claim:any",
  request_documents: "assess:claim:any",
  review_document: "assess:claim:any",
  assess: "assess:claim:any",
  note: "assess:claim:any",
  approve: "approve:claim:any",
  reject: "approve:claim:any",
  assign: "assign:claim:any",
  auto_assign: "assign:claim:any",
} as const satisfies Record<string, Permission>;
type Intent = keyof typeof INTENTS;
const intentSchema = z.enum(Object.keys(INTENTS) as [Intent, ...Intent[]]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:claim:any");
  const claimId = uuidParam(params, "claimId");
  const found = await withTenant(tenant.id, async (db) => {
    const workbench = await claimWorkbench(db, claimId, { tenantId: tenant.id, userId: user.id });
    const assessors = workbench && can(user.roles, "assign:claim:any") ? await assessorChoices(db) : [];
    return workbench ? { workbench, assessors } : undefined;
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { workbench: w, assessors } = found;
  const c = w.claim;
  const money = (minor: number) => formatMoney(minor, c.currency, tenant.locale);
  const when = (at: Date) => formatDateTime(at, tenant.locale, tenant.timeZone);
  const day = (date: string) => formatDate(date, tenant.locale, "UTC");
  const now = Date.now();
  const state = w.workflow ?? undefined;
  const may = (permission: Permission) => can(user.roles, permission);
  const [first] = w.signOffs;
  const payable = c.payable_minor;
  const needsTwo = payable !== null && payable > w.settings.fourEyesMinor;
  const waitingForSecond = c.status === "assessment_complete" && Boolean(first) && first!.decision !== "rejected" && needsTwo;
  const excessDefault = w.policy.claimRules.excessMinor ?? 0;
  const url = new URL(request.url);
  const kinds = documentKindsFor(w.policy.claimFamily, c.claim_type, w.policy.claimRules);

  return json({
    done: url.searchParams.get("done"),
    claim: {
      id: c.id,
      number: c.claim_number,
      status: c.status,
      statusLabel: STAFF_STATUS_LABELS[c.status],
      revision: c.revision,
      type: claimTypeLabel(w.policy.claimFamily, c.claim_type),
      incidentDate: day(c.incident_date),
      incidentPlace: c.incident_place,
      description: c.description,
      claimed: money(c.claimed_minor),
      claimedMinor: c.claimed_minor,
      currency: c.currency,
      filed: when(c.created_at),
      filedBy: w.filedBy,
      facility: w.facility,
      assessor: w.assessorName,
      flags: w.flags,
      assessment:
        c.assessed_at || c.recommendation
          ? {
              recommendation: recommendationOf(c),
              approved: c.approved_minor !== null ? money(c.approved_minor) : null,
              excess: c.excess_minor !== null ? money(c.excess_minor) : null,
              payable: payable !== null ? money(payable) : null,
              reasons: c.reason_codes.map(reasonLabel),
              by: w.assessedByName,
              at: c.assessed_at ? when(c.assessed_at) : null,
            }
          : null,
      decision: c.decision
        ? {
            decision: c.decision,
            note: c.decision_note,
            at: c.decided_at ? when(c.decided_at) : null,
            reasons: c.reason_codes.map(reasonLabel),
          }
        : null,
      appealReason: c.appeal_reason,
      withdrawalReason: c.withdrawal_reason,
    },
    policy: {
      number: w.policy.number,
      status: w.policy.status,
      product: w.policy.productName,
      category: w.policy.categoryName,
      cover: w.policy.startDate && w.policy.endDate ? `${day(w.policy.startDate)} – ${day(w.policy.endDate)}` : null,
      excess: excessDefault ? money(excessDefault) : null,
    },
    claimant: w.claimant,
    member: w.member,
    benefit: w.benefit ? { limit: money(w.benefit.limitMinor), used: money(w.benefit.usedMinor), left: money(w.benefit.leftMinor) } : null,
    documents: w.documents.map((d) => ({
      id: d.id,
      kind: documentLabel(kinds, d.kind),
      filename: d.filename,
      size: d.sizeBytes >= 1_048_576 ? `${(d.sizeBytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(d.sizeBytes / 1024))} kB`,
      status: d.status,
      reviewNote: d.reviewNote,
      reviewedBy: d.reviewedBy,
      href: d.href,
      preview: d.preview,
      uploaded: when(d.uploadedAt),
    })),
    requests: w.requests.map((r) => ({
      id: r.id,
      message: r.message,
      documents: r.documents.map((d) => d.label),
      at: when(r.at),
      by: r.by,
      answered: r.answeredAt ? when(r.answeredAt) : null,
      answer: r.answer,
    })),
    notes: w.notes.map((n) => ({ id: n.id, author: n.authorName, body: n.body, at: when(n.at) })),
    workflow: state
      ? {
          stage: state.stage.name,
          ended: state.status !== "active",
          with:
            state.task && state.stage.kind === "manual"
              ? (state.assigneeName ?? `anyone with the ${state.task.requiredRole?.replace(/_/g, " ") ?? "role"} role`)
              : null,
          waiting: state.stage.kind === "waiting",
          inStage: state.task ? spanText(now - state.task.startedAt.getTime()) : null,
          due: state.task?.dueAt ? when(state.task.dueAt) : null,
          overdue: Boolean(state.task?.dueAt && state.stage.kind === "manual" && state.task.dueAt.getTime() <= now),
        }
      : null,
    fourEyes: {
      amount: money(w.settings.fourEyesMinor),
      needsTwo,
      waitingForSecond,
      firstSigner: first ? { name: first.approverName, at: when(first.at), you: first.approverUserId === user.id } : null,
      youAssessed: c.assessed_by === user.id,
    },
    can: {
      startReview: may("assess:claim:any") && ["submitted", "appealed"].includes(c.status) && stageTakes(state, "start_review"),
      requestDocuments:
        may("assess:claim:any") && ["submitted", "under_review"].includes(c.status) && stageTakes(state, "request_documents"),
      assess: may("assess:claim:any") && c.status === "under_review" && stageTakes(state, "complete_assessment"),
      decide: may("approve:claim:any") && c.status === "assessment_complete" && stageTakes(state, "approve"),
      approve: recommendationOf(c) === "approve" && payable !== null,
      reviewDocuments: may("assess:claim:any") && REVIEWING_STATUSES.includes(c.status),
      note: may("assess:claim:any"),
      assign: may("assign:claim:any") && QUEUE_STATUSES.includes(c.status),
      settle: may("settle:claim:any") && ["approved", "settled"].includes(c.status),
    },
    assessors: assessors.map((a) => ({ value: a.id, label: `${a.name} — ${a.role}, ${a.openClaims} open` })),
    currentAssessorId: c.assessor_user_id,
    requestable: requestableDocuments(
      w.policy.claimFamily,
      c.claim_type,
      w.policy.claimRules,
      w.documents.map((d) => d.kind),
    ).map((d) => ({ value: d.code, label: d.label })),
    assessDefaults: {
      approvedAmount: toMajorInput(c.claimed_minor, c.currency),
      excess: toMajorInput(Math.min(excessDefault, c.claimed_minor), c.currency),
    },
    reasons: {
      partial: Object.entries(PARTIAL_REASONS).map(([value, label]) => ({ value, label })),
      rejection: Object.entries(REJECTION_REASONS).map(([value, label]) => ({ value, label })),
    },
    rejectPreset: recommendationOf(c) === "reject" ? c.reason_codes : [],
    timeline: w.timeline.map((e, i) => ({
      key: String(i),
      at: when(e.at),
      atIso: e.at.toISOString(),
      title: e.title,
      detail: e.detail,
      actor: e.actor,
      internal: e.internal,
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:claim:any");
  const claimId = uuidParam(params, "claimId");
  const formData = await readForm(request);
  const parsedIntent = intentSchema.safeParse(formData.get("intent"));
  if (!parsedIntent.success) throw new Response("Unknown action", { status: 400 });
  const intent = parsedIntent.data;
  if (!can(user.roles, INTENTS[intent])) throw new Response("You may not do this.", { status: 403 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const workflow = claimWorkflow(tenant, originOf(request));
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  const done = () => redirect(`/admin/claims/${claimId}?done=${intent}`);
  const refused = (body: ActionReply, status = 400) => json(body, { status });

  /** Runs a step in one transaction: a refusal rolls it back and says why; a claim that is not there is a 404. */
  const step = async <T,>(work: (db: Parameters<Parameters<typeof withTenant>[1]>[0]) => Promise<T>, target?: string) => {
    try {
      const result = await withTenant(tenant.id, work);
      return { ok: true as const, result };
    } catch (error) {
      if (error instanceof ClaimNotFound) throw new Response("Not found", { status: 404 });
      if (error instanceof ClaimConflict)
        return { ok: false as const, response: refused({ intent, target, message: error.message }, error.status) };
      throw error;
    }
  };

  switch (intent) {
    case "start_review":
    case "auto_assign": {
      const submission = parseWithZod(formData, { schema: intent === "start_review" ? startReviewSchema : autoAssignSchema });
      if (submission.status !== "success") return refused({ intent, message: "Reload the page and try again." });
      const { revision } = submission.value;
      const ran = await step(async (db) => {
        if (intent === "start_review") await startReview(db, workflow, { claimId, revision, actor });
        else await reassignAutomatically(db, { claimId, revision, actor });
      });
      return ran.ok ? done() : ran.response;
    }
    case "assign": {
      const submission = parseWithZod(formData, { schema: assignSchema });
      if (submission.status !== "success") return refused({ intent, reply: submission.reply() });
      const ran = await step((db) =>
        assignClaim(db, { claimId, revision: submission.value.revision, assessorId: submission.value.assessorId, actor }),
      );
      if (!ran.ok) return ran.response;
      if (!ran.result.ok) return refused({ intent, reply: submission.reply(replyErrors(ran.result.errors)) });
      return done();
    }
    case "note": {
      const submission = parseWithZod(formData, { schema: noteSchema });
      if (submission.status !== "success") return refused({ intent, reply: submission.reply() });
      const ran = await step((db) => addNote(db, { claimId, authorUserId: user.id, body: submission.value.body }));
      return ran.ok ? done() : ran.response;
    }
    case "review_document": {
      const submission = parseWithZod(formData, { schema: reviewDocumentSchema });
      const target = typeof formData.get("documentId") === "string" ? String(formData.get("documentId")) : undefined;
      if (submission.status !== "success") return refused({ intent, target, reply: submission.reply() });
      const { documentId, verdict, note } = submission.value;
      const ran = await step((db) => reviewDocument(db, { claimId, documentId, verdict, note: note || null, actor }), target);
      return ran.ok ? done() : ran.response;
    }
    case "approve": {
      const submission = parseWithZod(formData, { schema: approveSchema });
      if (submission.status !== "success") return refused({ intent, reply: submission.reply() });
      const ran = await step((db) =>
        approveClaim(db, workflow, { claimId, revision: submission.value.revision, note: submission.value.note || null, actor, money }),
      );
      if (!ran.ok) return ran.response;
      return redirect(`/admin/claims/${claimId}?done=${ran.result.outcome === "approved" ? "approve" : "first_signature"}`);
    }
    case "reject": {
      const submission = parseWithZod(formData, { schema: rejectSchema });
      if (submission.status !== "success") return refused({ intent, reply: submission.reply() });
      const { revision, reasonCodes, note } = submission.value;
      const ran = await step((db) => rejectClaim(db, workflow, { claimId, revision, reasonCodes, note, actor }));
      return ran.ok ? done() : ran.response;
    }
    case "request_documents":
    case "assess": {
      const context = await withTenant(tenant.id, (db) => claimFormContext(db, claimId));
      if (!context) throw new Response("Not found", { status: 404 });
      if (intent === "request_documents") {
        const submission = parseWithZod(formData, { schema: requestDocumentsSchema(context.requestable) });
        if (submission.status !== "success") return refused({ intent, reply: submission.reply() });
        const { revision, message, documents } = submission.value;
        const ran = await step((db) => requestDocuments(db, workflow, { claimId, revision, message, documents, actor }));
        return ran.ok ? done() : ran.response;
      }
      const submission = parseWithZod(formData, { schema: assessmentSchema(context.currency, context.claimedMinor) });
      if (submission.status !== "success") return refused({ intent, reply: submission.reply() });
      const claimMoney = (minor: number) => formatMoney(minor, context.currency, tenant.locale);
      const ran = await step((db) => completeAssessment(db, workflow, { claimId, assessment: submission.value, actor, money: claimMoney }));
      if (!ran.ok) return ran.response;
      if (!ran.result.ok) return refused({ intent, reply: submission.reply(replyErrors(ran.result.errors)) });
      return done();
    }
  }
}

const DONE: Record<string, string> = {
  start_review: "You have started the review.",
  request_documents: "The request has been sent to the claimant.",
  review_document: "The document's review is saved.",
  assess: "The assessment is complete.",
  note: "The note is added.",
  approve: "The claim is approved.",
  first_signature: "Your approval is recorded: a second approver must now sign.",
  reject: "The claim is rejected.",
  assign: "The claim is assigned.",
  auto_assign: "The claim is reassigned by round-robin.",
};

export default function ClaimWorkbench() {
  const data = useLoaderData<typeof loader>();
  const last = useActionData<typeof action>() as ActionReply | undefined;
  const { claim, policy, claimant, member, benefit, documents, requests, notes, workflow, fourEyes, can: allowed } = data;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/claims">Claims</Link> / {claim.number}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {claim.number} <span className={`badge claim-status-${claim.status}`}>{claim.statusLabel}</span>
          </h1>
          <p className="muted">
            {claim.type} · {policy.product} · {claim.claimed} claimed · filed {claim.filed}
          </p>
        </div>
        {allowed.settle ? (
          <Link to={`/admin/claims/${claim.id}/settlement`} className="btn btn-secondary">
            Settlement
          </Link>
        ) : null}
      </div>

      {last?.message ? (
        <Alert tone="error" title="Not done">
          {last.message}
        </Alert>
      ) : data.done && DONE[data.done] && !last ? (
        <Alert tone="success">{DONE[data.done]}</Alert>
      ) : null}

      {fourEyes.waitingForSecond && fourEyes.firstSigner ? (
        <Alert tone="warning" title="Waiting for a second approver">
          {fourEyes.firstSigner.you ? "You" : fourEyes.firstSigner.name} signed the approval first on {fourEyes.firstSigner.at}. Above{" "}
          {fourEyes.amount}, a second person with the permission must sign it — not the first signer, and not the assessor who assessed the
          claim.
        </Alert>
      ) : null}

      <div className="workbench">
        <div>
          <section className="card" aria-labelledby="claim-title">
            <h2 id="claim-title">The claim</h2>
            <dl className="details-list">
              <dt>Incident</dt>
              <dd>
                {claim.incidentDate}, {claim.incidentPlace}
              </dd>
              <dt>What happened</dt>
              <dd className="note-body">{claim.description}</dd>
              <dt>Claimed</dt>
              <dd>{claim.claimed}</dd>
              {claim.facility ? (
                <>
                  <dt>Treated at</dt>
                  <dd>{claim.facility}</dd>
                </>
              ) : null}
              <dt>Filed by</dt>
              <dd>{claim.filedBy}</dd>
              {claim.appealReason ? (
                <>
                  <dt>Appeal</dt>
                  <dd className="note-body">{claim.appealReason}</dd>
                </>
              ) : null}
              {claim.withdrawalReason ? (
                <>
                  <dt>Withdrawn</dt>
                  <dd className="note-body">{claim.withdrawalReason}</dd>
                </>
              ) : null}
            </dl>
            {claim.flags.length ? (
              <Alert tone="warning" title="Flagged when filed">
                <ul>
                  {claim.flags.map((f) => (
                    <li key={f.code}>{f.message}</li>
                  ))}
                </ul>
              </Alert>
            ) : (
              <p className="muted small">The system found nothing to flag when the claim was filed.</p>
            )}
          </section>

          <section className="card" aria-labelledby="documents-title">
            <h2 id="documents-title">Documents</h2>
            {documents.length === 0 ? (
              <p className="muted">No document yet.</p>
            ) : (
              <ul className="workbench-documents">
                {documents.map((d) => (
                  <li key={d.id}>
                    <p>
                      <strong>{d.kind}</strong> · <a href={d.href}>{d.filename}</a>{" "}
                      <span className="muted small">
                        ({d.size}, {d.uploaded})
                      </span>{" "}
                      <span className={`badge claim-doc-${d.status}`}>
                        {d.status === "pending" ? "Not reviewed" : d.status === "verified" ? "Verified" : "Rejected"}
                      </span>
                    </p>
                    {d.preview === "image" ? <img src={d.href} alt={`${d.kind}: ${d.filename}`} loading="lazy" /> : null}
                    {d.preview === "pdf" ? (
                      <p className="small">
                        <a href={d.href}>Open the PDF</a>
                      </p>
                    ) : null}
                    {d.reviewedBy ? (
                      <p className="muted small">
                        Reviewed by {d.reviewedBy}
                        {d.reviewNote ? `: ${d.reviewNote}` : ""}
                      </p>
                    ) : null}
                    {allowed.reviewDocuments ? <ReviewDocumentForm documentId={d.id} last={last} /> : null}
                  </li>
                ))}
              </ul>
            )}
            <p className="muted small">Links and previews work for you only, for five minutes: reload the page for fresh ones.</p>
          </section>

          {requests.length ? (
            <section className="card" aria-labelledby="requests-title">
              <h2 id="requests-title">Requests to the claimant</h2>
              <ul className="activity">
                {requests.map((r) => (
                  <li key={r.id}>
                    <span>
                      <strong>{r.at}</strong> by {r.by}: {r.documents.join(", ")}
                    </span>
                    <span className="event-detail note-body">{r.message}</span>
                    <span className="muted small">
                      {r.answered ? `Answered ${r.answered}${r.answer ? `: ${r.answer}` : ""}` : "Not answered yet"}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {claim.assessment ? (
            <section className="card" aria-labelledby="assessment-title">
              <h2 id="assessment-title">Assessment</h2>
              <dl className="details-list">
                <dt>Recommendation</dt>
                <dd>{claim.assessment.recommendation === "approve" ? "Approve" : "Reject"}</dd>
                {claim.assessment.approved ? (
                  <>
                    <dt>Approved amount</dt>
                    <dd>{claim.assessment.approved}</dd>
                    <dt>Excess</dt>
                    <dd>{claim.assessment.excess}</dd>
                    <dt>Payable</dt>
                    <dd>
                      <strong>{claim.assessment.payable}</strong>
                    </dd>
                  </>
                ) : null}
                {claim.assessment.reasons.length ? (
                  <>
                    <dt>Reasons</dt>
                    <dd>{claim.assessment.reasons.join(", ")}</dd>
                  </>
                ) : null}
                <dt>Assessed by</dt>
                <dd>
                  {claim.assessment.by ?? "—"}
                  {claim.assessment.at ? `, ${claim.assessment.at}` : ""}
                </dd>
              </dl>
            </section>
          ) : null}

          {claim.decision ? (
            <section className="card" aria-labelledby="decision-title">
              <h2 id="decision-title">Decision</h2>
              <p>
                <strong>
                  {claim.decision.decision === "rejected"
                    ? "Rejected"
                    : claim.decision.decision === "partially_approved"
                      ? "Partially approved"
                      : "Approved"}
                </strong>
                {claim.decision.at ? ` on ${claim.decision.at}` : ""}
              </p>
              {claim.decision.decision === "rejected" && claim.decision.reasons.length ? (
                <p>Reasons: {claim.decision.reasons.join(", ")}</p>
              ) : null}
              {claim.decision.note ? <p className="note-body">{claim.decision.note}</p> : null}
            </section>
          ) : null}

          {allowed.startReview || allowed.requestDocuments || allowed.assess || allowed.decide ? (
            <section className="card stack" aria-labelledby="work-title">
              <h2 id="work-title">Next step</h2>
              {allowed.startReview ? (
                <StepButton intent="start_review" revision={claim.revision} label="Start the review">
                  <p>
                    Take this claim for review: it shows the claimant it is being looked at{claim.assessor ? "" : ", and it becomes yours"}.
                  </p>
                </StepButton>
              ) : null}
              {allowed.assess ? (
                <>
                  <h3>Assessment</h3>
                  <AssessmentForm
                    revision={claim.revision}
                    currency={claim.currency}
                    claimedMinor={claim.claimedMinor}
                    defaults={data.assessDefaults}
                    reasons={data.reasons}
                    last={last}
                  />
                </>
              ) : null}
              {allowed.requestDocuments ? (
                <>
                  <h3>Ask the claimant for more</h3>
                  <RequestDocumentsForm revision={claim.revision} known={data.requestable} last={last} />
                </>
              ) : null}
              {allowed.decide ? (
                <>
                  {allowed.approve ? (
                    <>
                      <h3>Approve</h3>
                      {fourEyes.waitingForSecond && (fourEyes.firstSigner?.you || fourEyes.youAssessed) ? (
                        <p className="muted">
                          {fourEyes.firstSigner?.you ? "You signed first" : "You assessed this claim"}: the second approval must come from
                          someone else.
                        </p>
                      ) : (
                        <ApproveForm
                          revision={claim.revision}
                          label={
                            fourEyes.waitingForSecond
                              ? "Sign as second approver"
                              : fourEyes.needsTwo
                                ? "Sign the approval (first of two)"
                                : "Approve"
                          }
                          last={last}
                        >
                          <p>
                            Pays <strong>{claim.assessment?.payable}</strong>
                            {fourEyes.needsTwo ? ` — above ${fourEyes.amount}, two people must approve.` : "."}
                          </p>
                        </ApproveForm>
                      )}
                    </>
                  ) : null}
                  <h3>Reject</h3>
                  <RejectForm revision={claim.revision} reasons={data.reasons.rejection} preset={data.rejectPreset} last={last} />
                </>
              ) : null}
            </section>
          ) : null}
          <ClaimTimeline rows={data.timeline} />
        </div>

        <div>
          <section className="card" aria-labelledby="workflow-title">
            <h2 id="workflow-title">Workflow</h2>
            {workflow ? null : <p className="muted">This claim has no workflow.</p>}
            <dl className="details-list">
              {workflow ? (
                <>
                  <dt>Stage</dt>
                  <dd>
                    {workflow.stage}
                    {workflow.ended ? " (ended)" : ""}
                  </dd>
                  {workflow.with ? (
                    <>
                      <dt>With</dt>
                      <dd>{workflow.with}</dd>
                    </>
                  ) : null}
                  {workflow.inStage ? (
                    <>
                      <dt>In this stage</dt>
                      <dd>{workflow.inStage}</dd>
                    </>
                  ) : null}
                  {workflow.due ? (
                    <>
                      <dt>{workflow.waiting ? "Reminder" : "Due"}</dt>
                      <dd>
                        {workflow.due} {workflow.overdue ? <span className="badge sla-breached">Breached</span> : null}
                      </dd>
                    </>
                  ) : null}
                </>
              ) : null}
              <dt>Assessor</dt>
              <dd>{claim.assessor ?? <span className="muted">Unassigned</span>}</dd>
            </dl>
            {allowed.assign ? (
              <div className="stack">
                <AssignForm revision={claim.revision} choices={data.assessors} current={data.currentAssessorId} last={last} />
                <StepButton intent="auto_assign" revision={claim.revision} label="Reassign automatically" variant="secondary" />
              </div>
            ) : null}
          </section>

          <section className="card" aria-labelledby="policy-title">
            <h2 id="policy-title">Policy</h2>
            <dl className="details-list">
              <dt>Policy</dt>
              <dd>{policy.number ?? <span className="muted">Not issued</span>}</dd>
              <dt>Product</dt>
              <dd>
                {policy.product} <span className="muted">({policy.category})</span>
              </dd>
              <dt>Status</dt>
              <dd>{policy.status.replace(/_/g, " ")}</dd>
              {policy.cover ? (
                <>
                  <dt>Cover</dt>
                  <dd>{policy.cover}</dd>
                </>
              ) : null}
              {policy.excess ? (
                <>
                  <dt>Excess</dt>
                  <dd>{policy.excess}</dd>
                </>
              ) : null}
            </dl>
            {benefit ? (
              <>
                <h3>Benefit this policy year</h3>
                <dl className="details-list">
                  <dt>Limit</dt>
                  <dd>{benefit.limit}</dd>
                  <dt>Paid or approved</dt>
                  <dd>{benefit.used}</dd>
                  <dt>Left</dt>
                  <dd>
                    <strong>{benefit.left}</strong>
                  </dd>
                </dl>
              </>
            ) : null}
          </section>

          <section className="card" aria-labelledby="claimant-title">
            <h2 id="claimant-title">Claimant</h2>
            <dl className="details-list">
              <dt>Name</dt>
              <dd>{member?.name ?? claimant.name}</dd>
              {member ? (
                <>
                  <dt>NRIC</dt>
                  <dd>
                    <code>{member.nricMasked}</code>
                  </dd>
                  <dt>Account</dt>
                  <dd>{claimant.name}</dd>
                </>
              ) : null}
              <dt>Email</dt>
              <dd className="break">{claimant.email}</dd>
              <dt>Phone</dt>
              <dd>{claimant.phone ?? <span className="muted">Not given</span>}</dd>
              {claimant.identifiers.map((i) => (
                <Fragment key={i.label}>
                  <dt>{i.label}</dt>
                  <dd>
                    <code>{i.masked}</code>
                  </dd>
                </Fragment>
              ))}
            </dl>
          </section>

          <section className="card stack" aria-labelledby="notes-title">
            <h2 id="notes-title">Internal notes</h2>
            {notes.length === 0 ? (
              <p className="muted">No notes yet.</p>
            ) : (
              <ul className="activity">
                {notes.map((n) => (
                  <li key={n.id}>
                    <span>
                      <strong>{n.author}</strong> <span className="muted small">{n.at}</span>
                    </span>
                    <p className="note-body event-detail">{n.body}</p>
                  </li>
                ))}
              </ul>
            )}
            {allowed.note ? <NoteForm last={last} /> : null}
          </section>
        </div>
      </div>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? `Claim ${data.claim.number}` : "Claim");
