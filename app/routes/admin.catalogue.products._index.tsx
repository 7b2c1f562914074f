import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { FilterActions, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { can } from "~/modules/auth/permissions";
import { listAdminProducts } from "~/modules/catalogue/admin-products.server";
import { productChoices } from "~/modules/catalogue/admin.server";
import { readFilters } from "~/lib/search-params";
import { lineText } from "~/lib/text";

// A bad filter value is ignored (and said) rather than refused: these come from shareable URLs.
const filtersSchema = z.object({
  q: lineText().max(100).optional(),
  category: lineText().uuid().optional(),
  insurer: lineText().uuid().optional(),
  status: z.enum(["all", "visible", "active", "inactive"]).default("all"),
});

const STATUSES = ["all", "visible", "active", "inactive"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:catalogue:any");
  const { filters, ignored } = readFilters(filtersSchema, new URL(request.url).searchParams);
  const page = pageFrom(request);
  const { result, choices } = await withTenant(tenant.id, async (db) => ({
    result: await listAdminProducts(db, {
      page,
      q: filters.q,
      categoryId: filters.category,
      insurerId: filters.insurer,
      status: filters.status,
    }),
    choices: await productChoices(db),
  }));
  const t = await serverT(tenant.language, "admin-catalogue");
  return json({
    title: t("nav.products"),
    filters: { q: filters.q ?? "", category: filters.category ?? "", insurer: filters.insurer ?? "", status: filters.status },
    choices,
    ignored,
    page,
    hasMore: result.hasMore,
    total: result.total,
    canManage: can(user.roles, "manage:catalogue:any"),
    products: result.rows.map((p) => ({
      id: p.id,
      name: p.name,
      slug: p.slug,
      category: p.category_name,
      insurer: p.insurer_name,
      from: formatMoney(p.starting_price_minor, tenant.currency, tenant.locale),
      active: p.active,
      // Active but not shown: its insurer or category is switched off.
      hiddenBy: p.active && (!p.insurer_active || !p.category_active) ? (!p.insurer_active ? "insurer" : "category") : null,
      featured: p.featured,
    })),
  });
}

export default function AdminProducts() {
  const { ignored, filters, choices, page, hasMore, total, products, canManage } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-catalogue");
  const filtered = Boolean(filters.q || filters.category || filters.insurer || filters.status !== "all");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("nav.products")}</h1>
          <p className="muted">{filtered ? t("productList.countFiltered", { count: total }) : t("productList.count", { count: total })}</p>
        </div>
        {canManage ? (
          <div className="actions">
            <Link to="/admin/catalogue/products/new" className="btn btn-primary">
              {t("overview.addProduct")}
            </Link>
            <Link to="/admin/catalogue/import" className="btn btn-secondary">
              {t("overview.uploadCsv")}
            </Link>
          </div>
        ) : null}
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("productList.filter")}>
        <div className="field grow">
          <label htmlFor="products-q">{t("productList.q")}</label>
          <input id="products-q" type="search" name="q" defaultValue={filters.q} placeholder={t("productList.qPlaceholder")} />
        </div>
        <div className="field">
          <label htmlFor="products-category">{t("columns.category")}</label>
          <select id="products-category" name="category" defaultValue={filters.category}>
            <option value="">{t("productList.allCategories")}</option>
            {choices.categories.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="products-insurer">{t("columns.insurer")}</label>
          <select id="products-insurer" name="insurer" defaultValue={filters.insurer}>
            <option value="">{t("productList.allInsurers")}</option>
            {choices.insurers.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="products-status">{t("columns.status")}</label>
          <select id="products-status" name="status" defaultValue={filters.status}>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`productList.status.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <FilterActions path="/admin/catalogue/products" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />
      {products.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {t("productList.noMatch")} <Link to="/admin/catalogue/products">{t("productList.showAll")}</Link>
            </p>
          ) : (
            <p>
              {t("overview.empty")}{" "}
              {canManage ? (
                <Trans
                  t={t}
                  i18nKey="productList.emptyManage"
                  components={{ add: <Link to="/admin/catalogue/products/new" />, upload: <Link to="/admin/catalogue/import" /> }}
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
                <th scope="col">{t("columns.product")}</th>
                <th scope="col">{t("columns.category")}</th>
                <th scope="col">{t("columns.insurer")}</th>
                <th scope="col">{t("columns.from")}</th>
                <th scope="col">{t("columns.status")}</th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.id}>
                  <td data-label={t("columns.product")}>
                    <span>
                      <Link to={`/admin/catalogue/products/${p.id}`}>{p.name}</Link> <code className="muted small">{p.slug}</code>
                    </span>
                  </td>
                  <td data-label={t("columns.category")}>{p.category}</td>
                  <td data-label={t("columns.insurer")}>{p.insurer}</td>
                  <td data-label={t("columns.from")}>{p.from}</td>
                  <td data-label={t("columns.status")}>
                    <span className="badges">
                      {p.active ? (
                        <span className="badge badge-active">{t("status.active")}</span>
                      ) : (
                        <span className="badge badge-suspended">{t("status.inactive")}</span>
                      )}
                      {p.hiddenBy ? <span className="badge badge-pending">{t(`productList.hiddenBy.${p.hiddenBy}`)}</span> : null}
                      {p.featured ? <span className="badge">{t("productList.featured")}</span> : null}
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Products");
