// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { StatusBadge } from "~/components/admin/status-badge";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { clientInfo } from "~/modules/auth/guards.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { offlineDecisionSchema, REJECT_REASON_MAX } from "~/modules/members/schemas";
import { TRANSACTION_STATUS_LABELS } from "~/modules/payments/transactions-admin.server";
import { METHOD_LABELS } from "~/modules/payments/methods";
import {
  confirmOfflinePayment,
  listOfflinePayments,
  rejectOfflinePayment,
  waitedFor,
  type OfflineListStatus,
} from "~/modules/payments/offline.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { readForm } from "~/lib/forms";

/**
 * /admin/offline-payments — payments agents collected offline (cash, bank-in), waiting for staff:
 * who collected it, for whom, how much, the receipt or slip number and how long it has waited.
 * Confirm completes it like a provider's payment (the order is paid and the policy issued); reject
 * fails it with a reason the agent is emailed. Decided ones are listed under their own tabs.
 */
const statusSchema = z.enum(["pending", "completed", "failed"]).catch("pending");

function requireStaff(request: Request) {
  return requireNetworkPermission(request, "confirm:offline-payment:any");
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireStaff(request);
  const status: OfflineListStatus = statusSchema.parse(new URL(request.url).searchParams.get("status") ?? "pending");
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listOfflinePayments(db, { status, page }));
  const now = new Date();
  return json({
    status,
    page,
    hasMore: result.hasMore,
    total: result.total,
    rows: result.rows.map((r) => ({
      id: r.id,
      status: r.status,
      statusLabel: TRANSACTION_STATUS_LABELS[r.status],
      method: METHOD_LABELS[r.method],
      amount: formatMoney(r.amountMinor, r.currency, tenant.locale),
      reference: r.reference,
      orderReference: r.orderReference,
      member: r.memberName,
      memberEmail: r.memberEmail,
      agent: r.agentName ? `${r.agentName}${r.agentNumber ? ` (${r.agentNumber})` : ""}` : "—",
      recordedAt: formatDateTime(r.createdAt, tenant.locale, tenant.timeZone),
      recordedAtIso: r.createdAt.toISOString(),
      waited: waitedFor(r.createdAt, now),
      decidedAt: r.status !== "pending" && r.completedAt ? formatDateTime(r.completedAt, tenant.locale, tenant.timeZone) : null,
      failureMessage: r.failureMessage,
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requireStaff(request);
  const submission = parseWithZod(await readForm(request), { schema: offlineDecisionSchema });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const decision = submission.value;
  const result = await withTenant(tenant.id, (db) =>
    decision.intent === "confirm"
      ? confirmOfflinePayment(db, tenant.id, decision.transactionId, actor)
      : rejectOfflinePayment(db, tenant, decision.transactionId, decision.reason, actor, originOf(request)),
  );
  if (!result.ok && result.notFound) throw new Response("Not found", { status: 404 });
  if (!result.ok) return json({ result: submission.reply({ formErrors: [result.message] }) }, { status: 409 });
  return redirect(`/admin/offline-payments?done=${decision.intent === "confirm" ? "confirmed" : "rejected"}`);
}

const TABS: { value: OfflineListStatus; label: string }[] = [
  { value: "pending", label: "Waiting" },
  { value: "completed", label: "Confirmed" },
  { value: "failed", label: "Rejected" },
];

export default function OfflinePayments() {
  const { status, page, hasMore, total, rows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const lastResult = actionData?.result as SubmissionResult<string[]> | undefined;
  const [params] = useSearchParams();
  const done = params.get("done");
  // Which row the last refused decision was about, so its errors show there.
  const failedFor = (lastResult?.initialValue as { transactionId?: string } | undefined)?.transactionId;
  // A refused decision about a payment no longer listed here (decided meanwhile in another tab): said on top.
  const elsewhere =
    lastResult && !rows.some((r) => r.id === failedFor && r.status === "pending") ? (lastResult.error?.[""] ?? undefined) : undefined;
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Offline payments</h1>
          <p className="muted">
            Cash and bank-ins agents collected from members. Confirm one only once the money is in the agency&apos;s account or hands: the
            policy is then issued.
          </p>
        </div>
      </div>
      <nav className="subnav" aria-label="Offline payments">
        {TABS.map((t) => (
          <Link
            key={t.value}
            to={t.value === "pending" ? "/admin/offline-payments" : `?status=${t.value}`}
            aria-current={t.value === status ? "page" : undefined}
            className={t.value === status ? "active" : undefined}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <FormErrors errors={elsewhere ?? undefined} />
      {done === "confirmed" ? (
        <Alert tone="success" title="Payment confirmed">
          The order is paid; its policy is being issued and emailed to the member.
        </Alert>
      ) : null}
      {done === "rejected" ? (
        <Alert tone="success" title="Payment rejected">
          The agent has been emailed the reason. The order stays open for another payment.
        </Alert>
      ) : null}
      {rows.length === 0 ? (
        <div className="card empty">
          <p>{status === "pending" ? "No offline payment is waiting for confirmation." : "None yet."}</p>
        </div>
      ) : (
        <>
          <p className="muted">
            {total} in all{status === "pending" ? ", the longest waiting first" : ", newest first"}.
          </p>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Recorded</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Member</th>
                  <th scope="col">Order</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Reference</th>
                  <th scope="col">{status === "pending" ? "Decision" : "Status"}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td data-label="Recorded">
                      <Link to={`/admin/transactions/${r.id}`}>
                        <time dateTime={r.recordedAtIso}>{r.recordedAt}</time>
                      </Link>
                      {r.status === "pending" ? <span className="muted small"> ({r.waited} ago)</span> : null}
                    </td>
                    <td data-label="Agent">
                      <span className="break">{r.agent}</span>
                    </td>
                    <td data-label="Member">
                      <span className="break">
                        {r.member}
                        <br />
                        <span className="muted small">{r.memberEmail}</span>
                      </span>
                    </td>
                    <td data-label="Order">
                      <span className="break">{r.orderReference ?? "—"}</span>
                    </td>
                    <td data-label="Amount">
                      {r.amount} <span className="muted small">{r.method}</span>
                    </td>
                    <td data-label="Reference">
                      <span className="break">{r.reference ?? "—"}</span>
                    </td>
                    <td data-label={status === "pending" ? "Decision" : "Status"}>
                      {r.status === "pending" ? (
                        <Decision id={r.id} lastResult={failedFor === r.id ? lastResult : undefined} />
                      ) : (
                        <span>
                          <StatusBadge status={r.status} label={r.statusLabel} />
                          {r.decidedAt ? <span className="muted small"> {r.decidedAt}</span> : null}
                          {r.failureMessage ? (
                            <>
                              <br />
                              <span className="muted small">{r.failureMessage}</span>
                            </>
                          ) : null}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

function Decision({ id, lastResult }: { id: string; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form] = useForm({ id: `reject-${id}`, lastResult });
  const busy = (intent: string) =>
    navigation.state === "submitting" && navigation.formData?.get("transactionId") === id && navigation.formData?.get("intent") === intent;
  return (
    <div className="row-actions">
      {lastResult ? <FormErrors errors={form.errors} /> : null}
      <Form method="post" className="inline-form">
        <input type="hidden" name="transactionId" value={id} />
        <Button type="submit" name="intent" value="confirm" className="btn-small" busy={busy("confirm")}>
          Confirm
        </Button>
      </Form>
      <Form method="post" className="inline-form" {...getFormProps(form)}>
        <input type="hidden" name="transactionId" value={id} />
        <Field
          id={`reject-reason-${id}`}
          name="reason"
          label="Reason to reject"
          maxLength={REJECT_REASON_MAX}
          errors={form.allErrors.reason}
        />
        <Button type="submit" name="intent" value="reject" variant="danger" className="btn-small" busy={busy("reject")}>
          Reject
        </Button>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Offline payments");
