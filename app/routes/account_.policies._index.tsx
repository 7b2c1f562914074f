import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { FREQUENCY_NAMES, INSTALMENT_STATUS, PolicyBadge } from "~/components/account/status";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requireUser } from "~/modules/auth/guards.server";
import { listMyPolicies } from "~/modules/policies/customer.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listMyPolicies(db, user.id, { page }));
  // Cover and due dates are calendar dates (no time of day): shown as they are, whatever the zone.
  const day = (value: string | null) => (value ? formatDate(value, tenant.locale, "UTC") : null);
  return json({
    page,
    hasMore: result.hasMore,
    total: result.total,
    policies: result.rows.map((p) => ({
      id: p.id,
      policyNumber: p.policyNumber,
      status: p.status,
      declineReason: p.declineReason,
      productName: p.productName,
      insurerName: p.insurerName,
      categoryName: p.categoryName,
      orderReference: p.orderReference,
      frequency: FREQUENCY_NAMES[p.frequency] ?? p.frequency,
      startDate: day(p.startDate),
      endDate: day(p.endDate),
      next: p.nextInstalment
        ? {
            dueDate: day(p.nextInstalment.dueDate),
            amount: formatMoney(p.nextInstalment.amountMinor, p.currency, tenant.locale),
            overdue: p.nextInstalment.status === "overdue",
            status: INSTALMENT_STATUS[p.nextInstalment.status].label,
          }
        : null,
    })),
  });
}

export default function MyPolicies() {
  const { page, hasMore, total, policies } = useLoaderData<typeof loader>();
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>My policies</h1>
          <p className="muted">
            {total === 0 ? "Your cover, its documents and payments." : total === 1 ? "1 policy" : `${total} policies`}
          </p>
        </div>
      </div>
      <AccountNav />

      {policies.length === 0 ? (
        <div className="card empty-state">
          <p className="empty">{page > 1 ? "There are no more policies." : "You have no policies yet."}</p>
          <p>When you buy cover, your policies, certificates and receipts appear here.</p>
          <Link to="/products" className="btn btn-primary">
            Browse insurance
          </Link>
        </div>
      ) : (
        <ul className="policy-list" aria-label="Your policies">
          {policies.map((p) => (
            <li key={p.id} className="card policy-card">
              <div className="policy-card-head">
                <h2>
                  <Link to={`/account/policies/${p.id}`}>{p.productName}</Link>
                </h2>
                <PolicyBadge status={p.status} />
              </div>
              <p className="muted">
                {p.insurerName} · {p.categoryName}
              </p>
              <dl className="details-list">
                <dt>Policy number</dt>
                <dd>{p.policyNumber ?? <span className="muted">Not issued yet (order {p.orderReference})</span>}</dd>
                {p.startDate ? (
                  <>
                    <dt>Cover</dt>
                    <dd>
                      {p.startDate} to {p.endDate ?? "—"}
                    </dd>
                  </>
                ) : null}
                <dt>Payments</dt>
                <dd>{p.frequency}</dd>
                {p.next ? (
                  <>
                    <dt>Next instalment</dt>
                    <dd>
                      {p.next.amount} due {p.next.dueDate}
                      {p.next.overdue ? (
                        <>
                          {" "}
                          <span className="badge badge-failed">Overdue</span>
                        </>
                      ) : null}
                    </dd>
                  </>
                ) : null}
                {p.status === "declined" && p.declineReason ? (
                  <>
                    <dt>Reason</dt>
                    <dd>{p.declineReason}</dd>
                  </>
                ) : null}
              </dl>
              {p.status === "pending_underwriting" ? (
                <p className="muted small">The insurer is reviewing your application. We will email you when it is decided.</p>
              ) : null}
              <p className="section-actions">
                <Link to={`/account/policies/${p.id}`} aria-label={`View ${p.productName}${p.policyNumber ? ` ${p.policyNumber}` : ""}`}>
                  View policy and documents
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "My policies");
