// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { ZodTypeAny } from "zod";
import { z } from "zod";
import { StatusBadge } from "~/components/admin/status-badge";
import { Timeline, timelineRows } from "~/components/admin/timeline";
import { TextareaField, textareaProps } from "~/components/console/fields";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import {
  confirmPaidSchema,
  payBankSchema,
  payMpesaSchema,
  reasonSchema,
  recordManualSchema,
  SETTLEMENT_INTENTS,
  SETTLEMENT_METHOD_LABELS,
  SETTLEMENT_STATUS_LABELS,
  type SettlementIntent,
} from "~/modules/claims/settlement-forms";
import { settlementPage } from "~/modules/claims/settlement-page.server";
import {
  cancelSettlement,
  confirmSettlementPaid,
  markSettlementFailed,
  paySettlement,
  recordManualPayment,
  type SettlementResult,
} from "~/modules/claims/settlement.server";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { prettyJson } from "~/modules/payments/transaction-detail.server";
import { originOf } from "~/modules/tenancy/resolve.server";

/**
 * /admin/claims/<claimId>/settlement: paying an approved claim (decision 025). Staff with
 * `read:claim:any` see where the payment stands, its timeline and every exchange with the
 * provider; staff with `settle:claim:any` choose how it is paid — M-Pesa, a bank transfer (in the
 * bank file), a payment made elsewhere, or the sandbox — and mark a payment under way paid or failed.
 */

const NOTICES: Record<string, string> = {
  paying: "Payment started. The provider's answer shows here within a minute; reload to see it.",
  bank: "Added to the bank file. Download the file for the bank, then mark the transfer paid with the bank's reference.",
  recorded: "Payment recorded. The claim is settled, and the claimant gets the settlement letter by email.",
  confirmed: "Marked paid. The claim is settled, and the claimant gets the settlement letter by email.",
  failed: "Marked failed. Pay it again, another way if need be.",
  cancelled: "Settlement cancelled.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:claim:any");
  const claimId = uuidParam(params, "claimId");
  const page = await withTenant(tenant.id, (db) => settlementPage(db, tenant, claimId));
  if (!page) throw new Response("Not found", { status: 404 });
  const when = (value: Date | null) => (value ? formatDateTime(value, tenant.locale, tenant.timeZone) : null);
  const money = (minor: number | null) => (minor === null ? null : formatMoney(minor, page.claim.currency, tenant.locale));
  const s = page.settlement;
  return json({
    canSettle: can(user.roles, "settle:claim:any"),
    claim: {
      id: page.claim.id,
      number: page.claim.claim_number,
      status: page.claim.status,
      claimant: page.claim.claimant_name,
      email: page.claim.claimant_email,
      policy: page.claim.policy_number,
      product: page.claim.product,
      claimed: money(page.claim.claimed_minor),
      approved: money(page.claim.approved_minor),
      excess: money(page.claim.excess_minor),
      payable: money(page.claim.payable_minor),
      hasDecisionLetter: Boolean(page.claim.decision_letter_file_key),
    },
    settlement: s
      ? {
          id: s.id,
          reference: s.reference,
          status: s.status,
          statusLabel: SETTLEMENT_STATUS_LABELS[s.status],
          amount: money(s.amount_minor)!,
          method: s.method,
          methodLabel: s.method ? SETTLEMENT_METHOD_LABELS[s.method] : null,
          payeeName: s.payee_name,
          payeePhone: s.payee_phone,
          payeeBank: s.payee_bank,
          payeeAccount: s.payee_account_masked,
          attempt: s.attempt,
          providerRef: s.provider_ref,
          receipt: s.provider_receipt ?? s.manual_reference,
          failure: s.failure_message ? `${s.failure_message}${s.failure_code ? ` (${s.failure_code})` : ""}` : null,
          attention: s.needs_attention,
          sentAt: when(s.sent_at),
          exportedAt: when(s.exported_at),
          paidAt: when(s.paid_at),
          hasLetter: Boolean(s.letter_file_key),
          payout: s.method === "mpesa_b2c" || s.method === "sandbox",
        }
      : null,
    options: page.options,
    bankQueue: page.bankQueue,
    timeline: timelineRows(page.timeline, (at) => when(at)!),
    events: page.events.map((e) => ({
      id: e.id,
      providerEventId: e.provider_event_id,
      deliveries: e.deliveries,
      receivedAt: when(e.received_at)!,
      processedAt: when(e.processed_at),
      outcome: e.outcome,
    })),
    gatewayLog: page.gatewayLog.map((g) => ({
      id: g.id,
      kind: g.kind,
      provider: g.provider,
      at: when(g.created_at)!,
      atIso: g.created_at.toISOString(),
      durationMs: g.duration_ms,
      request: prettyJson(g.request),
      response: prettyJson(g.response),
      rawBody: g.raw_body,
    })),
  });
}

type ActionData = { intent: SettlementIntent; reply: SubmissionResult<string[]> | null; message: string | null };

const SCHEMAS: Record<SettlementIntent, ZodTypeAny> = {
  pay_mpesa: payMpesaSchema,
  pay_sandbox: z.object({}),
  pay_bank: payBankSchema,
  record_manual: recordManualSchema,
  confirm_paid: confirmPaidSchema,
  mark_failed: reasonSchema,
  cancel: reasonSchema,
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "settle:claim:any");
  const claimId = uuidParam(params, "claimId");
  const formData = await readForm(request);
  const intent = z.enum(SETTLEMENT_INTENTS).safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  const submission = parseWithZod(formData, { schema: SCHEMAS[intent.data] });
  if (submission.status !== "success") {
    return json<ActionData>({ intent: intent.data, reply: submission.reply(), message: null }, { status: 400 });
  }
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const workflow = claimWorkflow(tenant, originOf(request));
  const value = submission.value as Record<string, string>;
  const here = `/admin/claims/${claimId}/settlement`;

  const outcome = await withTenant(tenant.id, async (db): Promise<{ result: SettlementResult; notice: string }> => {
    const s = await db.selectFrom("claim_settlements").select("id").where("claim_id", "=", claimId).executeTakeFirst();
    if (!s) return { result: { ok: false, status: 404, message: "No such settlement" }, notice: "" };
    const settlementId = s.id;
    switch (intent.data) {
      case "pay_mpesa":
        return {
          result: await paySettlement(db, workflow, { settlementId, method: "mpesa_b2c", phone: value.phone! }, actor),
          notice: "paying",
        };
      case "pay_sandbox":
        return { result: await paySettlement(db, workflow, { settlementId, method: "sandbox" }, actor), notice: "paying" };
      case "pay_bank":
        return {
          result: await paySettlement(
            db,
            workflow,
            { settlementId, method: "bank_transfer", payeeName: value.payeeName!, bank: value.bank!, account: value.account! },
            actor,
          ),
          notice: "bank",
        };
      case "record_manual":
        return {
          result: await recordManualPayment(db, workflow, { settlementId, reference: value.reference!, note: value.note }, actor),
          notice: "recorded",
        };
      case "confirm_paid":
        return {
          result: await confirmSettlementPaid(db, workflow, { settlementId, reference: value.reference! }, actor),
          notice: "confirmed",
        };
      case "mark_failed":
        return { result: await markSettlementFailed(db, { settlementId, reason: value.reason! }, actor), notice: "failed" };
      case "cancel":
        return { result: await cancelSettlement(db, { settlementId, reason: value.reason! }, actor), notice: "cancelled" };
    }
  });
  const { result } = outcome;
  if (!result.ok && result.status === 404) throw new Response("Not found", { status: 404 });
  if (!result.ok) {
    // Said above the page: the form it came from may be gone (someone else paid it meanwhile).
    return json<ActionData>({ intent: intent.data, reply: submission.reply(), message: result.message }, { status: result.status });
  }
  return redirect(`${here}?notice=${outcome.notice}`);
}

export default function ClaimSettlement() {
  const { claim, settlement, options, bankQueue, canSettle, timeline, events, gatewayLog } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.get("notice");
  const open = settlement && (settlement.status === "pending" || settlement.status === "failed");
  const option = (method: string) => options.find((o) => o?.method === method);
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/claims">Claims</Link> / <Link to={`/admin/claims/${claim.id}`}>{claim.number}</Link> / Settlement
      </p>
      <div className="page-head">
        <div>
          <h1>Settlement {settlement ? <StatusBadge status={settlement.status} label={settlement.statusLabel} /> : null}</h1>
          <p className="muted">
            Claim {claim.number} · {claim.claimant} · {claim.product} ({claim.policy})
          </p>
        </div>
      </div>
      {actionData?.message ? <Alert tone="error">{actionData.message}</Alert> : null}
      {notice && NOTICES[notice] && !actionData ? <Alert tone="success">{NOTICES[notice]}</Alert> : null}
      {settlement?.attention ? (
        <Alert tone="warning" title="Needs your attention">
          {settlement.attention}
        </Alert>
      ) : null}

      <section className="card" aria-labelledby="amounts-title">
        <h2 id="amounts-title">The claim</h2>
        <dl className="details-list">
          <dt>Claimed</dt>
          <dd>{claim.claimed}</dd>
          <dt>Approved</dt>
          <dd>{claim.approved ?? <span className="muted">Not approved</span>}</dd>
          <dt>Excess</dt>
          <dd>{claim.excess ?? <span className="muted">None</span>}</dd>
          <dt>Payable</dt>
          <dd>{claim.payable ?? <span className="muted">—</span>}</dd>
          <dt>Claim status</dt>
          <dd>{claim.status.replace(/_/g, " ")}</dd>
        </dl>
        {claim.hasDecisionLetter ? (
          <p>
            <a href={`/account/claims/${claim.id}/letter?letter=decision`}>Download the decision letter (PDF)</a>
          </p>
        ) : null}
      </section>

      {!settlement ? (
        <Alert tone="info" title="Nothing to settle yet">
          A settlement is made when the claim is approved with an amount to pay.
        </Alert>
      ) : (
        <section className="card" aria-labelledby="settlement-title">
          <h2 id="settlement-title">Payment {settlement.reference}</h2>
          <dl className="details-list">
            <dt>Amount</dt>
            <dd>{settlement.amount}</dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={settlement.status} label={settlement.statusLabel} />
              {settlement.failure ? <span className="muted"> {settlement.failure}</span> : null}
            </dd>
            <dt>Method</dt>
            <dd>{settlement.methodLabel ?? <span className="muted">Not chosen yet</span>}</dd>
            <dt>Payee</dt>
            <dd>
              {settlement.payeeName}
              {settlement.payeePhone ? <span className="muted"> · {settlement.payeePhone}</span> : null}
              {settlement.payeeBank ? (
                <span className="muted">
                  {" "}
                  · {settlement.payeeBank} <code>{settlement.payeeAccount}</code>
                </span>
              ) : null}
            </dd>
            {settlement.payout ? (
              <>
                <dt>Attempt</dt>
                <dd>
                  {settlement.attempt} <code className="break">{settlement.providerRef}</code>
                  {settlement.sentAt ? <span className="muted"> · sent {settlement.sentAt}</span> : null}
                </dd>
              </>
            ) : null}
            {settlement.exportedAt ? (
              <>
                <dt>In the bank file</dt>
                <dd>since {settlement.exportedAt}</dd>
              </>
            ) : null}
            <dt>Payment reference</dt>
            <dd className="break">{settlement.receipt ?? <span className="muted">None yet</span>}</dd>
            <dt>Paid</dt>
            <dd>{settlement.paidAt ?? <span className="muted">Not yet</span>}</dd>
          </dl>
          {settlement.hasLetter ? (
            <p>
              <a href={`/account/claims/${claim.id}/letter?letter=settlement`}>Download the settlement letter (PDF)</a>
            </p>
          ) : settlement.status === "paid" ? (
            <p className="muted">The settlement letter is being prepared.</p>
          ) : null}
        </section>
      )}

      {settlement && canSettle && open ? (
        <section className="card stack" aria-labelledby="pay-title">
          <h2 id="pay-title">{settlement.status === "failed" ? "Pay it again" : "Pay the claimant"}</h2>
          <p className="muted">
            Choose one. The claim is settled, and the claimant emailed the settlement letter, once the payment is made.
          </p>
          <PayMpesaForm
            phone={settlement.payeePhone ?? ""}
            unavailable={option("mpesa_b2c")?.unavailable ?? null}
            amount={settlement.amount}
          />
          <PayBankForm payeeName={settlement.payeeName} />
          <RecordManualForm />
          {option("sandbox") && !option("sandbox")!.unavailable ? <SandboxForm amount={settlement.amount} /> : null}
          <ReasonForm
            intent="cancel"
            title="Cancel the settlement"
            help="Nothing will be paid on this claim. Say why: it goes on the timeline."
            button="Cancel settlement"
          />
        </section>
      ) : null}

      {settlement && canSettle && settlement.status === "processing" ? (
        <section className="card stack" aria-labelledby="progress-title">
          <h2 id="progress-title">Payment under way</h2>
          {settlement.method === "bank_transfer" ? (
            <p>
              <a href="/admin/claims/bank-transfers.csv">Download the bank file</a>{" "}
              <span className="muted">
                ({bankQueue} transfer{bankQueue === 1 ? "" : "s"} waiting). When the bank has paid, mark this transfer paid with its
                reference.
              </span>
            </p>
          ) : (
            <p className="muted">
              Sent to {settlement.methodLabel}. Its answer settles the claim by itself; mark it here only after checking the provider&apos;s
              statement.
            </p>
          )}
          <ConfirmForm bank={settlement.method === "bank_transfer"} />
          <ReasonForm
            intent="mark_failed"
            title="Mark it failed"
            help={
              settlement.method === "bank_transfer"
                ? "The bank returned or refused the transfer."
                : "Only once the provider's statement shows it was not paid: it can then be paid again."
            }
            button="Mark failed"
          />
        </section>
      ) : null}

      {settlement ? <Timeline rows={timeline} /> : null}

      {settlement && (events.length || gatewayLog.length) ? (
        <section className="card" aria-labelledby="log-title">
          <h2 id="log-title">Provider exchanges</h2>
          {events.length ? (
            <ul className="activity">
              {events.map((e) => (
                <li key={e.id}>
                  <code className="break">{e.providerEventId}</code> · received {e.receivedAt}
                  {e.deliveries > 1 ? ` · ${e.deliveries} deliveries` : ""} ·{" "}
                  {e.processedAt ? `${e.outcome ?? "processed"} ${e.processedAt}` : <span className="badge badge-pending">Waiting</span>}
                </li>
              ))}
            </ul>
          ) : null}
          <ol className="gateway-log">
            {gatewayLog.map((g) => (
              <li key={g.id}>
                <details>
                  <summary>
                    <strong>{g.kind}</strong> · {g.provider} · <time dateTime={g.atIso}>{g.at}</time>
                    {g.durationMs !== null ? <span className="muted"> · {g.durationMs} ms</span> : null}
                  </summary>
                  {g.request ? <pre className="message-body">{g.request}</pre> : null}
                  {g.response ? <pre className="message-body">{g.response}</pre> : null}
                  {g.rawBody ? <pre className="message-body">{g.rawBody}</pre> : null}
                </details>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}

function useIntentForm<S extends ZodTypeAny>(intent: SettlementIntent, schema: S) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<S>>({
    id: intent,
    lastResult: actionData?.intent === intent ? actionData.reply : undefined,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return { form, fields, busy };
}

function PayMpesaForm({ phone, unavailable, amount }: { phone: string; unavailable: string | null; amount: string }) {
  const { form, fields, busy } = useIntentForm("pay_mpesa", payMpesaSchema);
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>M-Pesa</h3>
      {unavailable ? (
        <p className="muted">{unavailable}</p>
      ) : (
        <>
          <FormErrors errors={form.errors} />
          <Field
            label="M-Pesa number"
            hint="The claimant's number, as on their account."
            defaultValue={phone}
            {...inputProps(fields.phone, { type: "tel" })}
          />
          <div className="actions">
            <Button type="submit" name="intent" value="pay_mpesa" busy={busy}>
              Pay {amount} by M-Pesa
            </Button>
          </div>
        </>
      )}
    </Form>
  );
}

function PayBankForm({ payeeName }: { payeeName: string }) {
  const { form, fields, busy } = useIntentForm("pay_bank", payBankSchema);
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>Bank transfer</h3>
      <FormErrors errors={form.errors} />
      <Field label="Account holder" defaultValue={payeeName} {...inputProps(fields.payeeName, { type: "text" })} />
      <Field label="Bank and branch" {...inputProps(fields.bank, { type: "text" })} />
      <Field
        label="Account number"
        hint="Stored encrypted; only the bank file shows it in full."
        autoComplete="off"
        {...inputProps(fields.account, { type: "text" })}
      />
      <div className="actions">
        <Button type="submit" name="intent" value="pay_bank" variant="secondary" busy={busy}>
          Add to the bank file
        </Button>
      </div>
    </Form>
  );
}

function RecordManualForm() {
  const { form, fields, busy } = useIntentForm("record_manual", recordManualSchema);
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>Paid elsewhere</h3>
      <p className="muted small">A cheque or a transfer made outside Covera: its reference settles the claim now.</p>
      <FormErrors errors={form.errors} />
      <Field label="Cheque number or transfer reference" {...inputProps(fields.reference, { type: "text" })} />
      <TextareaField label="Note (optional)" rows={2} {...textareaProps(fields.note)} />
      <div className="actions">
        <Button type="submit" name="intent" value="record_manual" variant="secondary" busy={busy}>
          Record the payment
        </Button>
      </div>
    </Form>
  );
}

function SandboxForm({ amount }: { amount: string }) {
  const { form, busy } = useIntentForm("pay_sandbox", z.object({}));
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>Sandbox</h3>
      <p className="muted small">Test mode: pays at once, no money moves (an amount ending in .13 is refused, to try the failure).</p>
      <FormErrors errors={form.errors} />
      <div className="actions">
        <Button type="submit" name="intent" value="pay_sandbox" variant="secondary" busy={busy}>
          Pay {amount} (sandbox)
        </Button>
      </div>
    </Form>
  );
}

function ConfirmForm({ bank }: { bank: boolean }) {
  const { form, fields, busy } = useIntentForm("confirm_paid", confirmPaidSchema);
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>Mark it paid</h3>
      <FormErrors errors={form.errors} />
      <Field
        label={bank ? "The bank's reference" : "Receipt on the provider's statement"}
        {...inputProps(fields.reference, { type: "text" })}
      />
      <div className="actions">
        <Button type="submit" name="intent" value="confirm_paid" busy={busy}>
          Mark paid
        </Button>
      </div>
    </Form>
  );
}

function ReasonForm({ intent, title, help, button }: { intent: "cancel" | "mark_failed"; title: string; help: string; button: string }) {
  const { form, fields, busy } = useIntentForm(intent, reasonSchema);
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>{title}</h3>
      <p className="muted small">{help}</p>
      <FormErrors errors={form.errors} />
      <TextareaField label="Reason" rows={2} {...textareaProps(fields.reason)} />
      <div className="actions">
        <Button type="submit" name="intent" value={intent} variant="danger" busy={busy}>
          {button}
        </Button>
      </div>
    </Form>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data ? `Settlement of ${data.claim.number}` : "Settlement");
