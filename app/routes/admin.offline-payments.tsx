import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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
import { serverT } from "~/modules/i18n/i18n.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { offlineDecisionSchema, REJECT_REASON_MAX } from "~/modules/members/schemas";
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
  const t = await serverT(tenant.language, "admin-payments");
  const waited = (since: Date) => {
    const { unit, count } = waitedFor(since, now);
    return t(`offline.waited.${unit}`, { count });
  };
  return json({
    title: t("offline.title"),
    status,
    page,
    hasMore: result.hasMore,
    total: result.total,
    rows: result.rows.map((r) => ({
      id: r.id,
      status: r.status,
      statusLabel: t(`transactionStatus.${r.status}`),
      method: t(`method.${r.method}`),
      amount: formatMoney(r.amountMinor, r.currency, tenant.locale),
      reference: r.reference,
      orderReference: r.orderReference,
      member: r.memberName,
      memberEmail: r.memberEmail,
      agent: r.agentName ? `${r.agentName}${r.agentNumber ? ` (${r.agentNumber})` : ""}` : "—",
      recordedAt: formatDateTime(r.createdAt, tenant.locale, tenant.timeZone),
      recordedAtIso: r.createdAt.toISOString(),
      waited: waited(r.createdAt),
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

const TABS: OfflineListStatus[] = ["pending", "completed", "failed"];

export default function OfflinePayments() {
  const { status, page, hasMore, total, rows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const lastResult = actionData?.result as SubmissionResult<string[]> | undefined;
  const [params] = useSearchParams();
  const done = params.get("done");
  // Which row the last refused decision was about, so its errors show there.
  const failedFor = (lastResult?.initialValue as { transactionId?: string } | undefined)?.transactionId;
  // A refused decision about a payment no longer listed here (decided meanwhile in another tab): said on top.
  const { t } = useTranslation("admin-payments");
  const elsewhere =
    lastResult && !rows.some((r) => r.id === failedFor && r.status === "pending") ? (lastResult.error?.[""] ?? undefined) : undefined;
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("offline.title")}</h1>
          <p className="muted">{t("offline.intro")}</p>
        </div>
      </div>
      <nav className="subnav" aria-label={t("offline.title")}>
        {TABS.map((tab) => (
          <Link
            key={tab}
            to={tab === "pending" ? "/admin/offline-payments" : `?status=${tab}`}
            aria-current={tab === status ? "page" : undefined}
            className={tab === status ? "active" : undefined}
          >
            {t(`offline.tab.${tab}`)}
          </Link>
        ))}
      </nav>
      <FormErrors errors={elsewhere ?? undefined} />
      {done === "confirmed" ? (
        <Alert tone="success" title={t("offline.confirmedTitle")}>
          {t("offline.confirmedBody")}
        </Alert>
      ) : null}
      {done === "rejected" ? (
        <Alert tone="success" title={t("offline.rejectedTitle")}>
          {t("offline.rejectedBody")}
        </Alert>
      ) : null}
      {rows.length === 0 ? (
        <div className="card empty">
          <p>{status === "pending" ? t("offline.emptyPending") : t("offline.emptyDecided")}</p>
        </div>
      ) : (
        <>
          <p className="muted">
            {status === "pending" ? t("offline.totalPending", { count: total }) : t("offline.totalDecided", { count: total })}
          </p>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("offline.recorded")}</th>
                  <th scope="col">{t("offline.agent")}</th>
                  <th scope="col">{t("offline.member")}</th>
                  <th scope="col">{t("transaction.order")}</th>
                  <th scope="col">{t("transaction.amount")}</th>
                  <th scope="col">{t("offline.reference")}</th>
                  <th scope="col">{status === "pending" ? t("offline.decision") : t("transaction.status")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td data-label={t("offline.recorded")}>
                      <Link to={`/admin/transactions/${r.id}`}>
                        <time dateTime={r.recordedAtIso}>{r.recordedAt}</time>
                      </Link>
                      {r.status === "pending" ? <span className="muted small"> {t("offline.ago", { time: r.waited })}</span> : null}
                    </td>
                    <td data-label={t("offline.agent")}>
                      <span className="break">{r.agent}</span>
                    </td>
                    <td data-label={t("offline.member")}>
                      <span className="break">
                        {r.member}
                        <br />
                        <span className="muted small">{r.memberEmail}</span>
                      </span>
                    </td>
                    <td data-label={t("transaction.order")}>
                      <span className="break">{r.orderReference ?? "—"}</span>
                    </td>
                    <td data-label={t("transaction.amount")}>
                      {r.amount} <span className="muted small">{r.method}</span>
                    </td>
                    <td data-label={t("offline.reference")}>
                      <span className="break">{r.reference ?? "—"}</span>
                    </td>
                    <td data-label={status === "pending" ? t("offline.decision") : t("transaction.status")}>
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
  const { t } = useTranslation("admin-payments");
  const busy = (intent: string) =>
    navigation.state === "submitting" && navigation.formData?.get("transactionId") === id && navigation.formData?.get("intent") === intent;
  return (
    <div className="row-actions">
      {lastResult ? <FormErrors errors={form.errors} /> : null}
      <Form method="post" className="inline-form">
        <input type="hidden" name="transactionId" value={id} />
        <Button type="submit" name="intent" value="confirm" className="btn-small" busy={busy("confirm")}>
          {t("offline.confirm")}
        </Button>
      </Form>
      <Form method="post" className="inline-form" {...getFormProps(form)}>
        <input type="hidden" name="transactionId" value={id} />
        <Field
          id={`reject-reason-${id}`}
          name="reason"
          label={t("offline.rejectReason")}
          maxLength={REJECT_REASON_MAX}
          errors={form.allErrors.reason}
        />
        <Button type="submit" name="intent" value="reject" variant="danger" className="btn-small" busy={busy("reject")}>
          {t("offline.reject")}
        </Button>
      </Form>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Offline payments");
