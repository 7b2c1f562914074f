import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import type { ClaimPageData } from "~/modules/claims/page.server";
import { CLAIM_FILE_ACCEPT, CLAIM_FILE_MAX_BYTES } from "~/modules/claims/documents-limits";
import type { NoticeKey } from "~/modules/claims/page-actions.server";

/**
 * One claim as its claimant (or their agent) follows it: where it stands, what it waits for and from
 * whom, the requests to answer, the documents, the decision and the payment, and the timeline.
 * Plain forms: every action works without JavaScript (POST, then back to this page).
 */

type Errors = Record<string, string[] | undefined>;

export function ClaimTracker({
  claim,
  errors = {},
  intent,
  notice,
  extra,
}: {
  claim: ClaimPageData;
  errors?: Errors;
  /** The form the errors belong to. */
  intent?: string | null;
  notice?: NoticeKey | null;
  /** The agent's review panel, when it is theirs to review. */
  extra?: ReactNode;
}) {
  const { t } = useTranslation("claims");
  const errorText = useErrorText();
  const errorsFor = (which: string) => (intent === which ? errors : {});
  return (
    <div className="stack claim-tracker">
      <div className="page-head">
        <div>
          <p className="eyebrow">{t("tracker.title", { number: claim.claimNumber })}</p>
          <h1>
            {claim.typeLabel} <span className={`badge badge-${claim.statusTone}`}>{claim.statusLabel}</span>
          </h1>
          <p className="muted">
            {claim.productName} · {t("tracker.policy", { number: claim.policyNumber })}
            {claim.standing === "agent" ? ` · ${t("tracker.for", { name: claim.claimantName })}` : ""}
          </p>
        </div>
      </div>
      {notice ? <Alert tone="success">{t(`notices.${notice}`)}</Alert> : null}
      {intent && errors.form ? <Alert tone="error">{errorText(errors.form)}</Alert> : null}

      <section className="card" aria-labelledby="claim-status-title">
        <h2 id="claim-status-title">{t("tracker.standsTitle")}</h2>
        <p>{claim.statusExplain}</p>
        <ProgressStepper progress={claim.progress} status={claim.status} />
        <dl className="details-list">
          <dt>{t("tracker.waitingFor")}</dt>
          <dd>
            <strong>{claim.waitingFor.who === "nobody" ? "" : t(`tracker.who.${claim.waitingFor.who}`)}</strong> {claim.waitingFor.what}
            {claim.waitingFor.dueAt && claim.waitingFor.who !== "you" ? (
              <span className="muted"> {t("tracker.expectedBy", { date: claim.waitingFor.dueAt })}</span>
            ) : null}
          </dd>
          <dt>{t("tracker.amountClaimed")}</dt>
          <dd>{claim.claimed}</dd>
          {claim.approved ? (
            <>
              <dt>{t("tracker.approved")}</dt>
              <dd>{claim.approved}</dd>
            </>
          ) : null}
          {claim.excess ? (
            <>
              <dt>{t("tracker.excess")}</dt>
              <dd>{claim.excess}</dd>
            </>
          ) : null}
          {claim.payable ? (
            <>
              <dt>{t("tracker.toBePaid")}</dt>
              <dd>{claim.payable}</dd>
            </>
          ) : null}
          {claim.decisionNote ? (
            <>
              <dt>{t("tracker.decision")}</dt>
              <dd>{claim.decisionNote}</dd>
            </>
          ) : null}
          {claim.benefit ? (
            <>
              <dt>{t("tracker.benefitLeft")}</dt>
              <dd>
                {t("tracker.benefitOf", { left: claim.benefit.left, limit: claim.benefit.limit })}{" "}
                <span className="muted">{t("tracker.benefitYear", { from: claim.benefit.yearStart, to: claim.benefit.yearEnd })}</span>
              </dd>
            </>
          ) : null}
        </dl>
        {claim.flags.length ? (
          <div className="claim-flags">
            <h3>{t("tracker.flagsTitle")}</h3>
            <ul>
              {claim.flags.map((f) => (
                <li key={f.code}>{f.message}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>

      {claim.requests.some((r) => !r.answeredAt) ? (
        <section className="card" aria-labelledby="claim-requests-title">
          <h2 id="claim-requests-title">{t("tracker.requestsTitle")}</h2>
          {claim.requests
            .filter((r) => !r.answeredAt)
            .map((r) => (
              <RequestForm key={r.id} request={r} errors={errorsFor(`answer:${r.id}`)} />
            ))}
        </section>
      ) : null}

      {claim.settlement ? (
        <section className="card" aria-labelledby="claim-settlement-title">
          <h2 id="claim-settlement-title">{t("tracker.payment")}</h2>
          <dl className="details-list">
            <dt>{t("tracker.status")}</dt>
            <dd>{claim.settlement.statusLabel}</dd>
            <dt>{t("tracker.amount")}</dt>
            <dd>{claim.settlement.amount}</dd>
            <dt>{t("tracker.reference")}</dt>
            <dd>{claim.settlement.reference}</dd>
            {claim.settlement.paidAt ? (
              <>
                <dt>{t("tracker.paid")}</dt>
                <dd>{claim.settlement.paidAt}</dd>
              </>
            ) : null}
          </dl>
          {claim.settlement.letterUrl ? (
            <p className="section-actions">
              <a href={claim.settlement.letterUrl} download>
                {t("tracker.settlementLetter")}
              </a>
            </p>
          ) : null}
        </section>
      ) : null}

      {extra}

      <section className="card" aria-labelledby="claim-documents-title">
        <h2 id="claim-documents-title">{t("tracker.documents")}</h2>
        {claim.documents.length === 0 ? (
          <p className="muted">{t("tracker.noDocuments")}</p>
        ) : (
          <ul className="claim-documents">
            {claim.documents.map((d) => (
              <li key={d.id}>
                <a href={d.url} target="_blank" rel="noreferrer">
                  {d.kind}: {d.filename}
                </a>{" "}
                <span className={`badge badge-${d.status === "verified" ? "active" : d.status === "rejected" ? "failed" : "pending"}`}>
                  {d.statusLabel}
                </span>
                {d.note ? <p className="small">{d.note}</p> : null}
                <span className="muted small"> {t("tracker.added", { date: d.uploadedAt })}</span>
              </li>
            ))}
          </ul>
        )}
        {claim.canUpload && claim.documentsLeft > 0 ? <UploadForm claim={claim} errors={errorsFor("upload")} /> : null}
      </section>

      <section className="card" aria-labelledby="claim-details-title">
        <h2 id="claim-details-title">{t("tracker.whatHappened")}</h2>
        <dl className="details-list">
          <dt>{t("tracker.date")}</dt>
          <dd>{claim.incidentDate}</dd>
          <dt>{t("tracker.place")}</dt>
          <dd>{claim.incidentPlace}</dd>
          {claim.facility ? (
            <>
              <dt>{t("tracker.facility")}</dt>
              <dd>{claim.facility}</dd>
            </>
          ) : null}
          <dt>{t("tracker.description")}</dt>
          <dd className="pre-line">{claim.description}</dd>
          <dt>{t("tracker.filed")}</dt>
          <dd>{claim.filedAt}</dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="claim-timeline-title">
        <h2 id="claim-timeline-title">{t("tracker.timeline")}</h2>
        <ol className="claim-timeline">
          {claim.timeline.map((item, i) => (
            <li key={i}>
              <span className="muted small">{item.at}</span> <strong>{item.title}</strong>
              {item.by ? <span className="muted small"> {t(`tracker.by.${item.by}`)}</span> : null}
              {item.detail ? <p className="pre-line">{item.detail}</p> : null}
            </li>
          ))}
        </ol>
      </section>

      {claim.status === "rejected" ? <AppealForm claim={claim} errors={errorsFor("appeal")} /> : null}
      {claim.canWithdraw ? <WithdrawForm claim={claim} errors={errorsFor("withdraw")} /> : null}
      <p>
        <Link to={claim.standing === "agent" ? "/agent/claims" : "/account/claims"}>{t("tracker.back")}</Link>
      </p>
    </div>
  );
}

/** The progress stepper's steps (`progress.<step>`): where a claim stands on its way to being paid. */
const PROGRESS_STEPS = ["submitted", "assessment", "decision", "paid"] as const;

function ProgressStepper({ progress, status }: { progress: number; status: string }) {
  const { t } = useTranslation("claims");
  if (progress < 0) return <p className="muted">{t("progress.withdrawn")}</p>;
  return (
    <ol className="claim-progress" aria-label={t("progress.label")}>
      {PROGRESS_STEPS.map((step, i) => {
        const state = i < progress || (i === progress && status === "settled") ? "done" : i === progress ? "current" : "upcoming";
        return (
          <li key={step} className={`is-${state}`} aria-current={state === "current" ? "step" : undefined}>
            <span aria-hidden="true">{state === "done" ? "✓" : i + 1}</span>{" "}
            {i === 2 && status === "rejected" ? t("progress.rejected") : t(`progress.${step}`)}
            <span className="visually-hidden"> {t(`progress.${state}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}

function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  const errorText = useErrorText();
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {errorText(errors)}
    </p>
  );
}

function RequestForm({ request, errors }: { request: ClaimPageData["requests"][number]; errors: Errors }) {
  const { t } = useTranslation("claims");
  const errorText = useErrorText();
  const id = `request-${request.id}`;
  return (
    <Form method="post" encType="multipart/form-data" className="claim-request stack" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("tracker.askedOn", { date: request.askedAt })}</h3>
      <p className="pre-line">{request.message}</p>
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="requestId" value={request.id} />
      {errors.form ? <Alert tone="error">{errorText(errors.form)}</Alert> : null}
      {request.documents.map((d) => (
        <div key={d.code} className={`field${errors[`doc_${d.code}`] ? " field-invalid" : ""}`}>
          <label htmlFor={`${id}-${d.code}`}>{d.label}</label>
          <input
            id={`${id}-${d.code}`}
            type="file"
            name={`doc_${d.code}`}
            accept={CLAIM_FILE_ACCEPT}
            multiple
            aria-describedby={errors[`doc_${d.code}`] ? `${id}-${d.code}-error` : undefined}
          />
          <FieldError id={`${id}-${d.code}-error`} errors={errors[`doc_${d.code}`]} />
        </div>
      ))}
      <div className="field">
        <label htmlFor={`${id}-answer`}>{t("tracker.noteForAssessor")}</label>
        <textarea id={`${id}-answer`} name="answer" rows={3} maxLength={2000} />
      </div>
      <p className="muted small">{t("tracker.fileTypes", { mb: CLAIM_FILE_MAX_BYTES / 1024 / 1024 })}</p>
      <Button type="submit">{t("tracker.sendDocuments")}</Button>
    </Form>
  );
}

function UploadForm({ claim, errors }: { claim: ClaimPageData; errors: Errors }) {
  const { t } = useTranslation("claims");
  const invalid = Boolean(errors.file || errors.kind);
  return (
    <Form method="post" encType="multipart/form-data" className="stack claim-upload" aria-label={t("tracker.addDocument")}>
      <h3>{t("tracker.addDocument")}</h3>
      <input type="hidden" name="intent" value="upload" />
      <div className="field">
        <label htmlFor="upload-kind">{t("tracker.whatIsIt")}</label>
        <select id="upload-kind" name="kind" defaultValue="other">
          {claim.documentKinds.map((k) => (
            <option key={k.code} value={k.code}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <div className={`field${invalid ? " field-invalid" : ""}`}>
        <label htmlFor="upload-file">{t("tracker.file")}</label>
        <input
          id="upload-file"
          type="file"
          name="file"
          accept={CLAIM_FILE_ACCEPT}
          multiple
          aria-describedby={invalid ? "upload-file-error" : undefined}
        />
        <FieldError id="upload-file-error" errors={[...(errors.file ?? []), ...(errors.kind ?? [])]} />
      </div>
      <div>
        <Button type="submit" variant="secondary">
          {t("tracker.upload")}
        </Button>
      </div>
    </Form>
  );
}

function AppealForm({ claim, errors }: { claim: ClaimPageData; errors: Errors }) {
  const { t } = useTranslation("claims");
  if (!claim.appealOpen)
    return (
      <section className="card" aria-labelledby="claim-appeal-title">
        <h2 id="claim-appeal-title">{t("tracker.appeal")}</h2>
        <p>{claim.appealUntil ? t("tracker.appealEnded", { date: claim.appealUntil }) : t("tracker.appealClosed")}</p>
      </section>
    );
  return (
    <section className="card" aria-labelledby="claim-appeal-title">
      <h2 id="claim-appeal-title">{t("tracker.appealTitle")}</h2>
      <p>
        <Trans t={t} i18nKey="tracker.appealIntro" values={{ date: claim.appealUntil }} components={{ strong: <strong /> }} />
      </p>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="appeal" />
        <input type="hidden" name="revision" value={claim.revision} />
        <div className={`field${errors.reason ? " field-invalid" : ""}`}>
          <label htmlFor="appeal-reason">{t("tracker.appealReason")}</label>
          <textarea
            id="appeal-reason"
            name="reason"
            rows={4}
            maxLength={2000}
            required
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={errors.reason ? "appeal-reason-error" : undefined}
          />
          <FieldError id="appeal-reason-error" errors={errors.reason} />
        </div>
        <div>
          <Button type="submit">{t("tracker.appeal")}</Button>
        </div>
      </Form>
    </section>
  );
}

function WithdrawForm({ claim, errors }: { claim: ClaimPageData; errors: Errors }) {
  const { t } = useTranslation("claims");
  return (
    <section className="card" aria-labelledby="claim-withdraw-title">
      <h2 id="claim-withdraw-title">{t("tracker.withdraw")}</h2>
      <p className="muted">{t("tracker.withdrawIntro")}</p>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="withdraw" />
        <input type="hidden" name="revision" value={claim.revision} />
        <div className={`field${errors.reason ? " field-invalid" : ""}`}>
          <label htmlFor="withdraw-reason">{t("tracker.withdrawReason")}</label>
          <textarea
            id="withdraw-reason"
            name="reason"
            rows={3}
            maxLength={2000}
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={errors.reason ? "withdraw-reason-error" : undefined}
          />
          <FieldError id="withdraw-reason-error" errors={errors.reason} />
        </div>
        <div className={`field field-check${errors.confirm ? " field-invalid" : ""}`}>
          <input
            id="withdraw-confirm"
            type="checkbox"
            name="confirm"
            value="yes"
            aria-describedby={errors.confirm ? "withdraw-confirm-error" : undefined}
          />
          <label htmlFor="withdraw-confirm">{t("tracker.withdrawConfirm", { number: claim.claimNumber })}</label>
          <FieldError id="withdraw-confirm-error" errors={errors.confirm} />
        </div>
        <div>
          <Button type="submit" variant="secondary">
            {t("tracker.withdraw")}
          </Button>
        </div>
      </Form>
    </section>
  );
}
