// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Link } from "@remix-run/react";
import type { TransactionStatus } from "~db/schema";
import { PaymentBadge } from "~/components/account/status";

export interface PolicyPaymentView {
  id: string;
  date: string;
  status: TransactionStatus;
  method: string;
  amount: string;
  refunded: string | null;
  what: string;
}

/** The payments made for the policy (its order's, its instalments', its changes'), newest first. */
export function PolicyPayments({ payments }: { payments: PolicyPaymentView[] }) {
  return (
    <section className="card" aria-labelledby="payments-title">
      <h2 id="payments-title">Payments</h2>
      {payments.length === 0 ? (
        <p className="muted">No payments yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">For</th>
                <th scope="col">Method</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {payments.map((p) => (
                <tr key={p.id}>
                  <td data-label="Date">
                    <Link to={`/account/payments/${p.id}`}>{p.date}</Link>
                  </td>
                  <td data-label="For">{p.what}</td>
                  <td data-label="Method">{p.method}</td>
                  <td data-label="Amount" className="num">
                    {p.amount}
                  </td>
                  <td data-label="Status">
                    <span>
                      <PaymentBadge status={p.status} />
                      {p.refunded ? <span className="muted small"> {p.refunded} refunded</span> : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="section-actions">
        <Link to="/account/payments">All your payments</Link>
      </p>
    </section>
  );
}
