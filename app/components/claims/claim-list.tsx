import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { Pagination } from "~/components/ui/pagination";
import type { ClaimListData } from "~/modules/claims/page.server";

/**
 * A list of claims with its filters in the URL (a plain GET form), for the claimant's account and
 * the agent's portal (`basePath` says where each claim opens; agents also see whose claim it is).
 */
export function ClaimList({ data, basePath, showClaimant = false }: { data: ClaimListData; basePath: string; showClaimant?: boolean }) {
  const { t } = useTranslation("claims");
  return (
    <>
      <Form method="get" className="filters" role="search" aria-label={t("list.filter")}>
        <FilterSelect
          id="claims-status"
          name="status"
          label={t("list.status")}
          any={t("list.anyStatus")}
          value={data.filters.status}
          options={data.statuses}
        />
        <div className="field">
          <label htmlFor="claims-from">{t("list.incidentFrom")}</label>
          <input id="claims-from" type="date" name="from" defaultValue={data.filters.from} />
        </div>
        <div className="field">
          <label htmlFor="claims-to">{t("list.incidentTo")}</label>
          <input id="claims-to" type="date" name="to" defaultValue={data.filters.to} />
        </div>
        {data.filters.policy ? <input type="hidden" name="policy" value={data.filters.policy} /> : null}
        <FilterActions path={basePath} filtered={data.filtered} />
      </Form>
      <IgnoredFilters ignored={data.ignored} />
      {data.rows.length === 0 ? (
        <div className="card empty-state">
          <p className="empty">{data.page > 1 ? t("list.noMore") : data.filtered ? t("list.noMatch") : t("list.none")}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("list.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("list.claim")}</th>
                {showClaimant ? <th scope="col">{t("list.member")}</th> : null}
                <th scope="col">{t("list.whatHappened")}</th>
                <th scope="col">{t("list.policy")}</th>
                <th scope="col">{t("list.incident")}</th>
                <th scope="col">{t("list.claimed")}</th>
                <th scope="col">{t("list.status")}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`${basePath}/${r.id}`}>{r.claimNumber}</Link>
                  </th>
                  {showClaimant ? <td>{r.claimantName}</td> : null}
                  <td>{r.typeLabel}</td>
                  <td>
                    {r.productName}
                    <br />
                    <span className="muted small">{r.policyNumber}</span>
                  </td>
                  <td>{r.incidentDate}</td>
                  <td>
                    {r.claimed}
                    {r.payable ? <span className="muted small"> {t("list.paying", { amount: r.payable })}</span> : null}
                  </td>
                  <td>
                    <span className={`badge badge-${r.statusTone}`}>{r.statusLabel}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} hasMore={data.hasMore} />
    </>
  );
}
