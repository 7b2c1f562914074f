import { Link } from "@remix-run/react";
import type { TransactionStatus } from "~db/schema";
import { PaymentBadge } from "~/components/account/status";
import { useTranslation } from "react-i18next";

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
  const { t } = useTranslation("account");
  return (
    <section className="card" aria-labelledby="payments-title">
      <h2 id="payments-title">{t("payments.title")}</h2>
      {payments.length === 0 ? (
        <p className="muted">{t("policyDetail.noPayments")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("payments.date")}</th>
                <th scope="col">{t("payments.for")}</th>
                <th scope="col">{t("payments.method")}</th>
                <th scope="col" className="num">
                  {t("payments.amount")}
                </th>
                <th scope="col">{t("payments.status")}</th>
              </tr>
            </thead>
            <tbody>
              {payments.map((p) => (
                <tr key={p.id}>
                  <td data-label={t("payments.date")}>
                    <Link to={`/account/payments/${p.id}`}>{p.date}</Link>
                  </td>
                  <td data-label={t("payments.for")}>{p.what}</td>
                  <td data-label={t("payments.method")}>{p.method}</td>
                  <td data-label={t("payments.amount")} className="num">
                    {p.amount}
                  </td>
                  <td data-label={t("payments.status")}>
                    <span>
                      <PaymentBadge status={p.status} />
                      {p.refunded ? <span className="muted small"> {t("payments.refunded", { amount: p.refunded })}</span> : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="section-actions">
        <Link to="/account/payments">{t("policyDetail.allPayments")}</Link>
      </p>
    </section>
  );
}
