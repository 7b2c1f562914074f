import { Link } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Alert } from "~/components/ui/alert";
import { formatMoney } from "~/lib/money";
import type { SaleStage } from "./stage";

type Line = SaleStage<"details">["commission"][number];

/**
 * What this sale earns, shown while it is being made (issue 16 §5): the agent's own share of the
 * first payment and of each later instalment, each upline tier's by its number (the portal names
 * no uplines), and why the agent would not earn theirs if they would not.
 */
export function SaleCommission({ lines, currency, locale }: { lines: Line[]; currency: string; locale: string }) {
  const { t } = useTranslation("agent");
  const money = (minor: number) => formatMoney(minor, currency, locale);
  return (
    <section className="card stack sale-commission" aria-labelledby="sale-commission-title">
      <h2 id="sale-commission-title">{t("earnings.saleTitle")}</h2>
      {lines.map((line, index) => (
        <div key={index} className="stack">
          {lines.length > 1 ? <h3>{line.productName}</h3> : null}
          {line.paysCommission ? (
            <>
              <Standing line={line} t={t} />
              <CapLeft line={line} t={t} money={money} />
              <div className="table-wrap">
                <table className="data">
                  <caption className="visually-hidden">
                    {t("earnings.caption", { product: line.productName, frequency: t(`frequency.${line.frequency}`) })}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("earnings.tier")}</th>
                      <th scope="col">{t("earnings.firstPayment", { amount: money(line.firstBaseMinor) })}</th>
                      {line.laterBaseMinor !== null ? (
                        <th scope="col">{t("earnings.laterPayment", { amount: money(line.laterBaseMinor) })}</th>
                      ) : null}
                    </tr>
                  </thead>
                  <tbody>
                    {line.tiers.map((tier) => (
                      <tr key={tier.tier}>
                        <th scope="row">{tierLabel(tier.tier, t)}</th>
                        <td data-label={t("earnings.firstPayment", { amount: money(line.firstBaseMinor) })}>{money(tier.firstMinor)}</td>
                        {line.laterBaseMinor !== null ? (
                          <td data-label={t("earnings.laterPayment", { amount: money(line.laterBaseMinor) })}>
                            {money(tier.laterMinor ?? 0)}
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="muted small">
                {line.laterBaseMinor !== null ? `${t("earnings.laterNote")} ` : ""}
                {t("earnings.uplinesNote")}
              </p>
            </>
          ) : (
            <p>{t("earnings.none", { product: line.productName, frequency: t(`frequency.${line.frequency}`) })}</p>
          )}
        </div>
      ))}
      <p className="small">
        <Link to="/agent/commission-structure">{t("earnings.structureLink")}</Link>
      </p>
    </section>
  );
}

/** "You (tier 1)" for the agent, "Tier 3 upline" above them. */
export function tierLabel(tier: number, t: TFunction): string {
  return tier === 1 ? t("earnings.you") : t("earnings.uplineTier", { tier });
}

/** Running caps: when the agent's own share of this sale is over what is left of their monthly cap, what they will be paid. */
function CapLeft({ line, t, money }: { line: Line; t: TFunction; money: (minor: number) => string }) {
  const own = line.tiers[0];
  const cap = own?.capMinor;
  if (line.capLeftMinor === null || !own || cap == null || own.firstMinor <= line.capLeftMinor) return null;
  return (
    <Alert tone="info" title={t("earnings.capTitle")}>
      {line.capLeftMinor === 0
        ? t("earnings.capReached", { cap: money(cap) })
        : t("earnings.capLeft", { left: money(line.capLeftMinor), cap: money(cap) })}
    </Alert>
  );
}

function Standing({ line, t }: { line: Line; t: TFunction }) {
  const you = line.you;
  if (you.qualifies) return null;
  return (
    <Alert tone="warning" title={t("earnings.notEarningTitle")}>
      {you.reason === "inactive" ? t("earnings.inactive") : t("earnings.needSales", { count: you.needed })}
    </Alert>
  );
}
