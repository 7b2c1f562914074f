import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CitySelect } from "~/components/facilities/city-select";
import { FacilityCard } from "~/components/facilities/facility-card";
import { Button } from "~/components/ui/button";
import { IgnoredFilters } from "~/components/ui/filters";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { readFilters } from "~/lib/search-params";
import { facilityPlaces } from "~/modules/facilities/directory.server";
import { FACILITY_KINDS } from "~/modules/facilities/schemas";
import { facilitySearchSchema, searchFacilities, searchOf, SEARCH_LABELS } from "~/modules/facilities/search.server";
import { serverT } from "~/modules/i18n/i18n.server";
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
  const t = await serverT(tenant.language, "facilities");
  return json({
    title: t("title"),
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
  const { t } = useTranslation("facilities");
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
  // "panel hospitals", "clinics", "hospitals and clinics"…: which facilities the search is about.
  const nounKey = `noun.${panelOnly ? "panel" : "all"}.${form.kind || "any"}`;
  return (
    <div className="stack facilities-page">
      <div className="page-head">
        <div>
          <h1>{panelOnly ? t("search.panelTitle") : t("title")}</h1>
          <p className="muted">{panelOnly ? t("search.panelIntro", { agency }) : t("search.allIntro", { agency })}</p>
        </div>
      </div>

      <Form method="get" action="/facilities" className="card facility-search" role="search" aria-label={t("search.label")}>
        <div className="facility-search-fields">
          <div className="field grow">
            <label htmlFor="facility-q">{t("search.q")}</label>
            <input id="facility-q" type="search" name="q" defaultValue={form.q} placeholder={t("search.qPlaceholder")} />
          </div>
          <div className="field">
            <label htmlFor="facility-state">{t("search.state")}</label>
            <select id="facility-state" name="state" defaultValue={form.state}>
              <option value="">{t("search.allStates")}</option>
              {places.map((p) => (
                <option key={p.state} value={p.state}>
                  {p.state}
                </option>
              ))}
            </select>
          </div>
          <CitySelect id="facility-city" label={t("search.city")} any={t("search.allCities")} value={form.city} places={places} />
          <div className="field">
            <label htmlFor="facility-kind">{t("search.kind")}</label>
            <select id="facility-kind" name="kind" defaultValue={form.kind}>
              <option value="">{t("title")}</option>
              {FACILITY_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`kinds.${kind}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset className="facility-panel-choice">
          <legend>{t("search.show")}</legend>
          <div className="checkbox">
            <input type="radio" id="facility-panel-only" name="panel" value="only" defaultChecked={panelOnly} />
            <label htmlFor="facility-panel-only">{t("search.panelOnly")}</label>
          </div>
          <div className="checkbox">
            <input type="radio" id="facility-panel-all" name="panel" value="all" defaultChecked={!panelOnly} />
            <label htmlFor="facility-panel-all">{t("search.panelAll")}</label>
          </div>
        </fieldset>
        <div className="actions">
          <Button type="submit" busy={navigation.state === "loading" && navigation.location.pathname === "/facilities"}>
            {t("search.submit")}
          </Button>
          {searched || !panelOnly ? <Link to="/facilities">{t("search.clear")}</Link> : null}
        </div>
      </Form>
      <IgnoredFilters ignored={ignored} />

      <p className="muted" aria-live="polite" data-testid="result-count">
        {t(searched ? "search.countSearched" : "search.count", { count: total, what: t(`${nounKey}Count`, { count: total }) })}
      </p>

      {facilities.length === 0 ? (
        <div className="card empty">
          <p>
            {searched ? t("search.noneSearched", { what: t(nounKey) }) : t("search.none", { what: t(nounKey) })}{" "}
            {panelOnly ? <Link to={withParams({ panel: "all" })}>{t("search.includeAll")}</Link> : null}
            {panelOnly && searched ? ` ${t("search.or")} ` : null}
            {searched ? <Link to="/facilities">{t("search.startAgain")}</Link> : null}
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
        <nav className="pagination" aria-label={t("pagination.label", { ns: "common" })}>
          {previous ? (
            <Link to={withParams({ cursor: previous })} rel="prev">
              {t("pagination.previous", { ns: "common" })}
            </Link>
          ) : (
            <span />
          )}
          {next ? (
            <Link to={withParams({ cursor: next })} rel="next">
              {t("pagination.next", { ns: "common" })}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Hospitals and clinics");
