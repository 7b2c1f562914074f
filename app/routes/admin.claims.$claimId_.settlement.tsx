import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ZodTypeAny } from "zod";
import { z } from "zod";
import { StatusBadge } from "~/components/admin/status-badge";
import { Timeline, timelineRows } from "~/components/admin/timeline";
import { TextareaField, textareaProps } from "~/components/console/fields";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps, useErrorText } from "~/components/ui/field";
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
import { serverT } from "~/modules/i18n/i18n.server";
import { originOf } from "~/modules/tenancy/resolve.server";

/**
 * /admin/claims/<claimId>/settlement: paying an approved claim (decision 025). Staff with
 * `read:claim:any` see where the payment stands, its timeline and every exchange with the
 * provider; staff with `settle:claim:any` choose how it is paid — M-Pesa, a bank transfer (in the
 * bank file), a payment made elsewhere, or the sandbox — and mark a payment under way paid or failed.
 */

/** The notices a settlement step redirects with (`settlement.notices.<key>` in admin-claims). */
const NOTICES = new Set(["paying", "bank", "recorded", "confirmed", "failed", "cancelled"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:claim:any");
  const claimId = uuidParam(params, "claimId");
  const page = await withTenant(tenant.id, (db) => settlementPage(db, tenant, claimId));
  if (!page) throw new Response("Not found", { status: 404 });
  const when = (value: Date | null) => (value ? formatDateTime(value, tenant.locale, tenant.timeZone) : null);
  const money = (minor: number | null) => (minor === null ? null : formatMoney(minor, page.claim.currency, tenant.locale));
  const s = page.settlement;
  const t = await serverT(tenant.language, "admin-claims");
  return json({
    title: t("settlement.pageTitle", { number: page.claim.claim_number }),
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
          statusLabel: t(`settlement.status.${s.status}`, { defaultValue: SETTLEMENT_STATUS_LABELS[s.status] }),
          amount: money(s.amount_minor)!,
          method: s.method,
          methodLabel: s.method ? t(`settlement.method.${s.method}`, { defaultValue: SETTLEMENT_METHOD_LABELS[s.method] }) : null,
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
  const { t } = useTranslation("admin-claims");
  const errorText = useErrorText();
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/claims">{t("queue.title")}</Link> / <Link to={`/admin/claims/${claim.id}`}>{claim.number}</Link> /{" "}
        {t("settlement.title")}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {t("settlement.title")} {settlement ? <StatusBadge status={settlement.status} label={settlement.statusLabel} /> : null}
          </h1>
          <p className="muted">
            {t("settlement.claimLine", { number: claim.number })} · {claim.claimant} · {claim.product} ({claim.policy})
          </p>
        </div>
      </div>
      {actionData?.message ? <Alert tone="error">{errorText([actionData.message])}</Alert> : null}
      {notice && NOTICES.has(notice) && !actionData ? <Alert tone="success">{t(`settlement.notices.${notice}`)}</Alert> : null}
      {settlement?.attention ? (
        <Alert tone="warning" title={t("settlement.attention")}>
          {settlement.attention}
        </Alert>
      ) : null}

      <section className="card" aria-labelledby="amounts-title">
        <h2 id="amounts-title">{t("workbench.claim")}</h2>
        <dl className="details-list">
          <dt>{t("workbench.claimed")}</dt>
          <dd>{claim.claimed}</dd>
          <dt>{t("decision.approved")}</dt>
          <dd>{claim.approved ?? <span className="muted">{t("settlement.notApproved")}</span>}</dd>
          <dt>{t("workbench.excess")}</dt>
          <dd>{claim.excess ?? <span className="muted">{t("settlement.none")}</span>}</dd>
          <dt>{t("workbench.payable")}</dt>
          <dd>{claim.payable ?? <span className="muted">—</span>}</dd>
          <dt>{t("settlement.claimStatus")}</dt>
          <dd>{t(`status.${claim.status}`)}</dd>
        </dl>
        {claim.hasDecisionLetter ? (
          <p>
            <a href={`/account/claims/${claim.id}/letter?letter=decision`}>{t("settlement.decisionLetter")}</a>
          </p>
        ) : null}
      </section>

      {!settlement ? (
        <Alert tone="info" title={t("settlement.nothingTitle")}>
          {t("settlement.nothing")}
        </Alert>
      ) : (
        <section className="card" aria-labelledby="settlement-title">
          <h2 id="settlement-title">{t("settlement.payment", { reference: settlement.reference })}</h2>
          <dl className="details-list">
            <dt>{t("settlement.amount")}</dt>
            <dd>{settlement.amount}</dd>
            <dt>{t("queue.status")}</dt>
            <dd>
              <StatusBadge status={settlement.status} label={settlement.statusLabel} />
              {settlement.failure ? <span className="muted"> {settlement.failure}</span> : null}
            </dd>
            <dt>{t("settlement.methodLabel")}</dt>
            <dd>{settlement.methodLabel ?? <span className="muted">{t("settlement.notChosen")}</span>}</dd>
            <dt>{t("settlement.payee")}</dt>
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
                <dt>{t("settlement.attempt")}</dt>
                <dd>
                  {settlement.attempt} <code className="break">{settlement.providerRef}</code>
                  {settlement.sentAt ? <span className="muted"> · {t("settlement.sent", { date: settlement.sentAt })}</span> : null}
                </dd>
              </>
            ) : null}
            {settlement.exportedAt ? (
              <>
                <dt>{t("settlement.inBankFile")}</dt>
                <dd>{t("settlement.since", { date: settlement.exportedAt })}</dd>
              </>
            ) : null}
            <dt>{t("settlement.paymentReference")}</dt>
            <dd className="break">{settlement.receipt ?? <span className="muted">{t("settlement.noneYet")}</span>}</dd>
            <dt>{t("settlement.paid")}</dt>
            <dd>{settlement.paidAt ?? <span className="muted">{t("settlement.notYet")}</span>}</dd>
          </dl>
          {settlement.hasLetter ? (
            <p>
              <a href={`/account/claims/${claim.id}/letter?letter=settlement`}>{t("settlement.settlementLetter")}</a>
            </p>
          ) : settlement.status === "paid" ? (
            <p className="muted">{t("settlement.letterPreparing")}</p>
          ) : null}
        </section>
      )}

      {settlement && canSettle && open ? (
        <section className="card stack" aria-labelledby="pay-title">
          <h2 id="pay-title">{settlement.status === "failed" ? t("settlement.payAgain") : t("settlement.payClaimant")}</h2>
          <p className="muted">{t("settlement.chooseOne")}</p>
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
            title={t("settlement.cancelTitle")}
            help={t("settlement.cancelHelp")}
            button={t("settlement.cancelButton")}
          />
        </section>
      ) : null}

      {settlement && canSettle && settlement.status === "processing" ? (
        <section className="card stack" aria-labelledby="progress-title">
          <h2 id="progress-title">{t("settlement.underWay")}</h2>
          {settlement.method === "bank_transfer" ? (
            <p>
              <a href="/admin/claims/bank-transfers.csv">{t("settlement.bankFile")}</a>{" "}
              <span className="muted">
                {t("settlement.transfersWaiting", { count: bankQueue })} {t("settlement.whenBankPaid")}
              </span>
            </p>
          ) : (
            <p className="muted">{t("settlement.sentTo", { method: settlement.methodLabel })}</p>
          )}
          <ConfirmForm bank={settlement.method === "bank_transfer"} />
          <ReasonForm
            intent="mark_failed"
            title={t("settlement.failTitle")}
            help={settlement.method === "bank_transfer" ? t("settlement.failHelpBank") : t("settlement.failHelp")}
            button={t("settlement.failButton")}
          />
        </section>
      ) : null}

      {settlement ? <Timeline rows={timeline} /> : null}

      {settlement && (events.length || gatewayLog.length) ? (
        <section className="card" aria-labelledby="log-title">
          <h2 id="log-title">{t("settlement.exchanges")}</h2>
          {events.length ? (
            <ul className="activity">
              {events.map((e) => (
                <li key={e.id}>
                  <code className="break">{e.providerEventId}</code> · {t("settlement.received", { date: e.receivedAt })}
                  {e.deliveries > 1 ? ` · ${t("settlement.deliveries", { count: e.deliveries })}` : ""} ·{" "}
                  {e.processedAt ? (
                    `${e.outcome ?? t("settlement.processed")} ${e.processedAt}`
                  ) : (
                    <span className="badge badge-pending">{t("settlement.waiting")}</span>
                  )}
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
                    {g.durationMs !== null ? <span className="muted"> · {t("settlement.duration", { ms: g.durationMs })}</span> : null}
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
  const { t } = useTranslation("admin-claims");
  const errorText = useErrorText();
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>M-Pesa</h3>
      {unavailable ? (
        <p className="muted">{errorText([unavailable])}</p>
      ) : (
        <>
          <FormErrors errors={form.errors} />
          <Field
            label={t("settlement.mpesaNumber")}
            hint={t("settlement.mpesaHint")}
            defaultValue={phone}
            {...inputProps(fields.phone, { type: "tel" })}
          />
          <div className="actions">
            <Button type="submit" name="intent" value="pay_mpesa" busy={busy}>
              {t("settlement.payMpesa", { amount })}
            </Button>
          </div>
        </>
      )}
    </Form>
  );
}

function PayBankForm({ payeeName }: { payeeName: string }) {
  const { form, fields, busy } = useIntentForm("pay_bank", payBankSchema);
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>{t("settlement.method.bank_transfer")}</h3>
      <FormErrors errors={form.errors} />
      <Field label={t("settlement.accountHolder")} defaultValue={payeeName} {...inputProps(fields.payeeName, { type: "text" })} />
      <Field label={t("settlement.bankBranch")} {...inputProps(fields.bank, { type: "text" })} />
      <Field
        label={t("settlement.accountNumber")}
        hint={t("settlement.accountHint")}
        autoComplete="off"
        {...inputProps(fields.account, { type: "text" })}
      />
      <div className="actions">
        <Button type="submit" name="intent" value="pay_bank" variant="secondary" busy={busy}>
          {t("settlement.addToBankFile")}
        </Button>
      </div>
    </Form>
  );
}

function RecordManualForm() {
  const { form, fields, busy } = useIntentForm("record_manual", recordManualSchema);
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>{t("settlement.paidElsewhere")}</h3>
      <p className="muted small">{t("settlement.paidElsewhereHint")}</p>
      <FormErrors errors={form.errors} />
      <Field label={t("settlement.chequeReference")} {...inputProps(fields.reference, { type: "text" })} />
      <TextareaField label={t("settlement.noteOptional")} rows={2} {...textareaProps(fields.note)} />
      <div className="actions">
        <Button type="submit" name="intent" value="record_manual" variant="secondary" busy={busy}>
          {t("settlement.record")}
        </Button>
      </div>
    </Form>
  );
}

function SandboxForm({ amount }: { amount: string }) {
  const { form, busy } = useIntentForm("pay_sandbox", z.object({}));
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>{t("settlement.method.sandbox")}</h3>
      <p className="muted small">{t("settlement.sandboxHint")}</p>
      <FormErrors errors={form.errors} />
      <div className="actions">
        <Button type="submit" name="intent" value="pay_sandbox" variant="secondary" busy={busy}>
          {t("settlement.paySandbox", { amount })}
        </Button>
      </div>
    </Form>
  );
}

function ConfirmForm({ bank }: { bank: boolean }) {
  const { form, fields, busy } = useIntentForm("confirm_paid", confirmPaidSchema);
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>{t("settlement.markPaidTitle")}</h3>
      <FormErrors errors={form.errors} />
      <Field
        label={bank ? t("settlement.bankReference") : t("settlement.providerReceipt")}
        {...inputProps(fields.reference, { type: "text" })}
      />
      <div className="actions">
        <Button type="submit" name="intent" value="confirm_paid" busy={busy}>
          {t("settlement.markPaid")}
        </Button>
      </div>
    </Form>
  );
}

function ReasonForm({ intent, title, help, button }: { intent: "cancel" | "mark_failed"; title: string; help: string; button: string }) {
  const { form, fields, busy } = useIntentForm(intent, reasonSchema);
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>{title}</h3>
      <p className="muted small">{help}</p>
      <FormErrors errors={form.errors} />
      <TextareaField label={t("settlement.reason")} rows={2} {...textareaProps(fields.reason)} />
      <div className="actions">
        <Button type="submit" name="intent" value={intent} variant="danger" busy={busy}>
          {button}
        </Button>
      </div>
    </Form>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Settlement");
