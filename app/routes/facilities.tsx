// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { CitySelect } from "~/components/facilities/city-select";
import { FacilityCard } from "~/components/facilities/facility-card";
import { Button } from "~/components/ui/button";
import { IgnoredFilters } from "~/components/ui/filters";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { readFilters } from "~/lib/search-params";
import { facilityPlaces } from "~/modules/facilities/directory.server";
import { FACILITY_KINDS, KIND_LABELS } from "~/modules/facilities/schemas";
import { facilitySearchSchema, searchFacilities, searchOf, SEARCH_LABELS } from "~/modules/facilities/search.server";
import { requireTenant } from "~/modules/tenancy/resolve.server";
import facilityStyles from "~/styles/facilities.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: facilityStyles }];

/** /facilities: the agency's panel hospitals and clinics, searched by place, type and name. Public. */
export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const { filters, ignored } = readFilters(facilitySearchSchema, new URL(request.url).searchParams, SEARCH_LABELS);
  const { result, places } = await withTenant(tenant.id, async (db) => ({
    result: await searchFacilities(db, searchOf(filters)),
    places: await facilityPlaces(db, { activeOnly: true }),
  }));
  return json({
    agency: tenant.name,
    form: { q: filters.q ?? "", state: filters.state ?? "", city: filters.city ?? "", kind: filters.kind ?? "", panel: filters.panel },
    ignored,
    places,
    ...result,
  });
}

export default function Facilities() {
  const { agency, form, ignored, places, facilities, total, next, previous } = useLoaderData<typeof loader>();
  const location = useLocation();
  const navigation = useNavigation();
  const panelOnly = form.panel === "only";
  const searched = Boolean(form.q || form.state || form.city || form.kind);
  // A page link keeps the search and swaps the cursor; the others drop it (a new search starts at page 1).
  const withParams = (changes: Record<string, string | null>) => {
    const params = new URLSearchParams(location.search);
    params.delete("cursor");
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) params.delete(key);
      else params.set(key, value);
    }
    const qs = params.toString();
    return qs ? `?${qs}` : location.pathname;
  };
  const what = (n: number) => `${panelOnly ? "panel " : ""}${facilityNoun(form.kind, n)}`;
  return (
    <div className="stack facilities-page">
      <div className="page-head">
        <div>
          <h1>{panelOnly ? "Panel hospitals and clinics" : "Hospitals and clinics"}</h1>
          <p className="muted">
            {panelOnly
              ? `Where members of ${agency} are treated under our arrangement. Search by place, type or name before you go.`
              : `Every hospital and clinic in the directory of ${agency}, on our panel or not.`}
          </p>
        </div>
      </div>

      <Form method="get" action="/facilities" className="card facility-search" role="search" aria-label="Search hospitals and clinics">
        <div className="facility-search-fields">
          <div className="field grow">
            <label htmlFor="facility-q">Name or place</label>
            <input id="facility-q" type="search" name="q" defaultValue={form.q} placeholder="e.g. specialist, Ipoh" />
          </div>
          <div className="field">
            <label htmlFor="facility-state">State</label>
            <select id="facility-state" name="state" defaultValue={form.state}>
              <option value="">All states</option>
              {places.map((p) => (
                <option key={p.state} value={p.state}>
                  {p.state}
                </option>
              ))}
            </select>
          </div>
          <CitySelect id="facility-city" label="City or town" any="All cities and towns" value={form.city} places={places} />
          <div className="field">
            <label htmlFor="facility-kind">Type</label>
            <select id="facility-kind" name="kind" defaultValue={form.kind}>
              <option value="">Hospitals and clinics</option>
              {FACILITY_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {KIND_LABELS[kind]}s
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset className="facility-panel-choice">
          <legend>Show</legend>
          <div className="checkbox">
            <input type="radio" id="facility-panel-only" name="panel" value="only" defaultChecked={panelOnly} />
            <label htmlFor="facility-panel-only">Our panel only</label>
          </div>
          <div className="checkbox">
            <input type="radio" id="facility-panel-all" name="panel" value="all" defaultChecked={!panelOnly} />
            <label htmlFor="facility-panel-all">All, on our panel or not</label>
          </div>
        </fieldset>
        <div className="actions">
          <Button type="submit" busy={navigation.state === "loading" && navigation.location.pathname === "/facilities"}>
            Search
          </Button>
          {searched || !panelOnly ? <Link to="/facilities">Clear</Link> : null}
        </div>
      </Form>
      <IgnoredFilters ignored={ignored} />

      <p className="muted" aria-live="polite" data-testid="result-count">
        {total} {what(total)}
        {searched ? (total === 1 ? " matches your search." : " match your search.") : "."}
      </p>

      {facilities.length === 0 ? (
        <div className="card empty">
          <p>
            {searched ? `No ${what(0)} match your search.` : `No ${what(0)} are listed yet.`}{" "}
            {panelOnly ? <Link to={withParams({ panel: "all" })}>Include facilities not on our panel</Link> : null}
            {panelOnly && searched ? " or " : null}
            {searched ? <Link to="/facilities">start again</Link> : null}
          </p>
        </div>
      ) : (
        <ul className="facility-list">
          {facilities.map((f) => (
            <li key={f.id}>
              <FacilityCard facility={f} />
            </li>
          ))}
        </ul>
      )}

      {next || previous ? (
        <nav className="pagination" aria-label="Pagination">
          {previous ? (
            <Link to={withParams({ cursor: previous })} rel="prev">
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          {next ? (
            <Link to={withParams({ cursor: next })} rel="next">
              Next →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  );
}

function facilityNoun(kind: string, n: number): string {
  if (kind) return n === 1 ? kind : `${kind}s`;
  return n === 1 ? "hospital or clinic" : "hospitals and clinics";
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Hospitals and clinics");
