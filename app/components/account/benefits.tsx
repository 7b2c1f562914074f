import { PolicyBadge } from "~/components/account/status";
import type { BenefitsView } from "~/modules/members/benefits.server";
import { useTranslation } from "react-i18next";

/**
 * A member's benefits per policy (app/modules/members/benefits.server.ts): the yearly limit, used
 * and left this policy year, the excess, and per kind of claim its waiting period and documents.
 * The same on the member's own page, their agent's and staff's.
 */
export function BenefitsList({ policies, empty }: { policies: BenefitsView; empty: string }) {
  const { t } = useTranslation("account");
  if (policies.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="stack">
      {policies.map((p) => (
        <article key={p.policyId} className="card stack" aria-labelledby={`benefits-${p.policyId}`}>
          <h3 id={`benefits-${p.policyId}`}>
            {p.productName} <span className="muted small">· {t("benefits.policy", { number: p.policyNumber })}</span>{" "}
            <PolicyBadge status={p.status} />
          </h3>
          <p className="muted small">
            {p.end ? t("benefits.cover", { start: p.start, end: p.end }) : t("benefits.coverFrom", { start: p.start })}
          </p>
          {p.annual ? (
            <dl className="details-list">
              <dt>{t("benefits.yearlyLimit")}</dt>
              <dd>
                {p.annual.limit}{" "}
                <span className="muted small">({t("benefits.policyYear", { start: p.annual.yearStart, end: p.annual.yearEnd })})</span>
              </dd>
              <dt>{t("benefits.used")}</dt>
              <dd>
                {p.annual.used}{" "}
                <progress max={100} value={p.annual.usedPercent} aria-label={t("benefits.usedLabel", { percent: p.annual.usedPercent })}>
                  {p.annual.usedPercent}%
                </progress>
              </dd>
              <dt>{t("benefits.left")}</dt>
              <dd>
                <strong>{p.annual.left}</strong>
              </dd>
              {p.excess ? (
                <>
                  <dt>{t("benefits.excess")}</dt>
                  <dd>{p.excess}</dd>
                </>
              ) : null}
            </dl>
          ) : (
            <p>{p.excess ? t("benefits.noLimitExcess", { excess: p.excess }) : t("benefits.noLimit")}</p>
          )}
          {p.claimTypes.length ? (
            <div className="table-wrap">
              <table className="data">
                <caption className="muted small">{t("benefits.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("benefits.kind")}</th>
                    <th scope="col">{t("benefits.coveredFrom")}</th>
                    <th scope="col">{t("benefits.documents")}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.claimTypes.map((c) => (
                    <tr key={c.type}>
                      <td data-label={t("benefits.kind")}>{c.label}</td>
                      <td data-label={t("benefits.coveredFrom")}>
                        {c.coveredFrom}
                        {c.waiting ? <span className="badge badge-pending"> {t("benefits.waiting")}</span> : null}
                        {c.waitingDays ? <span className="muted small"> ({t("benefits.waitDays", { count: c.waitingDays })})</span> : null}
                      </td>
                      <td data-label={t("benefits.documents")}>
                        <span className="break">{c.documents.length ? c.documents.join("; ") : "—"}</span>
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
