// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { CitySelect } from "~/components/facilities/city-select";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { readFilters } from "~/lib/search-params";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { facilityPlaces, listFacilities, listFilters } from "~/modules/facilities/directory.server";
import { FACILITY_KINDS, facilityListFiltersSchema, KIND_LABELS, LIST_FILTER_LABELS } from "~/modules/facilities/schemas";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:facility:any");
  const { filters, ignored } = readFilters(facilityListFiltersSchema, new URL(request.url).searchParams, LIST_FILTER_LABELS);
  const page = pageFrom(request);
  const { result, places } = await withTenant(tenant.id, async (db) => ({
    result: await listFacilities(db, { ...listFilters(filters), page }),
    places: await facilityPlaces(db, { activeOnly: false }),
  }));
  return json({
    filters: {
      q: filters.q ?? "",
      state: filters.state ?? "",
      city: filters.city ?? "",
      kind: filters.kind ?? "",
      panel: filters.panel ?? "",
      status: filters.status ?? "",
    },
    ignored,
    places,
    page,
    hasMore: result.hasMore,
    total: result.total,
    canManage: can(user.roles, "manage:facility:any"),
    facilities: result.rows.map((f) => ({
      id: f.id,
      name: f.name,
      kind: KIND_LABELS[f.kind],
      place: [f.city, f.state].join(", "),
      phone: f.phone,
      panel: f.panel,
      active: f.status === "active",
    })),
  });
}

export default function AdminFacilities() {
  const { filters, ignored, places, page, hasMore, total, canManage, facilities } = useLoaderData<typeof loader>();
  const location = useLocation();
  const filtered = Object.values(filters).some(Boolean);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Hospitals and clinics</h1>
          <p className="muted">
            {total === 1 ? "1 facility" : `${total} facilities`}
            {filtered ? (total === 1 ? " matches these filters" : " match these filters") : " in your directory"}. Active ones are listed on
            your <a href="/facilities">public search page</a>.
          </p>
        </div>
        <div className="actions">
          {canManage ? (
            <>
              <Link to="/admin/facilities/new" className="btn btn-primary">
                Add a facility
              </Link>
              <Link to="/admin/facilities/import" className="btn btn-secondary">
                Upload a CSV
              </Link>
            </>
          ) : null}
          <a href={`/admin/facilities.csv${location.search}`} className="btn btn-secondary" download>
            Download as CSV
          </a>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter facilities">
        <div className="field grow">
          <label htmlFor="facilities-q">Name or place</label>
          <input id="facilities-q" type="search" name="q" defaultValue={filters.q} placeholder="e.g. specialist" />
        </div>
        <FilterSelect
          id="facilities-state"
          name="state"
          label="State"
          any="All states"
          value={filters.state}
          options={places.map((p) => ({ value: p.state, label: p.state }))}
        />
        <CitySelect id="facilities-city" label="City" any="All cities" value={filters.city} places={places} />
        <FilterSelect
          id="facilities-kind"
          name="kind"
          label="Type"
          any="Hospitals and clinics"
          value={filters.kind}
          options={FACILITY_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
        />
        <FilterSelect
          id="facilities-panel"
          name="panel"
          label="Panel"
          any="Panel or not"
          value={filters.panel}
          options={[
            { value: "yes", label: "On the panel" },
            { value: "no", label: "Not on the panel" },
          ]}
        />
        <FilterSelect
          id="facilities-status"
          name="status"
          label="Status"
          any="Any status"
          value={filters.status}
          options={[
            { value: "active", label: "Active" },
            { value: "inactive", label: "Inactive" },
          ]}
        />
        <FilterActions path="/admin/facilities" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />
      {facilities.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              No facility matches these filters. <Link to="/admin/facilities">Show them all</Link>
            </p>
          ) : (
            <p>
              No hospitals or clinics yet.{" "}
              {canManage ? (
                <>
                  <Link to="/admin/facilities/new">Add one</Link> or <Link to="/admin/facilities/import">upload a CSV file</Link>.
                </>
              ) : null}
            </p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Facility</th>
                <th scope="col">Type</th>
                <th scope="col">Place</th>
                <th scope="col">Phone</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {facilities.map((f) => (
                <tr key={f.id}>
                  <td data-label="Facility">
                    <Link to={`/admin/facilities/${f.id}`}>{f.name}</Link>
                  </td>
                  <td data-label="Type">{f.kind}</td>
                  <td data-label="Place">{f.place}</td>
                  <td data-label="Phone">{f.phone || "—"}</td>
                  <td data-label="Status">
                    <span className="badges">
                      {f.active ? (
                        <span className="badge badge-active">Active</span>
                      ) : (
                        <span className="badge badge-suspended">Inactive</span>
                      )}
                      {f.panel ? <span className="badge">Panel</span> : <span className="badge badge-pending">Not on the panel</span>}
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Hospitals and clinics");
