import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert } from "~/components/ui/alert";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { serverT } from "~/modules/i18n/i18n.server";
import { underwritingQueue } from "~/modules/policies/admin.server";
import { nameLabel } from "~/modules/workflows/editor";
import { openTasksOf } from "~/modules/workflows/tasks.server";
import styles from "~/styles/workflows.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const NOTICES = ["approved", "declined", "referred"];

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "underwrite:policy:any");
  const page = pageFrom(request);
  // The queue is the policies waiting; each shows where its underwriting workflow stands (decision 026).
  const { result, tasks } = await withTenant(tenant.id, async (db) => {
    const queue = await underwritingQueue(db, { page, signer: { tenantId: tenant.id, userId: user.id } });
    return {
      result: queue,
      tasks: await openTasksOf(
        db,
        "policy",
        queue.rows.map((p) => p.id),
      ),
    };
  });
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const t = await serverT(tenant.language, "admin");
  return json({
    title: t("underwriting.title"),
    page,
    hasMore: result.hasMore,
    total: result.total,
    canSeeTransactions: can(user.roles, "read:transaction:any"),
    rows: result.rows.map((p) => ({
      id: p.id,
      product: p.productName,
      insurer: p.insurerName,
      customerName: p.customerName,
      customerEmail: p.customerEmail,
      orderReference: p.orderReference,
      paidTransactionId: p.paidTransactionId,
      orderPaid: p.orderPaidMinor !== null ? money(p.orderPaidMinor, p.currency) : null,
      policyPaid: p.firstPaymentMinor !== null ? money(p.firstPaymentMinor, p.currency) : null,
      premium: t("policies.premiumEvery", {
        amount: money(p.instalmentMinor, p.currency),
        frequency: t(`frequency.${p.frequency}`, { defaultValue: p.frequency }),
      }),
      waitingSince: formatDateTime(p.createdAt, tenant.locale, tenant.timeZone),
      waitingSinceIso: p.createdAt.toISOString(),
      uploads: p.uploads.map((u) => ({ id: u.id, label: u.requirement, filename: u.filename, href: u.href })),
      identifiers: p.identifiers,
      task: (() => {
        const task = tasks.get(p.id);
        if (!task) return null;
        return {
          stage: task.stageName,
          who:
            task.assigneeName ??
            (task.requiredRole
              ? t("underwriting.anyRole", {
                  role: t(`roles.${task.requiredRole}`, { defaultValue: nameLabel(task.requiredRole) }).toLowerCase(),
                })
              : t("underwriting.anyone")),
          due: task.dueAt ? formatDateTime(task.dueAt, tenant.locale, tenant.timeZone) : null,
          breached: task.breached,
        };
      })(),
    })),
  });
}

export default function UnderwritingQueue() {
  const { page, hasMore, total, rows, canSeeTransactions } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const notice = params.get("notice");
  const { t } = useTranslation("admin");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("underwriting.title")}</h1>
          <p className="muted">{total === 0 ? t("underwriting.nothingWaiting") : t("underwriting.waiting", { count: total })}</p>
          <p className="muted small">
            <Link to="/admin/tasks?subject=policy">{t("underwriting.myTasks")}</Link>
            {t("underwriting.myTasksHint")}
          </p>
        </div>
      </div>
      {notice && NOTICES.includes(notice) ? <Alert tone="success">{t(`underwriting.notices.${notice}`)}</Alert> : null}
      {rows.length === 0 ? (
        <div className="card empty">
          <p>{t("underwriting.empty")}</p>
        </div>
      ) : (
        <ol className="underwriting-queue stack" aria-label={t("underwriting.queue")}>
          {rows.map((p) => (
            <li key={p.id} className="card">
              <div className="page-head">
                <div>
                  <h2>
                    <Link to={`/admin/underwriting/${p.id}`}>{p.product}</Link>
                  </h2>
                  <p className="muted">
                    {p.insurer}
                    {t("underwriting.waitingSince")}
                    <time dateTime={p.waitingSinceIso}>{p.waitingSince}</time>
                  </p>
                </div>
                <Link to={`/admin/underwriting/${p.id}`} className="btn btn-secondary">
                  {t("underwriting.review")}
                </Link>
              </div>
              <dl className="details-list">
                {p.task ? (
                  <>
                    <dt>{t("underwriting.stage")}</dt>
                    <dd>
                      {p.task.stage} <span className="muted">· {p.task.who}</span>
                      {p.task.due ? (
                        p.task.breached ? (
                          <span className="badge badge-breached">{t("underwriting.overdueSince", { date: p.task.due })}</span>
                        ) : (
                          <span className="muted small">{t("underwriting.dueOn", { date: p.task.due })}</span>
                        )
                      ) : null}
                    </dd>
                  </>
                ) : null}
                <dt>{t("underwriting.customer")}</dt>
                <dd className="break">
                  {p.customerName} <span className="muted">{p.customerEmail}</span>
                </dd>
                <dt>{t("underwriting.order")}</dt>
                <dd>
                  {canSeeTransactions && p.paidTransactionId ? (
                    <Link to={`/admin/transactions/${p.paidTransactionId}`}>{p.orderReference}</Link>
                  ) : (
                    p.orderReference
                  )}
                </dd>
                <dt>{t("underwriting.paid")}</dt>
                <dd>
                  {p.policyPaid ?? p.orderPaid ?? <span className="muted">{t("underwriting.noPayment")}</span>}
                  {p.policyPaid && p.orderPaid && p.policyPaid !== p.orderPaid ? (
                    <span className="muted">{t("underwriting.ofOrder", { amount: p.orderPaid })}</span>
                  ) : null}{" "}
                  <span className="muted">{t("underwriting.premium", { premium: p.premium })}</span>
                </dd>
                <dt>{t("underwriting.identifiers")}</dt>
                <dd>
                  {p.identifiers.length === 0 ? (
                    <span className="muted">{t("underwriting.noneGiven")}</span>
                  ) : (
                    p.identifiers.map((i) => (
                      <span key={i.kind} className="identifier">
                        {t(`identifierKinds.${i.kind}`, { ns: "common", defaultValue: i.label })}: <code>{i.masked}</code>{" "}
                      </span>
                    ))
                  )}
                </dd>
                <dt>{t("underwriting.documents")}</dt>
                <dd>
                  {p.uploads.length === 0 ? (
                    <span className="muted">{t("underwriting.noneUploaded")}</span>
                  ) : (
                    <ul className="plain-list">
                      {p.uploads.map((u) => (
                        <li key={u.id}>
                          <a href={u.href}>{u.filename}</a> <span className="muted small">({u.label})</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
              </dl>
            </li>
          ))}
        </ol>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Underwriting");
