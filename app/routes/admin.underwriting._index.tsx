// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Alert } from "~/components/ui/alert";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { underwritingQueue } from "~/modules/policies/admin.server";
import { FREQUENCY_LABELS } from "~/modules/rating";
import { nameLabel } from "~/modules/workflows/editor";
import { openTasksOf } from "~/modules/workflows/tasks.server";
import styles from "~/styles/workflows.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const NOTICES = {
  approved: "Policy approved. It is being issued, and the customer gets the certificate by email.",
  declined: "Policy declined. The customer is told why, and their payment for it is being refunded.",
  referred: "Policy referred. It waits for the next stage of its underwriting workflow.",
} as const;

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
  return json({
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
      premium: `${money(p.instalmentMinor, p.currency)} ${FREQUENCY_LABELS[p.frequency]?.toLowerCase() ?? p.frequency}`,
      waitingSince: formatDateTime(p.createdAt, tenant.locale, tenant.timeZone),
      waitingSinceIso: p.createdAt.toISOString(),
      uploads: p.uploads.map((u) => ({ id: u.id, label: u.requirement, filename: u.filename, href: u.href })),
      identifiers: p.identifiers,
      task: (() => {
        const task = tasks.get(p.id);
        if (!task) return null;
        return {
          stage: task.stageName,
          who: task.assigneeName ?? (task.requiredRole ? `any ${nameLabel(task.requiredRole).toLowerCase()}` : "anyone"),
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
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Underwriting</h1>
          <p className="muted">
            {total === 0 ? "Nothing waiting." : total === 1 ? "1 policy waits for a decision" : `${total} policies wait for a decision`}
            {total > 0 ? ", oldest first. Each is paid: approving issues it, declining refunds the customer's payment for it." : ""}
          </p>
          <p className="muted small">
            <Link to="/admin/tasks?subject=policy">My tasks</Link> lists the ones waiting for you or your role.
          </p>
        </div>
      </div>
      {notice && notice in NOTICES ? <Alert tone="success">{NOTICES[notice as keyof typeof NOTICES]}</Alert> : null}
      {rows.length === 0 ? (
        <div className="card empty">
          <p>No policy is waiting for underwriting. Products that need a review send their paid policies here.</p>
        </div>
      ) : (
        <ol className="underwriting-queue stack" aria-label="Policies waiting for underwriting">
          {rows.map((p) => (
            <li key={p.id} className="card">
              <div className="page-head">
                <div>
                  <h2>
                    <Link to={`/admin/underwriting/${p.id}`}>{p.product}</Link>
                  </h2>
                  <p className="muted">
                    {p.insurer} · waiting since <time dateTime={p.waitingSinceIso}>{p.waitingSince}</time>
                  </p>
                </div>
                <Link to={`/admin/underwriting/${p.id}`} className="btn btn-secondary">
                  Review
                </Link>
              </div>
              <dl className="details-list">
                {p.task ? (
                  <>
                    <dt>Stage</dt>
                    <dd>
                      {p.task.stage} <span className="muted">· {p.task.who}</span>
                      {p.task.due ? (
                        p.task.breached ? (
                          <span className="badge badge-breached"> Overdue since {p.task.due}</span>
                        ) : (
                          <span className="muted small"> · due {p.task.due}</span>
                        )
                      ) : null}
                    </dd>
                  </>
                ) : null}
                <dt>Customer</dt>
                <dd className="break">
                  {p.customerName} <span className="muted">{p.customerEmail}</span>
                </dd>
                <dt>Order</dt>
                <dd>
                  {canSeeTransactions && p.paidTransactionId ? (
                    <Link to={`/admin/transactions/${p.paidTransactionId}`}>{p.orderReference}</Link>
                  ) : (
                    p.orderReference
                  )}
                </dd>
                <dt>Paid</dt>
                <dd>
                  {p.policyPaid ?? p.orderPaid ?? <span className="muted">No payment found</span>}
                  {p.policyPaid && p.orderPaid && p.policyPaid !== p.orderPaid ? (
                    <span className="muted"> for this policy, of {p.orderPaid} on the order</span>
                  ) : null}{" "}
                  <span className="muted">· premium {p.premium}</span>
                </dd>
                <dt>Identifiers</dt>
                <dd>
                  {p.identifiers.length === 0 ? (
                    <span className="muted">None given</span>
                  ) : (
                    p.identifiers.map((i) => (
                      <span key={i.kind} className="identifier">
                        {i.label}: <code>{i.masked}</code>{" "}
                      </span>
                    ))
                  )}
                </dd>
                <dt>Documents</dt>
                <dd>
                  {p.uploads.length === 0 ? (
                    <span className="muted">None uploaded</span>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Underwriting");
