// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
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
  const showLevies = totals.levies !== 0;
  return (
    <section className="card" aria-labelledby="breakdown-title">
      <h2 id="breakdown-title">What you pay</h2>
      <div className="table-wrap">
        <table className="data checkout-items">
          <thead>
            <tr>
              <th scope="col">Cover</th>
              <th scope="col">Plan</th>
              <th scope="col" className="num">
                Due now
              </th>
              <th scope="col">Then</th>
              <th scope="col" className="num">
                Over the year
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td data-label="Cover">
                  <div className="cell">
                    <strong>{item.productName}</strong>
                    <div className="muted small">{item.insurerName}</div>
                    {item.requiresUnderwriting ? (
                      <div className="muted small">Reviewed by the insurer before cover starts; refunded in full if declined.</div>
                    ) : null}
                  </div>
                </td>
                <td data-label="Plan">
                  <div className="cell">{item.planLabel}</div>
                </td>
                <td data-label="Due now" className="num">
                  <div className="cell">
                    <strong>{money(item.firstPaymentMinor)}</strong>
                  </div>
                </td>
                <td data-label="Then">
                  <div className="cell">
                    {item.instalmentsPerYear > 1
                      ? `${item.instalmentsPerYear - 1} × ${money(item.laterInstalmentMinor)}`
                      : "Nothing more this year"}
                  </div>
                </td>
                <td data-label="Over the year" className="num">
                  <div className="cell">
                    {money(item.annualTotalMinor - item.discountMinor)}
                    {item.discountMinor ? <div className="muted small">after {money(item.discountMinor)} discount</div> : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="totals">
        <dt>Premiums over the year</dt>
        <dd>{money(totals.premium)}</dd>
        {showLevies ? (
          <>
            <dt>Levies and duties</dt>
            <dd>{money(totals.levies)}</dd>
          </>
        ) : null}
        {totals.discount ? (
          <>
            <dt>{totals.discount.label}</dt>
            <dd className="discount">−{money(totals.discount.amount)}</dd>
          </>
        ) : null}
        <dt>Total over the first year</dt>
        <dd>{money(totals.total)}</dd>
        <dt className="grand">Due now</dt>
        <dd className="grand" data-testid="due-now">
          {money(totals.dueNow)}
        </dd>
      </dl>
    </section>
  );
}
