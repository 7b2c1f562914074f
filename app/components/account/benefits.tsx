// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { PolicyBadge } from "~/components/account/status";
import type { BenefitsView } from "~/modules/members/benefits.server";

/**
 * A member's benefits per policy (app/modules/members/benefits.server.ts): the yearly limit, used
 * and left this policy year, the excess, and per kind of claim its waiting period and documents.
 * The same on the member's own page, their agent's and staff's.
 */
export function BenefitsList({ policies, empty }: { policies: BenefitsView; empty: string }) {
  if (policies.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="stack">
      {policies.map((p) => (
        <article key={p.policyId} className="card stack" aria-labelledby={`benefits-${p.policyId}`}>
          <h3 id={`benefits-${p.policyId}`}>
            {p.productName} <span className="muted small">· policy {p.policyNumber}</span> <PolicyBadge status={p.status} />
          </h3>
          <p className="muted small">Cover {p.period}</p>
          {p.annual ? (
            <dl className="details-list">
              <dt>Yearly limit</dt>
              <dd>
                {p.annual.limit} <span className="muted small">(policy year {p.annual.year})</span>
              </dd>
              <dt>Used this policy year</dt>
              <dd>
                {p.annual.used}{" "}
                <progress max={100} value={p.annual.usedPercent} aria-label={`${p.annual.usedPercent}% of the yearly limit used`}>
                  {p.annual.usedPercent}%
                </progress>
              </dd>
              <dt>Left this policy year</dt>
              <dd>
                <strong>{p.annual.left}</strong>
              </dd>
              {p.excess ? (
                <>
                  <dt>Excess per claim</dt>
                  <dd>{p.excess}</dd>
                </>
              ) : null}
            </dl>
          ) : (
            <p>No yearly limit: each claim is paid up to the policy&apos;s cover.{p.excess ? ` Excess per claim: ${p.excess}.` : ""}</p>
          )}
          {p.claimTypes.length ? (
            <div className="table-wrap">
              <table className="data">
                <caption className="muted small">What you can claim for, from when, and the documents a claim needs</caption>
                <thead>
                  <tr>
                    <th scope="col">Kind of claim</th>
                    <th scope="col">Covered from</th>
                    <th scope="col">Documents needed</th>
                  </tr>
                </thead>
                <tbody>
                  {p.claimTypes.map((t) => (
                    <tr key={t.type}>
                      <td data-label="Kind of claim">{t.label}</td>
                      <td data-label="Covered from">
                        {t.coveredFrom}
                        {t.waiting ? <span className="badge badge-pending"> waiting period</span> : null}
                        {t.waitingDays ? <span className="muted small"> ({t.waitingDays}-day wait)</span> : null}
                      </td>
                      <td data-label="Documents needed">
                        <span className="break">{t.documents.length ? t.documents.join("; ") : "—"}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </article>
      ))}
    </div>
  );
}
