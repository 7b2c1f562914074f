// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FilterActions, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
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

const STATUS_LABELS = { all: "Any status", visible: "On the storefront", active: "Active", inactive: "Inactive" } as const;

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
  return json({
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
  const filtered = Boolean(filters.q || filters.category || filters.insurer || filters.status !== "all");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Products</h1>
          <p className="muted">
            {total === 1 ? "1 product" : `${total} products`}
            {filtered ? (total === 1 ? " matches these filters" : " match these filters") : ""}.
          </p>
        </div>
        {canManage ? (
          <div className="actions">
            <Link to="/admin/catalogue/products/new" className="btn btn-primary">
              Add a product
            </Link>
            <Link to="/admin/catalogue/import" className="btn btn-secondary">
              Upload a CSV
            </Link>
          </div>
        ) : null}
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter products">
        <div className="field grow">
          <label htmlFor="products-q">Name or address</label>
          <input id="products-q" type="search" name="q" defaultValue={filters.q} placeholder="e.g. motor" />
        </div>
        <div className="field">
          <label htmlFor="products-category">Category</label>
          <select id="products-category" name="category" defaultValue={filters.category}>
            <option value="">All categories</option>
            {choices.categories.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="products-insurer">Insurer</label>
          <select id="products-insurer" name="insurer" defaultValue={filters.insurer}>
            <option value="">All insurers</option>
            {choices.insurers.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="products-status">Status</label>
          <select id="products-status" name="status" defaultValue={filters.status}>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
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
              No product matches these filters. <Link to="/admin/catalogue/products">Show them all</Link>
            </p>
          ) : (
            <p>
              No products yet.{" "}
              {canManage ? (
                <>
                  <Link to="/admin/catalogue/products/new">Add one</Link> or <Link to="/admin/catalogue/import">upload a CSV file</Link>.
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
                <th scope="col">Product</th>
                <th scope="col">Category</th>
                <th scope="col">Insurer</th>
                <th scope="col">From (a year)</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.id}>
                  <td data-label="Product">
                    <span>
                      <Link to={`/admin/catalogue/products/${p.id}`}>{p.name}</Link> <code className="muted small">{p.slug}</code>
                    </span>
                  </td>
                  <td data-label="Category">{p.category}</td>
                  <td data-label="Insurer">{p.insurer}</td>
                  <td data-label="From (a year)">{p.from}</td>
                  <td data-label="Status">
                    <span className="badges">
                      {p.active ? (
                        <span className="badge badge-active">Active</span>
                      ) : (
                        <span className="badge badge-suspended">Inactive</span>
                      )}
                      {p.hiddenBy ? <span className="badge badge-pending">Hidden: {p.hiddenBy} inactive</span> : null}
                      {p.featured ? <span className="badge">Featured</span> : null}
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Products");
