import { useTranslation } from "react-i18next";
import { PaymentBadge } from "~/components/account/status";
import type { SaleStage } from "./stage";

/** The payments made or started on the order, with their state. */
export function SalePayments({ payments }: { payments: SaleStage<"payment">["payments"] }) {
  const { t } = useTranslation("agent");
  if (payments.length === 0) return null;
  return (
    <section className="card" aria-labelledby="sale-payments">
      <h2 id="sale-payments">{t("sell.payments.title")}</h2>
      <ul className="plain-list">
        {payments.map((p) => (
          <li key={p.id}>
            {t("sell.payments.row", { at: p.at, amount: p.amount, method: p.method.toLowerCase() })}
            {p.reference ? ` (${p.reference})` : ""} <PaymentBadge status={p.status} />
            {p.failure ? <span className="muted small"> {p.failure}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
