import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { DisputeStatusBadge } from "~/components/commissions/badges";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { agentIdByNumber } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { listDisputes } from "~/modules/commissions/disputes.server";
import { DISPUTE_STATUS_LABELS } from "~/modules/commissions/labels";
import { serverT } from "~/modules/i18n/i18n.server";
import { monthLabel } from "~/modules/commissions/months";
import { lineText } from "~/lib/text";

const filtersSchema = z.object({
  status: z.enum(["open", "rejected", "adjusted"]).optional().catch(undefined),
  agent: lineText()
    .regex(/^\d{5,6}$/)
    .optional()
    .catch(undefined),
});

/** /admin/commissions/disputes — agents' disputes of their commission entries, open ones first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireNetworkPermission(request, "read:commission:any");
  const params = new URL(request.url).searchParams;
  const filters = filtersSchema.parse({ status: params.get("status") || undefined, agent: params.get("agent") || undefined });
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, async (db) => {
    const agentId = filters.agent ? await agentIdByNumber(db, filters.agent) : undefined;
    if (filters.agent && !agentId) return { rows: [], total: 0, pageSize: 25 };
    return listDisputes(db, { agentId, status: filters.status, page });
  });
  return json({
    title: (await serverT(tenant.language, "admin-network"))("disputes.title"),
    filters: { status: filters.status ?? "", agent: filters.agent ?? "" },
    filtered: Boolean(filters.status || filters.agent),
    invalidAgent: Boolean(params.get("agent") && !filters.agent),
    page,
    hasMore: page * result.pageSize < result.total,
    total: result.total,
    rows: result.rows.map((d) => ({
      id: d.id,
      status: d.status,
      reason: d.reason,
      opened: formatDateTime(d.createdAt, tenant.locale, tenant.timeZone),
      resolved: d.resolvedAt ? formatDateTime(d.resolvedAt, tenant.locale, tenant.timeZone) : null,
      agentId: d.agentId,
      agentNumber: d.agentNumber,
      agentName: d.agentName,
      amount: formatMoney(d.entryAmountMinor, d.currency, tenant.locale),
      month: monthLabel(d.month, tenant.locale),
      product: d.productName,
      tier: d.tier,
    })),
  });
}

export default function CommissionDisputes() {
  const { filters, filtered, invalidAgent, page, hasMore, total, rows } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-network");
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>{t("commissionsNav.disputes")}</h1>
          <p className="muted">{t("disputes.intro")}</p>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("disputes.filter")}>
        <div className="field">
          <label htmlFor="disputes-agent">{t("disputes.agentNumber")}</label>
          <input
            id="disputes-agent"
            type="search"
            name="agent"
            inputMode="numeric"
            defaultValue={filters.agent}
            placeholder={t("disputes.agentExample")}
          />
        </div>
        <div className="field">
          <label htmlFor="disputes-status">{t("agents.status")}</label>
          <select id="disputes-status" name="status" defaultValue={filters.status}>
            <option value="">{t("ledger.anyStatus")}</option>
            {Object.keys(DISPUTE_STATUS_LABELS).map((value) => (
              <option key={value} value={value}>
                {t(`disputeStatus.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary">
          {t("filter")}
        </Button>
        {filtered || invalidAgent ? <Link to="/admin/commissions/disputes">{t("disputes.clear")}</Link> : null}
      </Form>
      {invalidAgent ? <p className="field-error">{t("disputes.invalidAgent")}</p> : null}
      <p className="muted small">{t(filtered ? "disputes.countMatching" : "disputes.count", { count: total })}</p>
      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {t("disputes.noMatch")} <Link to="/admin/commissions/disputes">{t("disputes.showAll")}</Link>
            </p>
          ) : (
            <p>{t("disputes.none")}</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("disputes.opened")}</th>
                <th scope="col">{t("agents.agent")}</th>
                <th scope="col">{t("ledger.entry")}</th>
                <th scope="col">{t("agent.reason")}</th>
                <th scope="col">{t("agents.status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td data-label={t("disputes.opened")}>
                    <Link to={`/admin/commissions/disputes/${d.id}`}>{d.opened}</Link>
                  </td>
                  <td data-label={t("agents.agent")}>
                    <span className="break">
                      {d.agentNumber} {d.agentName}
                    </span>
                  </td>
                  <td data-label={t("ledger.entry")}>
                    <span className="break">
                      {d.amount}
                      {d.tier ? ` · T${d.tier}` : ""}
                      <br />
                      <span className="muted small">
                        {d.product ? `${d.product} · ` : ""}
                        {d.month}
                      </span>
                    </span>
                  </td>
                  <td data-label={t("agent.reason")}>
                    <span className="break">{d.reason.length > 140 ? `${d.reason.slice(0, 140)}…` : d.reason}</span>
                  </td>
                  <td data-label={t("agents.status")}>
                    <span>
                      <DisputeStatusBadge status={d.status} label={t(`disputeStatus.${d.status}`)} />
                      {d.resolved ? <span className="muted small"> {d.resolved}</span> : null}
                    </span>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Commission disputes");
