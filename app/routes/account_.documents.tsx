// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
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

/** /account/documents: every certificate, receipt, letter and upload of the signed-in person. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const data = await withTenant(tenant.id, (db) => documentsPageData(db, request, tenant, user.id));
  return json(data, { headers: { "Cache-Control": "private, no-store" } });
}

export default function MyDocuments() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>Documents</h1>
          <p className="muted">Your certificates, receipts, letters and the documents you sent us, newest first.</p>
        </div>
        {data.rows.length > 0 ? (
          <a href={data.zipHref} className="btn btn-secondary" download>
            {data.filtered ? "Download these as a ZIP" : "Download all as a ZIP"}
          </a>
        ) : null}
      </div>
      <AccountNav />
      <Form method="get" className="filters" role="search" aria-label="Filter documents">
        <div className="field">
          <label htmlFor="documents-q">Search</label>
          <input id="documents-q" type="search" name="q" defaultValue={data.filters.q} placeholder="Name or policy number" />
        </div>
        <FilterSelect id="documents-kind" name="kind" label="Kind" any="All kinds" value={data.filters.kind} options={data.kinds} />
        <FilterSelect
          id="documents-policy"
          name="policy"
          label="Policy"
          any="All policies"
          value={data.filters.policy}
          options={data.policies}
        />
        <FilterActions path="/account/documents" filtered={data.filtered} />
      </Form>
      <IgnoredFilters ignored={data.ignored} />
      {data.rows.length === 0 ? (
        <div className="card empty-state">
          <p className="empty">
            {data.page > 1
              ? "There are no more documents."
              : data.filtered
                ? "No documents match this search."
                : "You have no documents yet. Certificates and receipts appear here once you buy cover."}
          </p>
          {data.filtered ? null : (
            <Link to="/products" className="btn btn-primary">
              Browse insurance
            </Link>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data documents-table">
            <caption className="visually-hidden">Your documents, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Document</th>
                <th scope="col">Kind</th>
                <th scope="col">Policy</th>
                <th scope="col">Date</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((d) => (
                <tr key={d.key}>
                  <th scope="row" data-label="Document">
                    <a href={d.href} download aria-label={`Download ${d.title}`}>
                      {d.title}
                    </a>
                    <br />
                    <span className="muted small">{d.filename}</span>
                  </th>
                  <td data-label="Kind">{d.kind}</td>
                  <td data-label="Policy">{d.policyNumbers ?? <span className="muted">—</span>}</td>
                  <td data-label="Date">
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Documents");
