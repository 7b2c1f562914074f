import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export interface MonthBonusRow {
  key: string;
  agentId: string;
  agentNumber: string;
  agentName: string;
  kind: "performance_bonus" | "team_bonus";
  bonusName: string;
  levels: number | null;
  base: string;
  amount: string;
}

/** The month's bonuses on the close page (decision 048): what the close wrote, or will write. */
export function MonthBonuses({ bonuses, total, closed }: { bonuses: MonthBonusRow[]; total: string; closed: boolean }) {
  const { t } = useTranslation("admin-network");
  if (bonuses.length === 0) return null;
  return (
    <section className="card" aria-labelledby="bonuses-title">
      <h2 id="bonuses-title">{closed ? t("month.bonusesTitleClosed") : t("month.bonusesTitle", { total })}</h2>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t("agents.agent")}</th>
              <th scope="col">{t("month.bonus")}</th>
              <th scope="col">{t("month.bonusBase")}</th>
              <th scope="col">{t("month.bonusAmount")}</th>
            </tr>
          </thead>
          <tbody>
            {bonuses.map((b) => (
              <tr key={b.key}>
                <td data-label={t("agents.agent")}>
                  <span className="break">
                    <Link to={`/admin/agents/${b.agentId}`}>{b.agentNumber}</Link> {b.agentName}
                  </span>
                </td>
                <td data-label={t("month.bonus")}>
                  {t(`entryKind.${b.kind}`)} · {b.bonusName}
                  {b.levels ? ` · ${t("month.bonusLevels", { count: b.levels })}` : null}
                </td>
                <td data-label={t("month.bonusBase")}>{b.base}</td>
                <td data-label={t("month.bonusAmount")}>{b.amount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
