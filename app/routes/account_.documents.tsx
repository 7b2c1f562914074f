import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { requireUser } from "~/modules/auth/guards.server";
import { documentsPageData } from "~/modules/my-documents/page.server";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

/** /account/documents: every certificate, receipt, letter and upload of the signed-in person. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const t = await serverT(tenant.language, "account");
  const data = await withTenant(tenant.id, (db) => documentsPageData(db, request, tenant, user.id, t));
  return json({ ...data, title: t("documentsPage.title") }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function MyDocuments() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("account");
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("documentsPage.title")}</h1>
          <p className="muted">{t("documentsPage.intro")}</p>
        </div>
        {data.rows.length > 0 ? (
          <a href={data.zipHref} className="btn btn-secondary" download>
            {data.filtered ? t("documentsPage.zipThese") : t("documentsPage.zipAll")}
          </a>
        ) : null}
      </div>
      <AccountNav />
      <Form method="get" className="filters" role="search" aria-label={t("documentsPage.filter")}>
        <div className="field">
          <label htmlFor="documents-q">{t("documentsPage.search")}</label>
          <input id="documents-q" type="search" name="q" defaultValue={data.filters.q} placeholder={t("documentsPage.searchPlaceholder")} />
        </div>
        <FilterSelect
          id="documents-kind"
          name="kind"
          label={t("documentsPage.kindLabel")}
          any={t("documentsPage.allKinds")}
          value={data.filters.kind}
          options={data.kinds}
        />
        <FilterSelect
          id="documents-policy"
          name="policy"
          label={t("documentsPage.policy")}
          any={t("documentsPage.allPolicies")}
          value={data.filters.policy}
          options={data.policies}
        />
        <FilterActions path="/account/documents" filtered={data.filtered} label={t("documentsPage.filterButton")} />
      </Form>
      <IgnoredFilters ignored={data.ignored} />
      {data.rows.length === 0 ? (
        <div className="card empty-state">
          <p className="empty">
            {data.page > 1 ? t("documentsPage.noMore") : data.filtered ? t("documentsPage.noMatch") : t("documentsPage.none")}
          </p>
          {data.filtered ? null : (
            <Link to="/products" className="btn btn-primary">
              {t("policies.browse")}
            </Link>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data documents-table">
            <caption className="visually-hidden">{t("documentsPage.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("documentsPage.document")}</th>
                <th scope="col">{t("documentsPage.kindLabel")}</th>
                <th scope="col">{t("documentsPage.policy")}</th>
                <th scope="col">{t("payments.date")}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((d) => (
                <tr key={d.key}>
                  <th scope="row" data-label={t("documentsPage.document")}>
                    <a href={d.href} download aria-label={t("documentsPage.download", { title: d.title })}>
                      {d.title}
                    </a>
                    <br />
                    <span className="muted small">{d.filename}</span>
                  </th>
                  <td data-label={t("documentsPage.kindLabel")}>{d.kind}</td>
                  <td data-label={t("documentsPage.policy")}>{d.policyNumbers ?? <span className="muted">—</span>}</td>
                  <td data-label={t("payments.date")}>
                    <time dateTime={d.dateIso}>{d.date}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} hasMore={data.hasMore} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Documents");
