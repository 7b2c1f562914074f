import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { PaymentBadge } from "~/components/account/status";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { METHOD_LABELS } from "~/modules/payments/methods";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requireUser } from "~/modules/auth/guards.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { listMyPayments } from "~/modules/policies/customer.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listMyPayments(db, user.id, { page }));
  return json({
    page,
    hasMore: result.hasMore,
    timeZone: tenant.timeZone,
    payments: result.rows.map((t) => {
      const money = (minor: number) => formatMoney(minor, t.currency, tenant.locale);
      return {
        id: t.id,
        date: formatDateTime(t.createdAt, tenant.locale, tenant.timeZone),
        dateIso: t.createdAt.toISOString(),
        status: t.status,
        method: METHOD_LABELS[t.method],
        amount: money(t.amountMinor),
        refunded: t.refundedMinor > 0 ? money(t.refundedMinor) : null,
        providerReceipt: t.providerReceipt,
        reference: t.orderReference
          ? { label: `Order ${t.orderReference}`, to: t.orderId ? `/orders/${t.orderId}` : null }
          : t.policyId
            ? {
                label: `${t.policyNumber ?? "Policy"}${t.instalmentSequence ? `, instalment ${t.instalmentSequence}` : ""}`,
                to: `/account/policies/${t.policyId}`,
              }
            : { label: "Payment", to: null },
        receipt: t.receipt
          ? {
              number: t.receipt.number,
              // Signed for this user alone, for five minutes: reloading the page makes fresh links.
              url: t.receipt.fileKey
                ? signDownload({
                    tenantId: tenant.id,
                    fileKey: t.receipt.fileKey,
                    userId: user.id,
                    filename: `Receipt-${t.receipt.number.replace(/[^A-Za-z0-9-]/g, "-")}.pdf`,
                    expiresInSeconds: 300,
                  })
                : null,
            }
          : null,
      };
    }),
  });
}

export default function MyPayments() {
  const { page, hasMore, timeZone, payments } = useLoaderData<typeof loader>();
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>Payments</h1>
          <p className="muted">Every payment you have made or started, with its receipt. Times are in {timeZone.replace("_", " ")} time.</p>
        </div>
      </div>
      <AccountNav />
      {payments.length === 0 ? (
        <div className="card empty-state">
          <p className="empty">{page > 1 ? "There are no more payments." : "You have not made any payments yet."}</p>
          <Link to="/products" className="btn btn-primary">
            Browse insurance
          </Link>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data payments-table">
            <caption className="visually-hidden">Your payments, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">For</th>
                <th scope="col">Method</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Status</th>
                <th scope="col">Receipt</th>
              </tr>
            </thead>
            <tbody>
              {payments.map((p) => (
                <tr key={p.id}>
                  <td data-label="Date">
                    <Link to={`/account/payments/${p.id}`} aria-label={`Payment of ${p.amount} on ${p.date}`}>
                      <time dateTime={p.dateIso}>{p.date}</time>
                    </Link>
                  </td>
                  <td data-label="For">{p.reference.to ? <Link to={p.reference.to}>{p.reference.label}</Link> : p.reference.label}</td>
                  <td data-label="Method">
                    <span>
                      {p.method}
                      {p.providerReceipt ? <span className="muted small"> {p.providerReceipt}</span> : null}
                    </span>
                  </td>
                  <td data-label="Amount" className="num">
                    {p.amount}
                  </td>
                  <td data-label="Status">
                    <span>
                      <PaymentBadge status={p.status} />
                      {p.refunded ? <span className="muted small"> {p.refunded} refunded</span> : null}
                    </span>
                  </td>
                  <td data-label="Receipt">
                    {p.receipt ? (
                      p.receipt.url ? (
                        <a href={p.receipt.url} download aria-label={`Download receipt ${p.receipt.number}`}>
                          {p.receipt.number}
                        </a>
                      ) : (
                        <span className="muted">Being prepared</span>
                      )
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Payments");
