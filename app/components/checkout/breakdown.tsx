import { useTranslation } from "react-i18next";
import { formatMoney } from "~/lib/money";

export interface BreakdownItem {
  id: string;
  productName: string;
  insurerName: string;
  planLabel: string;
  requiresUnderwriting: boolean;
  instalmentsPerYear: number;
  annualPremiumMinor: number;
  leviesMinor: number;
  annualTotalMinor: number;
  discountMinor: number;
  firstPaymentMinor: number;
  laterInstalmentMinor: number;
}

export interface BreakdownTotals {
  premium: number;
  levies: number;
  discount: { label: string; amount: number } | null;
  total: number;
  dueNow: number;
}

/**
 * The final breakdown, as the server priced it: per item what is due now and what follows, then
 * the year's premiums, levies, bundle discount and total, and what is paid today.
 */
export function OrderBreakdown({
  items,
  totals,
  currency,
  locale,
}: {
  items: BreakdownItem[];
  totals: BreakdownTotals;
  currency: string;
  locale: string;
}) {
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const { t } = useTranslation("checkout");
  const showLevies = totals.levies !== 0;
  return (
    <section className="card" aria-labelledby="breakdown-title">
      <h2 id="breakdown-title">{t("breakdown.title")}</h2>
      <div className="table-wrap">
        <table className="data checkout-items">
          <thead>
            <tr>
              <th scope="col">{t("breakdown.cover")}</th>
              <th scope="col">{t("breakdown.plan")}</th>
              <th scope="col" className="num">
                {t("breakdown.dueNow")}
              </th>
              <th scope="col">{t("breakdown.then")}</th>
              <th scope="col" className="num">
                {t("breakdown.overYear")}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td data-label={t("breakdown.cover")}>
                  <div className="cell">
                    <strong>{item.productName}</strong>
                    <div className="muted small">{item.insurerName}</div>
                    {item.requiresUnderwriting ? <div className="muted small">{t("breakdown.underwriting")}</div> : null}
                  </div>
                </td>
                <td data-label={t("breakdown.plan")}>
                  <div className="cell">{item.planLabel}</div>
                </td>
                <td data-label={t("breakdown.dueNow")} className="num">
                  <div className="cell">
                    <strong>{money(item.firstPaymentMinor)}</strong>
                  </div>
                </td>
                <td data-label={t("breakdown.then")}>
                  <div className="cell">
                    {item.instalmentsPerYear > 1
                      ? `${item.instalmentsPerYear - 1} × ${money(item.laterInstalmentMinor)}`
                      : t("breakdown.nothingMore")}
                  </div>
                </td>
                <td data-label={t("breakdown.overYear")} className="num">
                  <div className="cell">
                    {money(item.annualTotalMinor - item.discountMinor)}
                    {item.discountMinor ? (
                      <div className="muted small">{t("breakdown.afterDiscount", { amount: money(item.discountMinor) })}</div>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="totals">
        <dt>{t("breakdown.premiums")}</dt>
        <dd>{money(totals.premium)}</dd>
        {showLevies ? (
          <>
            <dt>{t("breakdown.levies")}</dt>
            <dd>{money(totals.levies)}</dd>
          </>
        ) : null}
        {totals.discount ? (
          <>
            <dt>{totals.discount.label}</dt>
            <dd className="discount">−{money(totals.discount.amount)}</dd>
          </>
        ) : null}
        <dt>{t("breakdown.total")}</dt>
        <dd>{money(totals.total)}</dd>
        <dt className="grand">{t("breakdown.dueNow")}</dt>
        <dd className="grand" data-testid="due-now">
          {money(totals.dueNow)}
        </dd>
      </dl>
    </section>
  );
}
