import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { withPlatform } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { requireOperator } from "~/modules/platform/operators.server";
import { storefrontOrigin } from "~/modules/platform/storefront.server";
import { listTenants } from "~/modules/platform/tenants.server";

// No form here: the list links to each agency and to onboarding.

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOperator(request);
  const tenants = await withPlatform((db) => listTenants(db));
  return json({
    tenants: tenants.map((t) => ({ ...t, storefront: storefrontOrigin(request, t.slug) })),
  });
}

export default function ConsoleAgencies() {
  const { tenants } = useLoaderData<typeof loader>();
  const suspended = tenants.filter((t) => t.status === "suspended").length;
  return (
    <section>
      <div className="page-head">
        <div>
          <h1>Agencies</h1>
          <p className="muted">
            {tenants.length === 0
              ? "No agencies yet."
              : `${tenants.length} ${tenants.length === 1 ? "agency" : "agencies"} on Covera${suspended ? `, ${suspended} suspended` : ""}.`}
          </p>
        </div>
        <div className="actions">
          <Link to="/console/account" className="btn btn-ghost">
            Your account
          </Link>
          <Link to="/console/tenants/new" className="btn btn-primary">
            Onboard an agency
          </Link>
        </div>
      </div>
      {tenants.length === 0 ? (
        <div className="card empty">
          <h2>No agencies yet</h2>
          <p>Onboard the first agency: it gets its own web address, and its first administrator is invited by email.</p>
          <Link to="/console/tenants/new" className="btn btn-primary">
            Onboard an agency
          </Link>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data console-table">
            <caption className="visually-hidden">Agencies on Covera</caption>
            <thead>
              <tr>
                <th scope="col">Agency</th>
                <th scope="col">Address</th>
                <th scope="col">Status</th>
                <th scope="col">Users</th>
                <th scope="col">Currency</th>
                <th scope="col">Locale and time zone</th>
                <th scope="col">Created (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {tenants.map((t) => (
                <tr key={t.id}>
                  <td data-label="Agency">
                    <div>
                      <Link to={`/console/tenants/${t.id}`}>
                        <strong>{t.name}</strong>
                      </Link>
                      <div className="muted small">{t.slug}</div>
                    </div>
                  </td>
                  <td data-label="Address">
                    <a href={t.storefront} target="_blank" rel="noreferrer">
                      {t.storefront.replace(/^https?:\/\//, "")}
                      <span className="visually-hidden"> (opens in a new tab)</span>
                    </a>
                  </td>
                  <td data-label="Status">
                    <span className={`badge badge-${t.status}`}>{t.status === "active" ? "Active" : "Suspended"}</span>
                  </td>
                  <td data-label="Users">{t.user_count}</td>
                  <td data-label="Currency">{t.currency}</td>
                  <td data-label="Locale and time zone">
                    {t.locale} · {t.time_zone}
                  </td>
                  <td data-label="Created (UTC)">
                    <time dateTime={t.created_at}>{formatDate(t.created_at, "en-GB", "UTC")}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Agencies");
