import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CategoryForm } from "~/components/catalogue/category-form";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { can } from "~/modules/auth/permissions";
import { categoryFormSchema } from "~/modules/catalogue/admin-schemas";
import { listCategories, saveCategory } from "~/modules/catalogue/admin.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:catalogue:any");
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listCategories(db, { page }));
  const t = await serverT(tenant.language, "admin-catalogue");
  return json({
    title: t("nav.categories"),
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
  const { t } = useTranslation("admin-catalogue");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("nav.categories")}</h1>
          <p className="muted">{t("categoryList.intro")}</p>
        </div>
        {canManage ? (
          <a href="#new-category-title" className="btn btn-secondary">
            {t("categoryList.add")}
          </a>
        ) : null}
      </div>
      {categories.length === 0 && page === 1 ? (
        <div className="card empty">
          <p>
            {t("categoryList.empty")} {canManage ? t("categoryList.emptyManage") : null}
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("categoryList.category")}</th>
                <th scope="col">{t("columns.order")}</th>
                <th scope="col">{t("columns.products")}</th>
                <th scope="col">{t("columns.status")}</th>
              </tr>
            </thead>
            <tbody>
              {categories.map((category) => (
                <tr key={category.id}>
                  <td data-label={t("categoryList.category")}>
                    <Link to={`/admin/catalogue/categories/${category.id}`}>{category.name}</Link>
                  </td>
                  <td data-label={t("columns.order")}>{category.order}</td>
                  <td data-label={t("columns.products")}>
                    <Link to={`/admin/catalogue/products?category=${category.id}`}>{category.products}</Link>
                  </td>
                  <td data-label={t("columns.status")}>
                    {category.active ? (
                      <span className="badge badge-active">{t("status.active")}</span>
                    ) : (
                      <span className="badge badge-suspended">{t("status.inactive")}</span>
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
          <h2 id="new-category-title">{t("categoryList.add")}</h2>
          <CategoryForm
            id="new-category"
            lastResult={actionData?.reply}
            submitLabel={t("categoryList.submit")}
            defaults={{ icon: "shield", displayOrder: "0" }}
          />
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Categories");
