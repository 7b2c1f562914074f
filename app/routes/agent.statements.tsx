import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
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
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Statements</h1>
          <p className="muted">A statement is made for every month the agency closes, with the entries it approved and what it pays you.</p>
        </div>
      </div>
      {rows.length === 0 ? (
        <div className="card empty">
          <p>
            No statement yet. Your first arrives when the agency closes a month in which you earned commission. Until then, see your{" "}
            <Link to="/agent/commissions">commission entries</Link>.
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Earned</th>
                <th scope="col">Payable</th>
                <th scope="col">Entries</th>
                <th scope="col">PDF</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <td data-label="Month">
                    <span>
                      {s.month}
                      <br />
                      <span className="muted small">Issued {s.issued}</span>
                    </span>
                  </td>
                  <td data-label="Earned">{s.earned}</td>
                  <td data-label="Payable">{s.payable}</td>
                  <td data-label="Entries">
                    <Link to={`/agent/commissions?month=${s.monthValue}`}>
                      {s.entries}
                      <span className="visually-hidden"> entries of {s.month}</span>
                    </Link>
                  </td>
                  <td data-label="PDF">
                    {s.ready ? (
                      <a href={`/agent/statements/${s.id}/download`} download>
                        Download<span className="visually-hidden"> the statement of {s.month}</span> (PDF)
                      </a>
                    ) : (
                      <span className="muted">Being prepared — reload this page in a minute</span>
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
