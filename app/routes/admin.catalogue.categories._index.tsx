// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CategoryForm } from "~/components/catalogue/category-form";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { categoryFormSchema } from "~/modules/catalogue/admin-schemas";
import { listCategories, saveCategory } from "~/modules/catalogue/admin.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:catalogue:any");
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listCategories(db, { page }));
  return json({
    page,
    hasMore: result.hasMore,
    canManage: can(user.roles, "manage:catalogue:any"),
    categories: result.rows.map((r) => ({
      id: r.id,
      name: r.name,
      slug: r.slug,
      icon: r.icon,
      order: r.display_order,
      active: r.active,
      products: r.product_count,
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:catalogue:any");
  const submission = parseWithZod(await readForm(request), { schema: categoryFormSchema });
  if (submission.status !== "success") return json({ reply: submission.reply() }, { status: 400 });
  const result = await withTenant(tenant.id, (db) => saveCategory(db, submission.value, { userId: user.id, ip: clientInfo(request).ip }));
  if (!result.ok) return json({ reply: submission.reply(replyErrors(result.errors)) }, { status: 400 });
  return redirect(`/admin/catalogue/categories/${result.id}?notice=created`);
}

export default function Categories() {
  const { categories, page, hasMore, canManage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Categories</h1>
          <p className="muted">How customers browse your products: motor, medical, life…</p>
        </div>
        {canManage ? (
          <a href="#new-category-title" className="btn btn-secondary">
            Add a category
          </a>
        ) : null}
      </div>
      {categories.length === 0 && page === 1 ? (
        <div className="card empty">
          <p>No categories yet. {canManage ? "Add the first one below." : null}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Order</th>
                <th scope="col">Products</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {categories.map((category) => (
                <tr key={category.id}>
                  <td data-label="Category">
                    <Link to={`/admin/catalogue/categories/${category.id}`}>{category.name}</Link>
                  </td>
                  <td data-label="Order">{category.order}</td>
                  <td data-label="Products">
                    <Link to={`/admin/catalogue/products?category=${category.id}`}>{category.products}</Link>
                  </td>
                  <td data-label="Status">
                    {category.active ? (
                      <span className="badge badge-active">Active</span>
                    ) : (
                      <span className="badge badge-suspended">Inactive</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasMore={hasMore} />
      {canManage ? (
        <section className="card" aria-labelledby="new-category-title">
          <h2 id="new-category-title">Add a category</h2>
          <CategoryForm
            id="new-category"
            lastResult={actionData?.reply}
            submitLabel="Add category"
            defaults={{ icon: "shield", displayOrder: "0" }}
          />
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Categories");
