import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CategoryForm } from "~/components/catalogue/category-form";
import { StatusForm } from "~/components/catalogue/status-form";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { categoryFormSchema } from "~/modules/catalogue/admin-schemas";
import { getCategory, saveCategory, setCategoryActive } from "~/modules/catalogue/admin.server";

const intentSchema = z.enum(["save", "activate", "deactivate"]);
const NOTICES = ["created", "saved", "activated", "deactivated"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:catalogue:any");
  const id = uuidParam(params, "categoryId");
  const category = await withTenant(tenant.id, (db) => getCategory(db, id));
  if (!category) throw new Response("Not found", { status: 404 });
  return json({
    canManage: can(user.roles, "manage:catalogue:any"),
    category: { id: category.id, name: category.name, active: category.active, products: category.product_count },
    defaults: {
      name: category.name,
      slug: category.slug,
      icon: category.icon,
      description: category.description,
      displayOrder: String(category.display_order),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:catalogue:any");
  const id = uuidParam(params, "categoryId");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const here = `/admin/catalogue/categories/${id}`;
  if (intent.data !== "save") {
    const active = intent.data === "activate";
    const found = await withTenant(tenant.id, (db) => setCategoryActive(db, id, active, actor));
    if (!found) throw new Response("Not found", { status: 404 });
    return redirect(`${here}?notice=${active ? "activated" : "deactivated"}`);
  }
  const submission = parseWithZod(formData, { schema: categoryFormSchema });
  if (submission.status !== "success") return json({ reply: submission.reply() }, { status: 400 });
  const result = await withTenant(tenant.id, async (db) =>
    (await getCategory(db, id)) ? saveCategory(db, submission.value, actor, id) : null,
  );
  if (!result) throw new Response("Not found", { status: 404 });
  if (!result.ok) return json({ reply: submission.reply(replyErrors(result.errors)) }, { status: 400 });
  return redirect(`${here}?notice=saved`);
}

export default function CategoryDetail() {
  const { category, defaults, canManage } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-catalogue");
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.get("notice");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/catalogue/categories">{t("nav.categories")}</Link> / {category.name}
      </p>
      <div className="page-head">
        <h1>{category.name}</h1>
        <Link to={`/admin/catalogue/products?category=${category.id}`}>{t("products", { count: category.products })} →</Link>
      </div>
      {NOTICES.find((n) => n === notice) ? <Alert tone="success">{t(`categoryDetail.notice.${notice}`)}</Alert> : null}
      <StatusForm active={category.active} what="category" canManage={canManage}>
        {category.active
          ? t("categoryDetail.activeNote")
          : category.products === 1
            ? t("categoryDetail.inactiveOne")
            : t("categoryDetail.inactiveMany", { count: category.products })}
      </StatusForm>
      <section className="card" aria-labelledby="category-details">
        <h2 id="category-details">{t("details")}</h2>
        <CategoryForm
          key={JSON.stringify(defaults)}
          id="category"
          defaults={defaults}
          lastResult={actionData?.reply}
          submitLabel={t("saveChanges")}
          readOnly={!canManage}
        />
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? data.category.name : "Category");
