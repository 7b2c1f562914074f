// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import type { ClaimPageData } from "~/modules/claims/page.server";
import { CLAIM_FILE_ACCEPT, CLAIM_FILE_MAX_BYTES } from "~/modules/claims/documents-limits";
import { PROGRESS_STEPS } from "~/modules/claims/labels";

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
  notice?: string | null;
  /** The agent's review panel, when it is theirs to review. */
  extra?: ReactNode;
}) {
  const errorsFor = (which: string) => (intent === which ? errors : {});
  return (
    <div className="stack claim-tracker">
      <div className="page-head">
        <div>
          <p className="eyebrow">Claim {claim.claimNumber}</p>
          <h1>
            {claim.typeLabel} <span className={`badge badge-${claim.statusTone}`}>{claim.statusLabel}</span>
          </h1>
          <p className="muted">
            {claim.productName} · policy {claim.policyNumber}
            {claim.standing === "agent" ? ` · for ${claim.claimantName}` : ""}
          </p>
        </div>
      </div>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {intent && errors.form ? <Alert tone="error">{errors.form.join(" ")}</Alert> : null}

      <section className="card" aria-labelledby="claim-status-title">
        <h2 id="claim-status-title">Where your claim stands</h2>
        <p>{claim.statusExplain}</p>
        <ProgressStepper progress={claim.progress} status={claim.status} />
        <dl className="details-list">
          <dt>Waiting for</dt>
          <dd>
            <strong>{WHO[claim.waitingFor.who]}</strong> {claim.waitingFor.what}
            {claim.waitingFor.dueAt && claim.waitingFor.who !== "you" ? (
              <span className="muted"> Expected by {claim.waitingFor.dueAt}.</span>
            ) : null}
          </dd>
          <dt>Amount claimed</dt>
          <dd>{claim.claimed}</dd>
          {claim.approved ? (
            <>
              <dt>Approved</dt>
              <dd>{claim.approved}</dd>
            </>
          ) : null}
          {claim.excess ? (
            <>
              <dt>Excess</dt>
              <dd>{claim.excess}</dd>
            </>
          ) : null}
          {claim.payable ? (
            <>
              <dt>To be paid</dt>
              <dd>{claim.payable}</dd>
            </>
          ) : null}
          {claim.decisionNote ? (
            <>
              <dt>Decision</dt>
              <dd>{claim.decisionNote}</dd>
            </>
          ) : null}
          {claim.benefit ? (
            <>
              <dt>Benefit left this policy year</dt>
              <dd>
                {claim.benefit.left} of {claim.benefit.limit}{" "}
                <span className="muted">
                  ({claim.benefit.yearStart} to {claim.benefit.yearEnd})
                </span>
              </dd>
            </>
          ) : null}
        </dl>
        {claim.flags.length ? (
          <div className="claim-flags">
            <h3>Things our assessor will check</h3>
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
          <h2 id="claim-requests-title">What we need from you</h2>
          {claim.requests
            .filter((r) => !r.answeredAt)
            .map((r) => (
              <RequestForm key={r.id} request={r} errors={errorsFor(`answer:${r.id}`)} />
            ))}
        </section>
      ) : null}

      {claim.settlement ? (
        <section className="card" aria-labelledby="claim-settlement-title">
          <h2 id="claim-settlement-title">Payment</h2>
          <dl className="details-list">
            <dt>Status</dt>
            <dd>{claim.settlement.statusLabel}</dd>
            <dt>Amount</dt>
            <dd>{claim.settlement.amount}</dd>
            <dt>Reference</dt>
            <dd>{claim.settlement.reference}</dd>
            {claim.settlement.paidAt ? (
              <>
                <dt>Paid</dt>
                <dd>{claim.settlement.paidAt}</dd>
              </>
            ) : null}
          </dl>
          {claim.settlement.letterUrl ? (
            <p className="section-actions">
              <a href={claim.settlement.letterUrl} download>
                Download the settlement letter (PDF)
              </a>
            </p>
          ) : null}
        </section>
      ) : null}

      {extra}

      <section className="card" aria-labelledby="claim-documents-title">
        <h2 id="claim-documents-title">Documents</h2>
        {claim.documents.length === 0 ? (
          <p className="muted">No documents yet.</p>
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
                <span className="muted small"> Added {d.uploadedAt}</span>
              </li>
            ))}
          </ul>
        )}
        {claim.canUpload && claim.documentsLeft > 0 ? <UploadForm claim={claim} errors={errorsFor("upload")} /> : null}
      </section>

      <section className="card" aria-labelledby="claim-details-title">
        <h2 id="claim-details-title">What happened</h2>
        <dl className="details-list">
          <dt>Date</dt>
          <dd>{claim.incidentDate}</dd>
          <dt>Place</dt>
          <dd>{claim.incidentPlace}</dd>
          {claim.facility ? (
            <>
              <dt>Hospital or clinic</dt>
              <dd>{claim.facility}</dd>
            </>
          ) : null}
          <dt>Description</dt>
          <dd className="pre-line">{claim.description}</dd>
          <dt>Filed</dt>
          <dd>{claim.filedAt}</dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="claim-timeline-title">
        <h2 id="claim-timeline-title">Timeline</h2>
        <ol className="claim-timeline">
          {claim.timeline.map((t, i) => (
            <li key={i}>
              <span className="muted small">{t.at}</span> <strong>{t.title}</strong>
              {t.by ? <span className="muted small"> by {BY[t.by]}</span> : null}
              {t.detail ? <p className="pre-line">{t.detail}</p> : null}
            </li>
          ))}
        </ol>
      </section>

      {claim.status === "rejected" ? <AppealForm claim={claim} errors={errorsFor("appeal")} /> : null}
      {claim.canWithdraw ? <WithdrawForm claim={claim} errors={errorsFor("withdraw")} /> : null}
      <p>
        <Link to={claim.standing === "agent" ? "/agent/claims" : "/account/claims"}>Back to claims</Link>
      </p>
    </div>
  );
}

const WHO = { you: "You:", agent: "Your agent:", us: "Us:", nobody: "" } as const;
const BY = { you: "you", agent: "the agent", us: "us" } as const;

function ProgressStepper({ progress, status }: { progress: number; status: string }) {
  if (progress < 0) return <p className="muted">This claim was withdrawn.</p>;
  return (
    <ol className="claim-progress" aria-label="Progress of the claim">
      {PROGRESS_STEPS.map((label, i) => {
        const state = i < progress || (i === progress && status === "settled") ? "done" : i === progress ? "current" : "upcoming";
        return (
          <li key={label} className={`is-${state}`} aria-current={state === "current" ? "step" : undefined}>
            <span aria-hidden="true">{state === "done" ? "✓" : i + 1}</span> {i === 2 && status === "rejected" ? "Rejected" : label}
            <span className="visually-hidden">{state === "done" ? " (done)" : state === "current" ? " (now)" : " (not yet)"}</span>
          </li>
        );
      })}
    </ol>
  );
}

function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {errors.join(" ")}
    </p>
  );
}

function RequestForm({ request, errors }: { request: ClaimPageData["requests"][number]; errors: Errors }) {
  const id = `request-${request.id}`;
  return (
    <Form method="post" encType="multipart/form-data" className="claim-request stack" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Asked on {request.askedAt}</h3>
      <p className="pre-line">{request.message}</p>
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="requestId" value={request.id} />
      {errors.form ? <Alert tone="error">{errors.form.join(" ")}</Alert> : null}
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
        <label htmlFor={`${id}-answer`}>A note for the assessor (optional)</label>
        <textarea id={`${id}-answer`} name="answer" rows={3} maxLength={2000} />
      </div>
      <p className="muted small">PDF, JPEG, PNG or HEIC, up to {CLAIM_FILE_MAX_BYTES / 1024 / 1024} MB each.</p>
      <Button type="submit">Send the documents</Button>
    </Form>
  );
}

function UploadForm({ claim, errors }: { claim: ClaimPageData; errors: Errors }) {
  const invalid = Boolean(errors.file || errors.kind);
  return (
    <Form method="post" encType="multipart/form-data" className="stack claim-upload" aria-label="Add a document">
      <h3>Add a document</h3>
      <input type="hidden" name="intent" value="upload" />
      <div className="field">
        <label htmlFor="upload-kind">What is it?</label>
        <select id="upload-kind" name="kind" defaultValue="other">
          {claim.documentKinds.map((k) => (
            <option key={k.code} value={k.code}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <div className={`field${invalid ? " field-invalid" : ""}`}>
        <label htmlFor="upload-file">File</label>
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
          Upload
        </Button>
      </div>
    </Form>
  );
}

function AppealForm({ claim, errors }: { claim: ClaimPageData; errors: Errors }) {
  if (!claim.appealOpen)
    return (
      <section className="card" aria-labelledby="claim-appeal-title">
        <h2 id="claim-appeal-title">Appeal</h2>
        <p>
          {claim.appealUntil
            ? `The time to appeal this decision ended on ${claim.appealUntil}.`
            : "This decision can no longer be appealed."}
        </p>
      </section>
    );
  return (
    <section className="card" aria-labelledby="claim-appeal-title">
      <h2 id="claim-appeal-title">Appeal the decision</h2>
      <p>
        If you think the decision is wrong, tell us why by <strong>{claim.appealUntil}</strong> and we will look at the claim again.
      </p>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="appeal" />
        <input type="hidden" name="revision" value={claim.revision} />
        <div className={`field${errors.reason ? " field-invalid" : ""}`}>
          <label htmlFor="appeal-reason">Why should we look again?</label>
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
          <Button type="submit">Appeal</Button>
        </div>
      </Form>
    </section>
  );
}

function WithdrawForm({ claim, errors }: { claim: ClaimPageData; errors: Errors }) {
  return (
    <section className="card" aria-labelledby="claim-withdraw-title">
      <h2 id="claim-withdraw-title">Withdraw the claim</h2>
      <p className="muted">A withdrawn claim is closed and cannot be opened again; you can file a new one.</p>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="withdraw" />
        <input type="hidden" name="revision" value={claim.revision} />
        <div className={`field${errors.reason ? " field-invalid" : ""}`}>
          <label htmlFor="withdraw-reason">Why are you withdrawing it?</label>
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
          <label htmlFor="withdraw-confirm">Yes, withdraw claim {claim.claimNumber}</label>
          <FieldError id="withdraw-confirm-error" errors={errors.confirm} />
        </div>
        <div>
          <Button type="submit" variant="secondary">
            Withdraw the claim
          </Button>
        </div>
      </Form>
    </section>
  );
}
