import { Timeline, timelineRows } from "~/components/admin/timeline";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { StatusBadge } from "~/components/admin/status-badge";
import { TextareaField, textareaProps } from "~/components/console/fields";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { serverT } from "~/modules/i18n/i18n.server";
import {
  checkRefund,
  getTransactionDetail,
  prettyJson,
  refundTransaction,
  retryTransactionIssuance,
} from "~/modules/payments/transaction-detail.server";
import { chargebackReasonLabel } from "~/modules/payments/transactions-admin.server";
import { refundFormSchema } from "~/modules/payments/admin-forms";

const intentSchema = z.enum(["review-refund", "edit-refund", "confirm-refund", "retry-issuance"]);

const NOTICES = ["refund_requested", "refund_recorded", "issuance_retried"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:transaction:any");
  const id = uuidParam(params, "transactionId");
  const detail = await withTenant(tenant.id, (db) => getTransactionDetail(db, id));
  if (!detail) throw new Response("Not found", { status: 404 });
  const money = (minor: number) => formatMoney(minor, detail.currency, tenant.locale);
  const when = (value: Date | null) => (value ? formatDateTime(value, tenant.locale, tenant.timeZone) : null);
  const canRefund = can(user.roles, "refund:transaction:any");
  const t = await serverT(tenant.language, "admin-payments");
  return json({
    title: t("transaction.title", { name: detail.orderReference ?? money(detail.amountMinor) }),
    canRefund,
    canRetry: can(user.roles, "retry:issuance:any"),
    canSeeUsers: can(user.roles, "read:user:any"),
    tx: {
      id: detail.id,
      status: detail.status,
      statusLabel: t(`transactionStatus.${detail.status}`),
      amount: money(detail.amountMinor),
      refunded: detail.refundedMinor > 0 ? money(detail.refundedMinor) : null,
      refundable: detail.refundableMinor > 0 ? money(detail.refundableMinor) : null,
      inFlight: detail.refundsInFlightMinor > 0 ? money(detail.refundsInFlightMinor) : null,
      currency: detail.currency,
      method: t(`method.${detail.method}`),
      provider: t(`provider.${detail.provider}`),
      // Collected by an agent (cash, bank-in): a refund is recorded by staff, never sent to a provider.
      offline: detail.provider === "offline",
      live: detail.mode === "live",
      providerRef: detail.providerRef,
      providerReceipt: detail.providerReceipt,
      conversion: conversionOf(detail.providerDetails),
      phoneMasked: detail.phoneMasked,
      failureCode: detail.failureCode,
      failureMessage: detail.failureMessage,
      createdAt: when(detail.createdAt)!,
      completedAt: when(detail.completedAt),
      customer: { id: detail.userId, name: detail.customerName, email: detail.customerEmail },
      order: detail.orderReference
        ? { reference: detail.orderReference, status: detail.orderStatus, paidAt: when(detail.orderPaidAt) }
        : null,
      instalmentSequence: detail.instalmentSequence,
      itemCount: detail.itemCount,
      issuanceIncomplete: detail.issuanceIncomplete,
      receipt: detail.receipt,
      policies: detail.policies.map((p) => ({
        id: p.id,
        number: p.policyNumber,
        product: p.productName,
        status: p.status,
        statusLabel: t(`policyStatus.${p.status}`, { defaultValue: p.status }),
        hasCertificate: p.hasCertificate,
      })),
      refunds: detail.refunds.map((r) => ({
        id: r.id,
        amount: money(r.amountMinor),
        reason: r.reason,
        status: r.status,
        statusLabel: t(`refundStatus.${r.status}`),
        providerRef: r.providerRefundRef,
        failureMessage: r.failureMessage,
        requestedBy: r.requestedBy ?? (r.policyNumber ? t("transaction.underwritingDecline") : "—"),
        policyNumber: r.policyNumber,
        at: when(r.createdAt)!,
        completedAt: when(r.completedAt),
      })),
      chargebacks: detail.chargebacks.map((c) => ({
        id: c.id,
        ref: c.providerDisputeRef,
        status: c.status,
        statusLabel: t(`chargebackStatus.${c.status}`),
        // The provider's own words, when they say more than our status does.
        providerStatus: c.providerStatus && c.providerStatus !== c.status ? c.providerStatus.replace(/_/g, " ") : null,
        amount: formatMoney(c.amountMinor, c.currency, tenant.locale),
        reason: chargebackReasonLabel(c.reason),
        openedAt: when(c.openedAt)!,
        respondBy: c.status === "open" ? when(c.respondBy) : null,
        closedAt: when(c.closedAt),
      })),
      timeline: timelineRows(detail.timeline, (at) => when(at)!),
      events: detail.events.map((e) => ({
        id: e.id,
        providerEventId: e.providerEventId,
        kind: e.kind,
        deliveries: e.deliveries,
        receivedAt: when(e.receivedAt)!,
        processedAt: when(e.processedAt),
        outcome: e.outcome,
      })),
      gatewayLog: detail.gatewayLog.map((g) => ({
        id: g.id,
        kind: g.kind,
        provider: g.provider,
        at: when(g.createdAt)!,
        atIso: g.createdAt.toISOString(),
        durationMs: g.durationMs,
        request: prettyJson(g.request),
        response: prettyJson(g.response),
        rawBody: g.rawBody,
      })),
    },
  });
}

type ActionResult =
  | { form: "refund"; reply: SubmissionResult<string[]>; confirm: null }
  | { form: "refund"; reply: null; confirm: { amount: string; amountText: string; reason: string } }
  | { form: "retry"; message: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const id = uuidParam(params, "transactionId");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  const { tenant, user } = await requirePermission(
    request,
    intent.success && intent.data === "retry-issuance" ? "retry:issuance:any" : "refund:transaction:any",
  );
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const here = `/admin/transactions/${id}`;

  if (intent.data === "retry-issuance") {
    const result = await withTenant(tenant.id, (db) => retryTransactionIssuance(db, tenant.id, id, actor));
    if (!result.ok && result.notFound) throw new Response("Not found", { status: 404 });
    if (!result.ok) return json<ActionResult>({ form: "retry", message: result.message }, { status: 400 });
    return redirect(`${here}?notice=issuance_retried`);
  }

  const submission = parseWithZod(formData, { schema: refundFormSchema });
  if (submission.status !== "success")
    return json<ActionResult>({ form: "refund", reply: submission.reply(), confirm: null }, { status: 400 });
  const input = { amount: submission.value.amount, reason: submission.value.reason };

  // Back from the confirmation to the form, with what was typed.
  if (intent.data === "edit-refund") return json<ActionResult>({ form: "refund", reply: submission.reply(), confirm: null });

  if (intent.data === "review-refund") {
    // The confirmation step: nothing moves until the same amount and reason are posted again.
    const check = await withTenant(tenant.id, (db) => checkRefund(db, id, input, tenant.locale));
    if (!check.ok && check.notFound) throw new Response("Not found", { status: 404 });
    if (!check.ok)
      return json<ActionResult>({ form: "refund", reply: submission.reply(replyErrors(check.errors)), confirm: null }, { status: 400 });
    return json<ActionResult>({
      form: "refund",
      reply: null,
      confirm: {
        amount: formatMoney(check.amountMinor, check.detail.currency, tenant.locale),
        amountText: input.amount ?? "",
        reason: check.reason,
      },
    });
  }

  const result = await withTenant(tenant.id, (db) => refundTransaction(db, tenant, id, input, actor));
  if (!result.ok && result.notFound) throw new Response("Not found", { status: 404 });
  if (!result.ok)
    return json<ActionResult>({ form: "refund", reply: submission.reply(replyErrors(result.errors)), confirm: null }, { status: 400 });
  return redirect(`${here}?notice=${result.offline ? "refund_recorded" : "refund_requested"}`);
}

export default function AdminTransaction() {
  const { tx, canRefund, canRetry, canSeeUsers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.get("notice");
  const { t } = useTranslation("admin-payments");
  const errorText = useErrorText();
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/transactions">{t("transactions.title")}</Link> / {tx.order?.reference ?? tx.providerRef ?? tx.id}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {tx.amount} <StatusBadge status={tx.status} label={tx.statusLabel} />
          </h1>
          <p className="muted">
            {t("transaction.methodVia", { method: tx.method, provider: tx.provider })} ·{" "}
            {tx.live ? t("transaction.live") : <span className="badge">{t("transaction.testMode")}</span>} ·{" "}
            {t("transaction.started", { at: tx.createdAt })}
          </p>
        </div>
      </div>
      {notice && NOTICES.includes(notice) ? <Alert tone="success">{t(`transaction.notice.${notice}`)}</Alert> : null}

      <section className="card" aria-labelledby="payment-title">
        <h2 id="payment-title">{t("transaction.payment")}</h2>
        <dl className="details-list">
          <dt>{t("transaction.amount")}</dt>
          <dd>{tx.amount}</dd>
          <dt>{t("transaction.refunded")}</dt>
          <dd>
            {tx.refunded ?? t("transaction.nothing")}
            {tx.inFlight ? <span className="muted"> · {t("transaction.beingRefunded", { amount: tx.inFlight })}</span> : null}
          </dd>
          <dt>{t("transaction.status")}</dt>
          <dd>
            <StatusBadge status={tx.status} label={tx.statusLabel} />
            {tx.failureMessage ? (
              <span className="muted">
                {" "}
                {tx.failureMessage}
                {tx.failureCode ? ` (${tx.failureCode})` : ""}
              </span>
            ) : null}
          </dd>
          <dt>{t("transaction.completed")}</dt>
          <dd>{tx.completedAt ?? <span className="muted">{t("transaction.notCompleted")}</span>}</dd>
          <dt>{t("transaction.providerReference")}</dt>
          <dd className="break">{tx.providerRef ?? <span className="muted">{t("transaction.noneYet")}</span>}</dd>
          <dt>{t("transaction.providerReceipt")}</dt>
          <dd className="break">{tx.providerReceipt ?? <span className="muted">{t("transaction.none")}</span>}</dd>
          {tx.conversion ? (
            <>
              <dt>{t("transaction.conversion")}</dt>
              <dd>{t("transaction.conversionText", tx.conversion)}</dd>
            </>
          ) : null}
          {tx.phoneMasked ? (
            <>
              <dt>{t("transaction.payingPhone")}</dt>
              <dd>{tx.phoneMasked}</dd>
            </>
          ) : null}
          <dt>{t("transaction.customer")}</dt>
          <dd className="break">
            {canSeeUsers ? <Link to={`/admin/users/${tx.customer.id}`}>{tx.customer.name}</Link> : tx.customer.name}{" "}
            <span className="muted">{tx.customer.email}</span>
          </dd>
          <dt>{t("transaction.order")}</dt>
          <dd>
            {tx.order ? (
              <>
                <Link to={`/admin/policies?q=${encodeURIComponent(tx.order.reference)}`}>{tx.order.reference}</Link>{" "}
                <span className="muted">
                  {tx.order.status === "paid" ? t("transaction.orderPaid", { at: tx.order.paidAt ?? "" }) : tx.order.status}
                  {tx.instalmentSequence ? ` · ${t("transaction.instalment", { sequence: tx.instalmentSequence })}` : ""}
                </span>{" "}
                · <Link to={`/admin/transactions?q=${encodeURIComponent(tx.order.reference)}`}>{t("transaction.everyPayment")}</Link>
              </>
            ) : (
              <span className="muted">{t("transaction.none")}</span>
            )}
          </dd>
          <dt>{t("transaction.receipt")}</dt>
          <dd>
            {tx.receipt ? (
              <>
                {tx.receipt.number} {tx.receipt.hasFile ? null : <span className="badge badge-pending">{t("transaction.pdfNotYet")}</span>}
              </>
            ) : (
              <span className="muted">{t("transaction.none")}</span>
            )}
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="policies-title">
        <h2 id="policies-title">{t("transaction.policiesTitle")}</h2>
        {tx.policies.length === 0 ? (
          <p className="muted">
            {tx.order
              ? tx.itemCount
                ? t("transaction.noPolicyItems", { count: tx.itemCount })
                : t("transaction.noPolicy")
              : t("transaction.notForOrder")}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("transaction.policy")}</th>
                  <th scope="col">{t("transaction.product")}</th>
                  <th scope="col">{t("transaction.status")}</th>
                  <th scope="col">{t("transaction.certificate")}</th>
                </tr>
              </thead>
              <tbody>
                {tx.policies.map((p) => (
                  <tr key={p.id}>
                    <td data-label={t("transaction.policy")}>
                      {p.status === "pending_underwriting" ? (
                        <Link to={`/admin/underwriting/${p.id}`}>{p.number ?? t("policyStatus.pending_underwriting")}</Link>
                      ) : (
                        <span className="break">{p.number ?? <span className="muted">{t("transaction.notNumbered")}</span>}</span>
                      )}
                    </td>
                    <td data-label={t("transaction.product")}>{p.product}</td>
                    <td data-label="Status">
                      <StatusBadge status={p.status} label={p.statusLabel} />
                    </td>
                    <td data-label={t("transaction.certificate")}>
                      {p.hasCertificate ? t("transaction.generated") : <span className="muted">{t("transaction.notGenerated")}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {tx.issuanceIncomplete ? (
          <div className="stack">
            <Alert tone="warning" title={t("transaction.incompleteTitle")}>
              {tx.policies.length < tx.itemCount
                ? t("transaction.incompletePolicies", { total: tx.itemCount, issued: tx.policies.length })
                : t("transaction.incompleteDocuments")}
            </Alert>
            {canRetry ? <RetryForm /> : <p className="muted">{t("transaction.adminCanRetry")}</p>}
          </div>
        ) : null}
        {actionData && "message" in actionData ? <Alert tone="error">{errorText([actionData.message])}</Alert> : null}
      </section>

      <section className="card" aria-labelledby="refunds-title">
        <h2 id="refunds-title">{t("transaction.refunds")}</h2>
        {tx.refunds.length === 0 ? (
          <p className="muted">{t("transaction.noRefund")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("transaction.requested")}</th>
                  <th scope="col">{t("transaction.amount")}</th>
                  <th scope="col">{t("transaction.reason")}</th>
                  <th scope="col">{t("transaction.by")}</th>
                  <th scope="col">{t("transaction.status")}</th>
                </tr>
              </thead>
              <tbody>
                {tx.refunds.map((r) => (
                  <tr key={r.id}>
                    <td data-label={t("transaction.requested")}>{r.at}</td>
                    <td data-label={t("transaction.amount")}>{r.amount}</td>
                    <td data-label={t("transaction.reason")}>
                      <span className="break">
                        {r.reason}
                        {r.policyNumber ? (
                          <span className="muted"> {t("transaction.policyNumber", { number: r.policyNumber })}</span>
                        ) : null}
                      </span>
                    </td>
                    <td data-label={t("transaction.by")}>{r.requestedBy}</td>
                    <td data-label="Status">
                      <span>
                        <StatusBadge status={r.status} label={r.statusLabel} />
                        {r.failureMessage ? <span className="muted small"> {r.failureMessage}</span> : null}
                        {r.providerRef ? <span className="muted small"> {r.providerRef}</span> : null}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canRefund && tx.refundable ? (
          <RefundForm
            refundable={tx.refundable}
            currency={tx.currency}
            method={tx.method}
            customer={tx.customer.name}
            offline={tx.offline}
          />
        ) : canRefund ? (
          <RefusedRefund />
        ) : tx.refundable ? (
          <p className="muted">{t("transaction.adminCanRefund")}</p>
        ) : null}
      </section>

      {tx.chargebacks.length > 0 ? (
        <section className="card" aria-labelledby="chargebacks-title">
          <h2 id="chargebacks-title">{t("chargebacks.title")}</h2>
          <p className="muted">{t("transaction.chargebacksIntro", { provider: tx.provider })}</p>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("chargebacks.opened")}</th>
                  <th scope="col">{t("transaction.amount")}</th>
                  <th scope="col">{t("transaction.reason")}</th>
                  <th scope="col">{t("transaction.status")}</th>
                  <th scope="col">{t("chargebacks.decided")}</th>
                </tr>
              </thead>
              <tbody>
                {tx.chargebacks.map((c) => (
                  <tr key={c.id}>
                    <td data-label={t("chargebacks.opened")}>
                      <span>
                        {c.openedAt}
                        <br />
                        <code className="muted small break">{c.ref}</code>
                      </span>
                    </td>
                    <td data-label={t("transaction.amount")}>{c.amount}</td>
                    <td data-label={t("transaction.reason")}>
                      <span className="break">{c.reason ?? <span className="muted">{t("chargebacks.notGiven")}</span>}</span>
                    </td>
                    <td data-label="Status">
                      <span>
                        <StatusBadge status={c.status} label={c.statusLabel} />
                        {c.providerStatus ? <span className="muted small"> {c.providerStatus}</span> : null}
                      </span>
                    </td>
                    <td data-label={t("chargebacks.decided")}>
                      {c.closedAt ??
                        (c.respondBy ? (
                          <span className="muted">{t("transaction.answerBy", { at: c.respondBy })}</span>
                        ) : (
                          <span className="muted">{t("chargebacks.notYet")}</span>
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <Timeline rows={tx.timeline} />

      <section className="card" aria-labelledby="events-title">
        <h2 id="events-title">{t("transaction.events")}</h2>
        {tx.events.length === 0 ? (
          <p className="muted">{t("transaction.noEvents")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("transaction.event")}</th>
                  <th scope="col">{t("transaction.kind")}</th>
                  <th scope="col">{t("transaction.deliveries")}</th>
                  <th scope="col">{t("transaction.received")}</th>
                  <th scope="col">{t("transaction.processed")}</th>
                </tr>
              </thead>
              <tbody>
                {tx.events.map((e) => (
                  <tr key={e.id}>
                    <td data-label={t("transaction.event")}>
                      <code className="break">{e.providerEventId}</code>
                    </td>
                    <td data-label={t("transaction.kind")}>{e.kind}</td>
                    <td data-label={t("transaction.deliveries")}>{e.deliveries}</td>
                    <td data-label={t("transaction.received")}>{e.receivedAt}</td>
                    <td data-label={t("transaction.processed")}>
                      {e.processedAt ? (
                        <span>
                          {e.processedAt}
                          {e.outcome ? <span className="muted"> — {e.outcome}</span> : null}
                        </span>
                      ) : (
                        <span className="badge badge-pending">{t("transaction.waiting")}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="log-title">
        <h2 id="log-title">{t("transaction.gatewayLog")}</h2>
        <p className="muted">{t("transaction.gatewayLogIntro", { provider: tx.provider })}</p>
        {tx.gatewayLog.length === 0 ? (
          <p className="muted">{t("transaction.noGatewayLog")}</p>
        ) : (
          <ol className="gateway-log">
            {tx.gatewayLog.map((g) => (
              <li key={g.id}>
                <details>
                  <summary>
                    <strong>{g.kind}</strong> · <time dateTime={g.atIso}>{g.at}</time>
                    {g.durationMs !== null ? <span className="muted"> · {t("transaction.durationMs", { ms: g.durationMs })}</span> : null}
                  </summary>
                  {g.request ? (
                    <>
                      <h3 className="small">{t("transaction.request")}</h3>
                      <pre className="message-body">{g.request}</pre>
                    </>
                  ) : null}
                  {g.response ? (
                    <>
                      <h3 className="small">{t("transaction.response")}</h3>
                      <pre className="message-body">{g.response}</pre>
                    </>
                  ) : null}
                  {g.rawBody ? (
                    <>
                      <h3 className="small">{t("transaction.rawBody")}</h3>
                      <pre className="message-body">{g.rawBody}</pre>
                    </>
                  ) : null}
                </details>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

/** A refund posted for a payment that cannot be refunded (any more): the reason, without a form. */
function RefusedRefund() {
  const actionData = useActionData<typeof action>();
  const reply = actionData && "form" in actionData && actionData.form === "refund" ? actionData.reply : null;
  const errors = reply?.error ? Object.values(reply.error).flatMap((messages) => messages ?? []) : [];
  return <FormErrors errors={errors} />;
}

function RetryForm() {
  const navigation = useNavigation();
  const { t } = useTranslation("admin-payments");
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "retry-issuance";
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="intent" value="retry-issuance" />
      <Button type="submit" busy={busy}>
        {t("transaction.retry")}
      </Button>
      <span className="muted small">{t("transaction.retryHint")}</span>
    </Form>
  );
}

function RefundForm({
  refundable,
  currency,
  method,
  customer,
  offline,
}: {
  refundable: string;
  currency: string;
  method: string;
  customer: string;
  offline: boolean;
}) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("admin-payments");
  const refundData = actionData && "form" in actionData && actionData.form === "refund" ? actionData : null;
  const confirm = refundData?.confirm ?? null;
  const [form, fields] = useForm({
    id: "refund",
    lastResult: refundData?.reply ?? undefined,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: refundFormSchema }),
  });
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  if (confirm) {
    return (
      <div className="card danger-zone" role="region" aria-labelledby="confirm-refund-title">
        <h3 id="confirm-refund-title">{t("refund.confirmTitle", { amount: confirm.amount, customer })}</h3>
        {offline ? (
          <>
            <p>
              {t("refund.offline", { method: method.toLowerCase() })} {t("refund.reason")} <strong>{confirm.reason}</strong>
            </p>
            <p className="muted">{t("refund.offlineFinal")}</p>
          </>
        ) : (
          <>
            <p>
              {t("refund.through", { method })} {t("refund.reason")} <strong>{confirm.reason}</strong>
            </p>
            <p className="muted">{t("refund.final")}</p>
          </>
        )}
        <Form method="post" className="actions">
          <input type="hidden" name="amount" value={confirm.amountText} />
          <input type="hidden" name="reason" value={confirm.reason} />
          <Button type="submit" name="intent" value="confirm-refund" variant="danger" busy={busy("confirm-refund")}>
            {t("refund.confirm", { amount: confirm.amount })}
          </Button>
          <Button type="submit" name="intent" value="edit-refund" variant="secondary">
            {t("refund.change")}
          </Button>
        </Form>
      </div>
    );
  }

  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>{t("refund.title")}</h3>
      <p className="muted">{t("refund.upTo", { amount: refundable })}</p>
      <FormErrors errors={form.errors} />
      <Field
        label={t("refund.amount", { currency })}
        hint={t("refund.amountHint", { currency })}
        inputMode="decimal"
        autoComplete="off"
        {...inputProps(fields.amount, { type: "text" })}
      />
      <TextareaField label={t("refund.reasonLabel")} hint={t("refund.reasonHint")} rows={2} {...textareaProps(fields.reason)} />
      <div className="actions">
        <Button type="submit" name="intent" value="review-refund" variant="secondary" busy={busy("review-refund")}>
          {t("refund.review")}
        </Button>
      </div>
    </Form>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Transaction");

/** A provider's currency conversion (PayPal: rate and received amount), when it reported one. */
function conversionOf(details: Record<string, string> | null) {
  if (!details?.exchangeRate || !details.receivedAmount) return null;
  return {
    rate: details.exchangeRate,
    from: details.sourceCurrency ?? "",
    to: details.targetCurrency ?? details.receivedCurrency ?? "",
    received: `${details.receivedAmount} ${details.receivedCurrency ?? ""}`.trim(),
  };
}
