// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Timeline, timelineRows } from "~/components/admin/timeline";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { StatusBadge } from "~/components/admin/status-badge";
import { TextareaField, textareaProps } from "~/components/console/fields";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import {
  checkRefund,
  getTransactionDetail,
  prettyJson,
  refundTransaction,
  retryTransactionIssuance,
} from "~/modules/payments/transaction-detail.server";
import {
  CHARGEBACK_STATUS_LABELS,
  chargebackReasonLabel,
  METHOD_LABELS,
  PROVIDER_LABELS,
  TRANSACTION_STATUS_LABELS,
} from "~/modules/payments/transactions-admin.server";
import { POLICY_STATUS_LABELS } from "~/modules/policies/admin.server";
import { refundFormSchema } from "~/modules/payments/admin-forms";

const intentSchema = z.enum(["review-refund", "edit-refund", "confirm-refund", "retry-issuance"]);

const NOTICES = {
  refund_requested: "Refund requested. The provider confirms it shortly; its status is listed under Refunds.",
  refund_recorded:
    "Refund recorded. This payment was collected offline: no provider was asked, so return the money to the customer yourself.",
  issuance_retried: "Issuance started again. Missing policies and documents appear here within a minute.",
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:transaction:any");
  const id = uuidParam(params, "transactionId");
  const detail = await withTenant(tenant.id, (db) => getTransactionDetail(db, id));
  if (!detail) throw new Response("Not found", { status: 404 });
  const money = (minor: number) => formatMoney(minor, detail.currency, tenant.locale);
  const when = (value: Date | null) => (value ? formatDateTime(value, tenant.locale, tenant.timeZone) : null);
  const canRefund = can(user.roles, "refund:transaction:any");
  return json({
    canRefund,
    canRetry: can(user.roles, "retry:issuance:any"),
    canSeeUsers: can(user.roles, "read:user:any"),
    tx: {
      id: detail.id,
      status: detail.status,
      statusLabel: TRANSACTION_STATUS_LABELS[detail.status],
      amount: money(detail.amountMinor),
      refunded: detail.refundedMinor > 0 ? money(detail.refundedMinor) : null,
      refundable: detail.refundableMinor > 0 ? money(detail.refundableMinor) : null,
      inFlight: detail.refundsInFlightMinor > 0 ? money(detail.refundsInFlightMinor) : null,
      currency: detail.currency,
      method: METHOD_LABELS[detail.method],
      provider: PROVIDER_LABELS[detail.provider],
      // Collected by an agent (cash, bank-in): a refund is recorded by staff, never sent to a provider.
      offline: detail.provider === "offline",
      live: detail.mode === "live",
      providerRef: detail.providerRef,
      providerReceipt: detail.providerReceipt,
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
        statusLabel: POLICY_STATUS_LABELS[p.status as keyof typeof POLICY_STATUS_LABELS] ?? p.status,
        hasCertificate: p.hasCertificate,
      })),
      refunds: detail.refunds.map((r) => ({
        id: r.id,
        amount: money(r.amountMinor),
        reason: r.reason,
        status: r.status,
        providerRef: r.providerRefundRef,
        failureMessage: r.failureMessage,
        requestedBy: r.requestedBy ?? (r.policyNumber ? "Underwriting decline" : "—"),
        policyNumber: r.policyNumber,
        at: when(r.createdAt)!,
        completedAt: when(r.completedAt),
      })),
      chargebacks: detail.chargebacks.map((c) => ({
        id: c.id,
        ref: c.providerDisputeRef,
        status: c.status,
        statusLabel: CHARGEBACK_STATUS_LABELS[c.status],
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
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/transactions">Transactions</Link> / {tx.order?.reference ?? tx.providerRef ?? tx.id}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {tx.amount} <StatusBadge status={tx.status} label={tx.statusLabel} />
          </h1>
          <p className="muted">
            {tx.method} via {tx.provider} · {tx.live ? "live" : <span className="badge">Test mode</span>} · started {tx.createdAt}
          </p>
        </div>
      </div>
      {notice && notice in NOTICES ? <Alert tone="success">{NOTICES[notice as keyof typeof NOTICES]}</Alert> : null}

      <section className="card" aria-labelledby="payment-title">
        <h2 id="payment-title">Payment</h2>
        <dl className="details-list">
          <dt>Amount</dt>
          <dd>{tx.amount}</dd>
          <dt>Refunded</dt>
          <dd>
            {tx.refunded ?? "Nothing"}
            {tx.inFlight ? <span className="muted"> · {tx.inFlight} being refunded</span> : null}
          </dd>
          <dt>Status</dt>
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
          <dt>Completed</dt>
          <dd>{tx.completedAt ?? <span className="muted">Not completed</span>}</dd>
          <dt>Provider reference</dt>
          <dd className="break">{tx.providerRef ?? <span className="muted">None yet</span>}</dd>
          <dt>Provider receipt</dt>
          <dd className="break">{tx.providerReceipt ?? <span className="muted">None</span>}</dd>
          {tx.phoneMasked ? (
            <>
              <dt>Paying phone</dt>
              <dd>{tx.phoneMasked}</dd>
            </>
          ) : null}
          <dt>Customer</dt>
          <dd className="break">
            {canSeeUsers ? <Link to={`/admin/users/${tx.customer.id}`}>{tx.customer.name}</Link> : tx.customer.name}{" "}
            <span className="muted">{tx.customer.email}</span>
          </dd>
          <dt>Order</dt>
          <dd>
            {tx.order ? (
              <>
                <Link to={`/admin/policies?q=${encodeURIComponent(tx.order.reference)}`}>{tx.order.reference}</Link>{" "}
                <span className="muted">
                  {tx.order.status === "paid" ? `paid ${tx.order.paidAt ?? ""}` : tx.order.status}
                  {tx.instalmentSequence ? ` · instalment ${tx.instalmentSequence}` : ""}
                </span>{" "}
                · <Link to={`/admin/transactions?q=${encodeURIComponent(tx.order.reference)}`}>every payment of this order</Link>
              </>
            ) : (
              <span className="muted">None</span>
            )}
          </dd>
          <dt>Receipt</dt>
          <dd>
            {tx.receipt ? (
              <>
                {tx.receipt.number} {tx.receipt.hasFile ? null : <span className="badge badge-pending">PDF not generated yet</span>}
              </>
            ) : (
              <span className="muted">None</span>
            )}
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="policies-title">
        <h2 id="policies-title">Policies of the order</h2>
        {tx.policies.length === 0 ? (
          <p className="muted">
            {tx.order
              ? `No policy issued yet${tx.itemCount ? ` (the order has ${tx.itemCount === 1 ? "1 item" : `${tx.itemCount} items`})` : ""}.`
              : "This payment is not for an order."}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Policy</th>
                  <th scope="col">Product</th>
                  <th scope="col">Status</th>
                  <th scope="col">Certificate</th>
                </tr>
              </thead>
              <tbody>
                {tx.policies.map((p) => (
                  <tr key={p.id}>
                    <td data-label="Policy">
                      {p.status === "pending_underwriting" ? (
                        <Link to={`/admin/underwriting/${p.id}`}>{p.number ?? "Awaiting underwriting"}</Link>
                      ) : (
                        <span className="break">{p.number ?? <span className="muted">Not numbered</span>}</span>
                      )}
                    </td>
                    <td data-label="Product">{p.product}</td>
                    <td data-label="Status">
                      <StatusBadge status={p.status} label={p.statusLabel} />
                    </td>
                    <td data-label="Certificate">{p.hasCertificate ? "Generated" : <span className="muted">Not generated</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {tx.issuanceIncomplete ? (
          <div className="stack">
            <Alert tone="warning" title="Issuance is incomplete">
              The order is paid, but{" "}
              {tx.policies.length < tx.itemCount
                ? `only ${tx.policies.length} of its ${tx.itemCount} policies exist`
                : "some documents (certificate or receipt) are missing"}
              .
            </Alert>
            {canRetry ? <RetryForm /> : <p className="muted">An administrator can retry the issuance.</p>}
          </div>
        ) : null}
        {actionData && "message" in actionData ? <Alert tone="error">{actionData.message}</Alert> : null}
      </section>

      <section className="card" aria-labelledby="refunds-title">
        <h2 id="refunds-title">Refunds</h2>
        {tx.refunds.length === 0 ? (
          <p className="muted">No refund on this payment.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Requested</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Reason</th>
                  <th scope="col">By</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {tx.refunds.map((r) => (
                  <tr key={r.id}>
                    <td data-label="Requested">{r.at}</td>
                    <td data-label="Amount">{r.amount}</td>
                    <td data-label="Reason">
                      <span className="break">
                        {r.reason}
                        {r.policyNumber ? <span className="muted"> (policy {r.policyNumber})</span> : null}
                      </span>
                    </td>
                    <td data-label="By">{r.requestedBy}</td>
                    <td data-label="Status">
                      <span>
                        <StatusBadge status={r.status} label={r.status.charAt(0).toUpperCase() + r.status.slice(1)} />
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
          <p className="muted">Only an administrator can refund a payment.</p>
        ) : null}
      </section>

      {tx.chargebacks.length > 0 ? (
        <section className="card" aria-labelledby="chargebacks-title">
          <h2 id="chargebacks-title">Chargebacks</h2>
          <p className="muted">
            The customer disputed this payment with their bank. Answer with evidence at {tx.provider} before the deadline; a lost chargeback
            takes back the commissions paid on this payment.
          </p>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Opened</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Status</th>
                  <th scope="col">Decided</th>
                </tr>
              </thead>
              <tbody>
                {tx.chargebacks.map((c) => (
                  <tr key={c.id}>
                    <td data-label="Opened">
                      <span>
                        {c.openedAt}
                        <br />
                        <code className="muted small break">{c.ref}</code>
                      </span>
                    </td>
                    <td data-label="Amount">{c.amount}</td>
                    <td data-label="Reason">
                      <span className="break">{c.reason ?? <span className="muted">Not given</span>}</span>
                    </td>
                    <td data-label="Status">
                      <span>
                        <StatusBadge status={c.status} label={c.statusLabel} />
                        {c.providerStatus ? <span className="muted small"> {c.providerStatus}</span> : null}
                      </span>
                    </td>
                    <td data-label="Decided">
                      {c.closedAt ??
                        (c.respondBy ? <span className="muted">Answer by {c.respondBy}</span> : <span className="muted">Not yet</span>)}
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
        <h2 id="events-title">Provider events</h2>
        {tx.events.length === 0 ? (
          <p className="muted">No callback or webhook received for this payment.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Deliveries</th>
                  <th scope="col">Received</th>
                  <th scope="col">Processed</th>
                </tr>
              </thead>
              <tbody>
                {tx.events.map((e) => (
                  <tr key={e.id}>
                    <td data-label="Event">
                      <code className="break">{e.providerEventId}</code>
                    </td>
                    <td data-label="Kind">{e.kind}</td>
                    <td data-label="Deliveries">{e.deliveries}</td>
                    <td data-label="Received">{e.receivedAt}</td>
                    <td data-label="Processed">
                      {e.processedAt ? (
                        <span>
                          {e.processedAt}
                          {e.outcome ? <span className="muted"> — {e.outcome}</span> : null}
                        </span>
                      ) : (
                        <span className="badge badge-pending">Waiting</span>
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
        <h2 id="log-title">Gateway log</h2>
        <p className="muted">
          Every request to {tx.provider}, its response and every callback, as they were (secrets redacted), oldest first.
        </p>
        {tx.gatewayLog.length === 0 ? (
          <p className="muted">Nothing was exchanged with the provider for this payment.</p>
        ) : (
          <ol className="gateway-log">
            {tx.gatewayLog.map((g) => (
              <li key={g.id}>
                <details>
                  <summary>
                    <strong>{g.kind}</strong> · <time dateTime={g.atIso}>{g.at}</time>
                    {g.durationMs !== null ? <span className="muted"> · {g.durationMs} ms</span> : null}
                  </summary>
                  {g.request ? (
                    <>
                      <h3 className="small">Request</h3>
                      <pre className="message-body">{g.request}</pre>
                    </>
                  ) : null}
                  {g.response ? (
                    <>
                      <h3 className="small">Response</h3>
                      <pre className="message-body">{g.response}</pre>
                    </>
                  ) : null}
                  {g.rawBody ? (
                    <>
                      <h3 className="small">Raw body</h3>
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
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "retry-issuance";
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="intent" value="retry-issuance" />
      <Button type="submit" busy={busy}>
        Retry issuance
      </Button>
      <span className="muted small">Issues only what is missing: nothing is issued, charged or emailed twice.</span>
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
        <h3 id="confirm-refund-title">
          Refund {confirm.amount} to {customer}?
        </h3>
        {offline ? (
          <>
            <p>
              This payment was collected offline ({method.toLowerCase()}): no provider is asked. The refund is recorded as paid back now, so
              return the money to the customer yourself (bank transfer or cash). Reason: <strong>{confirm.reason}</strong>
            </p>
            <p className="muted">A recorded refund cannot be undone; commissions on it are clawed back.</p>
          </>
        ) : (
          <>
            <p>
              The money goes back through {method}. Reason: <strong>{confirm.reason}</strong>
            </p>
            <p className="muted">A refund cannot be undone once the provider has paid it out.</p>
          </>
        )}
        <Form method="post" className="actions">
          <input type="hidden" name="amount" value={confirm.amountText} />
          <input type="hidden" name="reason" value={confirm.reason} />
          <Button type="submit" name="intent" value="confirm-refund" variant="danger" busy={busy("confirm-refund")}>
            Confirm refund of {confirm.amount}
          </Button>
          <Button type="submit" name="intent" value="edit-refund" variant="secondary">
            Change
          </Button>
        </Form>
      </div>
    );
  }

  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>Refund this payment</h3>
      <p className="muted">Up to {refundable} can be refunded. You confirm on the next step.</p>
      <FormErrors errors={form.errors} />
      <Field
        label={`Amount (${currency})`}
        hint={`In ${currency}, e.g. 1500 or 1,500.50`}
        inputMode="decimal"
        autoComplete="off"
        {...inputProps(fields.amount, { type: "text" })}
      />
      <TextareaField label="Reason" hint="Shown to the customer and kept in the audit log." rows={2} {...textareaProps(fields.reason)} />
      <div className="actions">
        <Button type="submit" name="intent" value="review-refund" variant="secondary" busy={busy("review-refund")}>
          Review refund
        </Button>
      </div>
    </Form>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data ? `Transaction ${data.tx.order?.reference ?? data.tx.amount}` : "Transaction");
