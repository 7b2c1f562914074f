import { pricingContextFor } from "~/modules/catalogue/context.server";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CopyRulesForm } from "~/components/catalogue/copy-rules-form";
import { ProductForm } from "~/components/catalogue/product-form";
import { StatusForm } from "~/components/catalogue/status-form";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { formatMoney } from "~/lib/money";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { productFormSchema } from "~/modules/catalogue/admin-schemas";
import {
  draftFromForm,
  findRatingSource,
  getAdminProduct,
  ratingSources,
  saveProduct,
  setProductActive,
  toFormDefaults,
} from "~/modules/catalogue/admin-products.server";
import { productChoices } from "~/modules/catalogue/admin.server";
import { lineText } from "~/lib/text";

const intentSchema = z.enum(["save", "activate", "deactivate"]);
const fromSchema = lineText().uuid().optional().catch(undefined);
const NOTICES = ["created", "saved", "activated", "deactivated"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:catalogue:any");
  const id = uuidParam(params, "productId");
  const canManage = can(user.roles, "manage:catalogue:any");
  const from = canManage ? fromSchema.parse(new URL(request.url).searchParams.get("from") || undefined) : undefined;
  const data = await withTenant(tenant.id, async (db) => {
    const product = await getAdminProduct(db, id);
    if (!product) return null;
    return {
      product,
      choices: await productChoices(db),
      sources: canManage ? (await ratingSources(db)).filter((s) => s.id !== id) : [],
      copied: from ? await findRatingSource(db, { id: from }) : undefined,
    };
  });
  if (!data) throw new Response("Not found", { status: 404 });
  const { product, copied } = data;
  const defaults = toFormDefaults(product, tenant.currency);
  if (copied) {
    defaults.rating = JSON.stringify(copied.rating, null, 2);
    defaults.sampleInput = JSON.stringify(copied.sample_input, null, 2);
  }
  return json({
    canManage,
    currency: tenant.currency,
    choices: data.choices,
    sources: data.sources.map((s) => ({ value: s.id, label: s.name })),
    copied: copied ? { id: copied.id, name: copied.name } : null,
    defaults,
    product: {
      id: product.id,
      name: product.name,
      slug: product.slug,
      active: product.active,
      visible: product.active && product.insurer_active && product.category_active,
      insurer: { name: product.insurer_name, active: product.insurer_active },
      category: { name: product.category_name, active: product.category_active },
      from: formatMoney(product.starting_price_minor, tenant.currency, tenant.locale),
      quotes: product.quote_count,
      updated: formatDateTime(product.updated_at, tenant.locale, tenant.timeZone),
      // Remounts the form after a save, so it shows what was stored.
      version: product.updated_at.toISOString(),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:catalogue:any");
  const id = uuidParam(params, "productId");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const here = `/admin/catalogue/products/${id}`;
  if (intent.data !== "save") {
    const active = intent.data === "activate";
    const found = await withTenant(tenant.id, (db) => setProductActive(db, id, active, actor));
    if (!found) throw new Response("Not found", { status: 404 });
    return redirect(`${here}?notice=${active ? "activated" : "deactivated"}`);
  }
  const submission = parseWithZod(formData, { schema: productFormSchema(tenant.currency) });
  if (submission.status !== "success") return json({ reply: submission.reply() }, { status: 400 });
  const pricing = pricingContextFor(tenant);
  const result = await withTenant(tenant.id, async (db) =>
    (await getAdminProduct(db, id)) ? saveProduct(db, pricing, draftFromForm(submission.value), actor, { id }) : null,
  );
  if (!result) throw new Response("Not found", { status: 404 });
  if (!result.ok) return json({ reply: submission.reply(replyErrors(result.errors)) }, { status: 400 });
  return redirect(`${here}?notice=saved`);
}

export default function ProductDetail() {
  const { product, defaults, choices, sources, copied, currency, canManage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin-catalogue");
  const [params] = useSearchParams();
  const notice = params.get("notice");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/catalogue/products">{t("nav.products")}</Link> / {product.name}
      </p>
      <div className="page-head">
        <div>
          <h1>{product.name}</h1>
          <p className="muted">
            {product.category.name} · {product.insurer.name} ·{" "}
            {t("productDetail.facts", { from: product.from, count: product.quotes, updated: product.updated })}
          </p>
        </div>
        {product.visible ? <a href={`/products/${product.slug}`}>{t("productDetail.seeIt")}</a> : null}
      </div>
      {NOTICES.find((n) => n === notice) ? <Alert tone="success">{t(`productDetail.notice.${notice}`)}</Alert> : null}
      <StatusForm active={product.active} what="product" canManage={canManage}>
        {product.visible
          ? t("productDetail.shown")
          : product.active
            ? !product.insurer.active
              ? t("productDetail.hiddenByInsurer", { name: product.insurer.name })
              : t("productDetail.hiddenByCategory", { name: product.category.name })
            : t("productDetail.hidden")}
      </StatusForm>
      {canManage ? <CopyRulesForm sources={sources} copied={copied} /> : null}
      <section className="card" aria-label={t("productDetail.details")}>
        <ProductForm
          key={`${copied?.id ?? "own"}:${product.version}`}
          currency={currency}
          categories={choices.categories}
          insurers={choices.insurers}
          defaults={defaults}
          lastResult={actionData?.reply}
          submitLabel={t("saveChanges")}
          readOnly={!canManage}
        />
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? data.product.name : "Product");
