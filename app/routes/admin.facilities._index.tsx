import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { CitySelect } from "~/components/facilities/city-select";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { readFilters } from "~/lib/search-params";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { facilityPlaces, listFacilities, listFilters } from "~/modules/facilities/directory.server";
import { FACILITY_KINDS, facilityListFiltersSchema, LIST_FILTER_LABELS } from "~/modules/facilities/schemas";
import { serverT } from "~/modules/i18n/i18n.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:facility:any");
  const { filters, ignored } = readFilters(facilityListFiltersSchema, new URL(request.url).searchParams, LIST_FILTER_LABELS);
  const page = pageFrom(request);
  const { result, places } = await withTenant(tenant.id, async (db) => ({
    result: await listFacilities(db, { ...listFilters(filters), page }),
    places: await facilityPlaces(db, { activeOnly: false }),
  }));
  const t = await serverT(tenant.language, "facilities");
  return json({
    title: t("title"),
    kinds: FACILITY_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })),
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
      kind: t(`kind.${f.kind}`),
      place: [f.city, f.state].join(", "),
      phone: f.phone,
      panel: f.panel,
      active: f.status === "active",
    })),
  });
}

export default function AdminFacilities() {
  const { filters, kinds, ignored, places, page, hasMore, total, canManage, facilities } = useLoaderData<typeof loader>();
  const { t } = useTranslation("facilities");
  const location = useLocation();
  const filtered = Object.values(filters).some(Boolean);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("title")}</h1>
          <p className="muted">
            {filtered ? t("list.countFiltered", { count: total }) : t("list.count", { count: total })}{" "}
            <Trans t={t} i18nKey="list.public" components={{ public: <Link to="/facilities" reloadDocument /> }} />
          </p>
        </div>
        <div className="actions">
          {canManage ? (
            <>
              <Link to="/admin/facilities/new" className="btn btn-primary">
                {t("list.add")}
              </Link>
              <Link to="/admin/facilities/import" className="btn btn-secondary">
                {t("list.upload")}
              </Link>
            </>
          ) : null}
          <a href={`/admin/facilities.csv${location.search}`} className="btn btn-secondary" download>
            {t("list.download")}
          </a>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("list.filter")}>
        <div className="field grow">
          <label htmlFor="facilities-q">{t("search.q")}</label>
          <input id="facilities-q" type="search" name="q" defaultValue={filters.q} placeholder={t("list.qPlaceholder")} />
        </div>
        <FilterSelect
          id="facilities-state"
          name="state"
          label={t("search.state")}
          any={t("search.allStates")}
          value={filters.state}
          options={places.map((p) => ({ value: p.state, label: p.state }))}
        />
        <CitySelect id="facilities-city" label={t("list.city")} any={t("list.allCities")} value={filters.city} places={places} />
        <FilterSelect id="facilities-kind" name="kind" label={t("search.kind")} any={t("title")} value={filters.kind} options={kinds} />
        <FilterSelect
          id="facilities-panel"
          name="panel"
          label={t("list.panel")}
          any={t("list.panelAny")}
          value={filters.panel}
          options={[
            { value: "yes", label: t("list.onPanel") },
            { value: "no", label: t("list.notOnPanel") },
          ]}
        />
        <FilterSelect
          id="facilities-status"
          name="status"
          label={t("list.status")}
          any={t("list.anyStatus")}
          value={filters.status}
          options={[
            { value: "active", label: t("list.active") },
            { value: "inactive", label: t("list.inactive") },
          ]}
        />
        <FilterActions path="/admin/facilities" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />
      {facilities.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {t("list.noMatch")} <Link to="/admin/facilities">{t("list.showAll")}</Link>
            </p>
          ) : (
            <p>
              {t("list.empty")}{" "}
              {canManage ? (
                <Trans
                  t={t}
                  i18nKey="list.emptyManage"
                  components={{ add: <Link to="/admin/facilities/new" />, upload: <Link to="/admin/facilities/import" /> }}
                />
              ) : null}
            </p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("list.facility")}</th>
                <th scope="col">{t("search.kind")}</th>
                <th scope="col">{t("list.place")}</th>
                <th scope="col">{t("list.phone")}</th>
                <th scope="col">{t("list.status")}</th>
              </tr>
            </thead>
            <tbody>
              {facilities.map((f) => (
                <tr key={f.id}>
                  <td data-label={t("list.facility")}>
                    <Link to={`/admin/facilities/${f.id}`}>{f.name}</Link>
                  </td>
                  <td data-label={t("search.kind")}>{f.kind}</td>
                  <td data-label={t("list.place")}>{f.place}</td>
                  <td data-label={t("list.phone")}>{f.phone || "—"}</td>
                  <td data-label={t("list.status")}>
                    <span className="badges">
                      {f.active ? (
                        <span className="badge badge-active">{t("list.active")}</span>
                      ) : (
                        <span className="badge badge-suspended">{t("list.inactive")}</span>
                      )}
                      {f.panel ? (
                        <span className="badge">{t("card.panel")}</span>
                      ) : (
                        <span className="badge badge-pending">{t("list.notOnPanel")}</span>
                      )}
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Hospitals and clinics");
