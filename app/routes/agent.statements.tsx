import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { monthLabel } from "~/modules/commissions/months";
import { listMyStatements } from "~/modules/commissions/portal.server";
import { requireAgent } from "~/modules/network/current-agent.server";

/**
 * /agent/statements — one statement per closed month: what the agent earned, what is paid out,
 * how many entries, and its PDF (downloaded through a short-lived link signed for this agent).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "read:network:own");
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listMyStatements(db, agent.id, page));
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  return json({
    page,
    hasMore: result.hasMore,
    rows: result.rows.map((s) => ({
      id: s.id,
      month: monthLabel(s.month, tenant.locale),
      monthValue: s.month,
      earned: money(s.earnedMinor),
      payable: money(s.payableMinor),
      entries: s.entries,
      issued: formatDate(s.createdAt, tenant.locale, tenant.timeZone),
      ready: s.fileKey !== null,
    })),
  });
}

export default function AgentStatements() {
  const { page, hasMore, rows } = useLoaderData<typeof loader>();
  const { t } = useTranslation("agent");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("statements.title")}</h1>
          <p className="muted">{t("statements.intro")}</p>
        </div>
      </div>
      {rows.length === 0 ? (
        <div className="card empty">
          <p>
            <Trans t={t} i18nKey="statements.none" components={{ link: <Link to="/agent/commissions" /> }} />
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("statements.month")}</th>
                <th scope="col">{t("statements.earned")}</th>
                <th scope="col">{t("statements.payable")}</th>
                <th scope="col">{t("statements.entries")}</th>
                <th scope="col">{t("statements.pdf")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <td data-label={t("statements.month")}>
                    <span>
                      {s.month}
                      <br />
                      <span className="muted small">{t("statements.issued", { date: s.issued })}</span>
                    </span>
                  </td>
                  <td data-label={t("statements.earned")}>{s.earned}</td>
                  <td data-label={t("statements.payable")}>{s.payable}</td>
                  <td data-label={t("statements.entries")}>
                    <Link to={`/agent/commissions?month=${s.monthValue}`}>
                      {s.entries}
                      <span className="visually-hidden">{t("statements.entriesOf", { month: s.month })}</span>
                    </Link>
                  </td>
                  <td data-label={t("statements.pdf")}>
                    {s.ready ? (
                      <a href={`/agent/statements/${s.id}/download`} download>
                        <Trans
                          t={t}
                          i18nKey="statements.download"
                          values={{ month: s.month }}
                          components={{ hidden: <span className="visually-hidden" /> }}
                        />
                      </a>
                    ) : (
                      <span className="muted">{t("statements.preparing")}</span>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Statements");
