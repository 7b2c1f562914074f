import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { Trans, useTranslation } from "react-i18next";
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
import { useErrorText } from "~/components/ui/field";
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
  noteSchema,
  PARTIAL_REASONS,
  QUEUE_STATUSES,
  REJECTION_REASONS,
  rejectSchema,
  requestDocumentsSchema,
  REVIEWING_STATUSES,
  reviewDocumentSchema,
  startReviewSchema,
} from "~/modules/claims/office-forms";
import { ClaimNotFound, stageTakes } from "~/modules/claims/office.server";
import { documentKindsFor, documentLabel } from "~/modules/claims/rules";
import { claimTypeText, documentText, reasonText, spanWords } from "~/modules/claims/translated";
import { ClaimConflict } from "~/modules/claims/transition.server";
import { claimFormContext, claimWorkbench, requestableDocuments } from "~/modules/claims/workbench.server";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { toMajorInput } from "~/modules/rating";
import { serverT } from "~/modules/i18n/i18n.server";
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
  const [t, claimsT] = await Promise.all([serverT(tenant.language, "admin-claims"), serverT(tenant.language, "claims")]);
  const found = await withTenant(tenant.id, async (db) => {
    const workbench = await claimWorkbench(db, claimId, { tenantId: tenant.id, userId: user.id }, t);
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
  const kinds = documentKindsFor(w.policy.claimFamily, c.claim_type, w.policy.claimRules).map((k) => documentText(claimsT, k));
  const reason = (code: string) => reasonText(t, code);

  return json({
    title: t("workbench.title", { number: c.claim_number }),
    done: url.searchParams.get("done"),
    claim: {
      id: c.id,
      number: c.claim_number,
      status: c.status,
      statusLabel: String(t(`status.${c.status}`)),
      revision: c.revision,
      type: claimTypeText(claimsT, w.policy.claimFamily, c.claim_type),
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
              reasons: c.reason_codes.map(reason),
              by: w.assessedByName,
              at: c.assessed_at ? when(c.assessed_at) : null,
            }
          : null,
      decision: c.decision
        ? {
            decision: c.decision,
            note: c.decision_note,
            at: c.decided_at ? when(c.decided_at) : null,
            reasons: c.reason_codes.map(reason),
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
      documents: r.documents.map((d) => documentText(claimsT, d).label),
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
              ? (state.assigneeName ?? t("workflow.anyone", { role: state.task.requiredRole?.replace(/_/g, " ") ?? "" }))
              : null,
          waiting: state.stage.kind === "waiting",
          inStage: state.task ? spanWords(t, now - state.task.startedAt.getTime()) : null,
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
    assessors: assessors.map((a) => ({ value: a.id, label: t("assign.choice", { name: a.name, role: a.role, open: a.openClaims }) })),
    currentAssessorId: c.assessor_user_id,
    requestable: requestableDocuments(
      w.policy.claimFamily,
      c.claim_type,
      w.policy.claimRules,
      w.documents.map((d) => d.kind),
    ).map((d) => ({ value: d.code, label: documentText(claimsT, d).label })),
    assessDefaults: {
      approvedAmount: toMajorInput(c.claimed_minor, c.currency),
      excess: toMajorInput(Math.min(excessDefault, c.claimed_minor), c.currency),
    },
    reasons: {
      partial: Object.keys(PARTIAL_REASONS).map((value) => ({ value, label: reason(value) })),
      rejection: Object.keys(REJECTION_REASONS).map((value) => ({ value, label: reason(value) })),
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

/** The steps whose success the page announces (`done.<step>` in admin-claims). */
const DONE = new Set([
  "start_review",
  "request_documents",
  "review_document",
  "assess",
  "note",
  "approve",
  "first_signature",
  "reject",
  "assign",
  "auto_assign",
]);

export default function ClaimWorkbench() {
  const data = useLoaderData<typeof loader>();
  const last = useActionData<typeof action>() as ActionReply | undefined;
  const { claim, policy, claimant, member, benefit, documents, requests, notes, workflow, fourEyes, can: allowed } = data;
  const { t } = useTranslation("admin-claims");
  const errorText = useErrorText();
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/claims">{t("queue.title")}</Link> / {claim.number}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {claim.number} <span className={`badge claim-status-${claim.status}`}>{claim.statusLabel}</span>
          </h1>
          <p className="muted">
            {claim.type} · {policy.product} · {t("workbench.claimedFiled", { amount: claim.claimed, date: claim.filed })}
          </p>
        </div>
        {allowed.settle ? (
          <Link to={`/admin/claims/${claim.id}/settlement`} className="btn btn-secondary">
            {t("settlement.title")}
          </Link>
        ) : null}
      </div>

      {last?.message ? (
        <Alert tone="error" title={t("workbench.notDone")}>
          {errorText([last.message])}
        </Alert>
      ) : data.done && DONE.has(data.done) && !last ? (
        <Alert tone="success">{t(`done.${data.done}`)}</Alert>
      ) : null}

      {fourEyes.waitingForSecond && fourEyes.firstSigner ? (
        <Alert tone="warning" title={t("fourEyes.waitingTitle")}>
          {t(fourEyes.firstSigner.you ? "fourEyes.waitingYou" : "fourEyes.waiting", {
            name: fourEyes.firstSigner.name,
            date: fourEyes.firstSigner.at,
            amount: fourEyes.amount,
          })}
        </Alert>
      ) : null}

      <div className="workbench">
        <div>
          <section className="card" aria-labelledby="claim-title">
            <h2 id="claim-title">{t("workbench.claim")}</h2>
            <dl className="details-list">
              <dt>{t("workbench.incident")}</dt>
              <dd>
                {claim.incidentDate}, {claim.incidentPlace}
              </dd>
              <dt>{t("workbench.whatHappened")}</dt>
              <dd className="note-body">{claim.description}</dd>
              <dt>{t("workbench.claimed")}</dt>
              <dd>{claim.claimed}</dd>
              {claim.facility ? (
                <>
                  <dt>{t("workbench.treatedAt")}</dt>
                  <dd>{claim.facility}</dd>
                </>
              ) : null}
              <dt>{t("workbench.filedBy")}</dt>
              <dd>{claim.filedBy}</dd>
              {claim.appealReason ? (
                <>
                  <dt>{t("workbench.appeal")}</dt>
                  <dd className="note-body">{claim.appealReason}</dd>
                </>
              ) : null}
              {claim.withdrawalReason ? (
                <>
                  <dt>{t("workbench.withdrawn")}</dt>
                  <dd className="note-body">{claim.withdrawalReason}</dd>
                </>
              ) : null}
            </dl>
            {claim.flags.length ? (
              <Alert tone="warning" title={t("workbench.flagged")}>
                <ul>
                  {claim.flags.map((f) => (
                    <li key={f.code}>{f.message}</li>
                  ))}
                </ul>
              </Alert>
            ) : (
              <p className="muted small">{t("workbench.notFlagged")}</p>
            )}
          </section>

          <section className="card" aria-labelledby="documents-title">
            <h2 id="documents-title">{t("workbench.documents")}</h2>
            {documents.length === 0 ? (
              <p className="muted">{t("workbench.noDocument")}</p>
            ) : (
              <ul className="workbench-documents">
                {documents.map((d) => (
                  <li key={d.id}>
                    <p>
                      <strong>{d.kind}</strong> · <a href={d.href}>{d.filename}</a>{" "}
                      <span className="muted small">
                        ({d.size}, {d.uploaded})
                      </span>{" "}
                      <span className={`badge claim-doc-${d.status}`}>{t(`documentStatus.${d.status}`)}</span>
                    </p>
                    {d.preview === "image" ? <img src={d.href} alt={`${d.kind}: ${d.filename}`} loading="lazy" /> : null}
                    {d.preview === "pdf" ? (
                      <p className="small">
                        <a href={d.href}>{t("workbench.openPdf")}</a>
                      </p>
                    ) : null}
                    {d.reviewedBy ? (
                      <p className="muted small">
                        {t("workbench.reviewedBy", { name: d.reviewedBy })}
                        {d.reviewNote ? `: ${d.reviewNote}` : ""}
                      </p>
                    ) : null}
                    {allowed.reviewDocuments ? <ReviewDocumentForm documentId={d.id} last={last} /> : null}
                  </li>
                ))}
              </ul>
            )}
            <p className="muted small">{t("workbench.linksNote")}</p>
          </section>

          {requests.length ? (
            <section className="card" aria-labelledby="requests-title">
              <h2 id="requests-title">{t("workbench.requests")}</h2>
              <ul className="activity">
                {requests.map((r) => (
                  <li key={r.id}>
                    <span>
                      <strong>{r.at}</strong> {t("workbench.requestBy", { name: r.by, documents: r.documents.join(", ") })}
                    </span>
                    <span className="event-detail note-body">{r.message}</span>
                    <span className="muted small">
                      {r.answered
                        ? `${t("workbench.answered", { date: r.answered })}${r.answer ? `: ${r.answer}` : ""}`
                        : t("workbench.notAnswered")}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {claim.assessment ? (
            <section className="card" aria-labelledby="assessment-title">
              <h2 id="assessment-title">{t("workbench.assessment")}</h2>
              <dl className="details-list">
                <dt>{t("workbench.recommendation")}</dt>
                <dd>{claim.assessment.recommendation === "approve" ? t("workbench.approve") : t("workbench.reject")}</dd>
                {claim.assessment.approved ? (
                  <>
                    <dt>{t("workbench.approvedAmount")}</dt>
                    <dd>{claim.assessment.approved}</dd>
                    <dt>{t("workbench.excess")}</dt>
                    <dd>{claim.assessment.excess}</dd>
                    <dt>{t("workbench.payable")}</dt>
                    <dd>
                      <strong>{claim.assessment.payable}</strong>
                    </dd>
                  </>
                ) : null}
                {claim.assessment.reasons.length ? (
                  <>
                    <dt>{t("workbench.reasons")}</dt>
                    <dd>{claim.assessment.reasons.join(", ")}</dd>
                  </>
                ) : null}
                <dt>{t("workbench.assessedBy")}</dt>
                <dd>
                  {claim.assessment.by ?? "—"}
                  {claim.assessment.at ? `, ${claim.assessment.at}` : ""}
                </dd>
              </dl>
            </section>
          ) : null}

          {claim.decision ? (
            <section className="card" aria-labelledby="decision-title">
              <h2 id="decision-title">{t("workbench.decision")}</h2>
              <p>
                <strong>
                  {claim.decision.decision === "rejected"
                    ? t("decision.rejected")
                    : claim.decision.decision === "partially_approved"
                      ? t("decision.partiallyApproved")
                      : t("decision.approved")}
                </strong>
                {claim.decision.at ? ` ${t("decision.on", { date: claim.decision.at })}` : ""}
              </p>
              {claim.decision.decision === "rejected" && claim.decision.reasons.length ? (
                <p>{t("decision.reasons", { reasons: claim.decision.reasons.join(", ") })}</p>
              ) : null}
              {claim.decision.note ? <p className="note-body">{claim.decision.note}</p> : null}
            </section>
          ) : null}

          {allowed.startReview || allowed.requestDocuments || allowed.assess || allowed.decide ? (
            <section className="card stack" aria-labelledby="work-title">
              <h2 id="work-title">{t("workbench.nextStep")}</h2>
              {allowed.startReview ? (
                <StepButton intent="start_review" revision={claim.revision} label={t("workbench.startReview")}>
                  <p>{claim.assessor ? t("workbench.startReviewHint") : t("workbench.startReviewHintYours")}</p>
                </StepButton>
              ) : null}
              {allowed.assess ? (
                <>
                  <h3>{t("workbench.assessment")}</h3>
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
                  <h3>{t("workbench.askMore")}</h3>
                  <RequestDocumentsForm revision={claim.revision} known={data.requestable} last={last} />
                </>
              ) : null}
              {allowed.decide ? (
                <>
                  {allowed.approve ? (
                    <>
                      <h3>{t("workbench.approve")}</h3>
                      {fourEyes.waitingForSecond && (fourEyes.firstSigner?.you || fourEyes.youAssessed) ? (
                        <p className="muted">{fourEyes.firstSigner?.you ? t("fourEyes.youSignedFirst") : t("fourEyes.youAssessed")}</p>
                      ) : (
                        <ApproveForm
                          revision={claim.revision}
                          label={
                            fourEyes.waitingForSecond
                              ? t("fourEyes.signSecond")
                              : fourEyes.needsTwo
                                ? t("fourEyes.signFirst")
                                : t("workbench.approve")
                          }
                          last={last}
                        >
                          <p>
                            <Trans
                              t={t}
                              i18nKey={fourEyes.needsTwo ? "fourEyes.paysTwo" : "fourEyes.pays"}
                              values={{ amount: claim.assessment?.payable, limit: fourEyes.amount }}
                              components={{ strong: <strong /> }}
                            />
                          </p>
                        </ApproveForm>
                      )}
                    </>
                  ) : null}
                  <h3>{t("workbench.reject")}</h3>
                  <RejectForm revision={claim.revision} reasons={data.reasons.rejection} preset={data.rejectPreset} last={last} />
                </>
              ) : null}
            </section>
          ) : null}
          <ClaimTimeline rows={data.timeline} />
        </div>

        <div>
          <section className="card" aria-labelledby="workflow-title">
            <h2 id="workflow-title">{t("workflow.title")}</h2>
            {workflow ? null : <p className="muted">{t("workflow.none")}</p>}
            <dl className="details-list">
              {workflow ? (
                <>
                  <dt>{t("workflow.stage")}</dt>
                  <dd>
                    {workflow.stage}
                    {workflow.ended ? ` ${t("workflow.ended")}` : ""}
                  </dd>
                  {workflow.with ? (
                    <>
                      <dt>{t("workflow.with")}</dt>
                      <dd>{workflow.with}</dd>
                    </>
                  ) : null}
                  {workflow.inStage ? (
                    <>
                      <dt>{t("workflow.inStage")}</dt>
                      <dd>{workflow.inStage}</dd>
                    </>
                  ) : null}
                  {workflow.due ? (
                    <>
                      <dt>{workflow.waiting ? t("workflow.reminder") : t("workflow.due")}</dt>
                      <dd>
                        {workflow.due} {workflow.overdue ? <span className="badge sla-breached">{t("sla.breached")}</span> : null}
                      </dd>
                    </>
                  ) : null}
                </>
              ) : null}
              <dt>{t("workflow.assessor")}</dt>
              <dd>{claim.assessor ?? <span className="muted">{t("workflow.unassigned")}</span>}</dd>
            </dl>
            {allowed.assign ? (
              <div className="stack">
                <AssignForm revision={claim.revision} choices={data.assessors} current={data.currentAssessorId} last={last} />
                <StepButton intent="auto_assign" revision={claim.revision} label={t("workflow.reassign")} variant="secondary" />
              </div>
            ) : null}
          </section>

          <section className="card" aria-labelledby="policy-title">
            <h2 id="policy-title">{t("policy.title")}</h2>
            <dl className="details-list">
              <dt>{t("policy.title")}</dt>
              <dd>{policy.number ?? <span className="muted">{t("policy.notIssued")}</span>}</dd>
              <dt>{t("policy.product")}</dt>
              <dd>
                {policy.product} <span className="muted">({policy.category})</span>
              </dd>
              <dt>{t("policy.status")}</dt>
              <dd>{t(`policyStatus.${policy.status}`, { defaultValue: policy.status.replace(/_/g, " ") })}</dd>
              {policy.cover ? (
                <>
                  <dt>{t("policy.cover")}</dt>
                  <dd>{policy.cover}</dd>
                </>
              ) : null}
              {policy.excess ? (
                <>
                  <dt>{t("workbench.excess")}</dt>
                  <dd>{policy.excess}</dd>
                </>
              ) : null}
            </dl>
            {benefit ? (
              <>
                <h3>{t("policy.benefit")}</h3>
                <dl className="details-list">
                  <dt>{t("policy.limit")}</dt>
                  <dd>{benefit.limit}</dd>
                  <dt>{t("policy.used")}</dt>
                  <dd>{benefit.used}</dd>
                  <dt>{t("policy.left")}</dt>
                  <dd>
                    <strong>{benefit.left}</strong>
                  </dd>
                </dl>
              </>
            ) : null}
          </section>

          <section className="card" aria-labelledby="claimant-title">
            <h2 id="claimant-title">{t("claimant.title")}</h2>
            <dl className="details-list">
              <dt>{t("claimant.name")}</dt>
              <dd>{member?.name ?? claimant.name}</dd>
              {member ? (
                <>
                  <dt>{t("claimant.nric")}</dt>
                  <dd>
                    <code>{member.nricMasked}</code>
                  </dd>
                  <dt>{t("claimant.account")}</dt>
                  <dd>{claimant.name}</dd>
                </>
              ) : null}
              <dt>{t("claimant.email")}</dt>
              <dd className="break">{claimant.email}</dd>
              <dt>{t("claimant.phone")}</dt>
              <dd>{claimant.phone ?? <span className="muted">{t("claimant.notGiven")}</span>}</dd>
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
            <h2 id="notes-title">{t("notes.title")}</h2>
            {notes.length === 0 ? (
              <p className="muted">{t("notes.none")}</p>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Claim");
