import { pricingContextFor } from "~/modules/catalogue/context.server";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { CopyRulesForm } from "~/components/catalogue/copy-rules-form";
import { ProductForm, type ProductDefaults } from "~/components/catalogue/product-form";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { productFormSchema } from "~/modules/catalogue/admin-schemas";
import { draftFromForm, findRatingSource, ratingSources, saveProduct } from "~/modules/catalogue/admin-products.server";
import { productChoices } from "~/modules/catalogue/admin.server";
import { lineText } from "~/lib/text";

const fromSchema = lineText().uuid().optional().catch(undefined);

const BLANK: ProductDefaults = {
  categoryId: "",
  insurerId: "",
  name: "",
  slug: "",
  summary: "",
  description: "",
  coverage: "",
  features: "",
  inclusions: "",
  exclusions: "",
  waitingPeriodDays: "0",
  maxCover: "",
  requiresUnderwriting: false,
  featured: false,
  active: true,
  rating: "",
  sampleInput: "{}",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:catalogue:any");
  const from = fromSchema.parse(new URL(request.url).searchParams.get("from") || undefined);
  const data = await withTenant(tenant.id, async (db) => ({
    choices: await productChoices(db),
    sources: await ratingSources(db),
    copied: from ? await findRatingSource(db, { id: from }) : undefined,
  }));
  const copied = data.copied;
  const t = await serverT(tenant.language, "admin-catalogue");
  return json({
    title: t("overview.addProduct"),
    currency: tenant.currency,
    choices: data.choices,
    sources: data.sources.map((s) => ({ value: s.id, label: s.name })),
    copied: copied ? { id: copied.id, name: copied.name } : null,
    defaults: copied
      ? { ...BLANK, rating: JSON.stringify(copied.rating, null, 2), sampleInput: JSON.stringify(copied.sample_input, null, 2) }
      : BLANK,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:catalogue:any");
  const submission = parseWithZod(await readForm(request), { schema: productFormSchema(tenant.currency) });
  if (submission.status !== "success") return json({ reply: submission.reply() }, { status: 400 });
  const pricing = pricingContextFor(tenant);
  const result = await withTenant(tenant.id, (db) =>
    saveProduct(db, pricing, draftFromForm(submission.value), { userId: user.id, ip: clientInfo(request).ip }),
  );
  if (!result.ok) return json({ reply: submission.reply(replyErrors(result.errors)) }, { status: 400 });
  return redirect(`/admin/catalogue/products/${result.id}?notice=created`);
}

export default function NewProduct() {
  const { currency, choices, sources, copied, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin-catalogue");
  const ready = choices.categories.length > 0 && choices.insurers.length > 0;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/catalogue/products">{t("nav.products")}</Link> / {t("productNew.crumb")}
      </p>
      <h1>{t("overview.addProduct")}</h1>
      {!ready ? (
        <div className="card empty">
          <p>
            <Trans
              t={t}
              i18nKey={`productNew.notReady.${choices.categories.length === 0 ? (choices.insurers.length === 0 ? "both" : "category") : "insurer"}`}
              components={{ category: <Link to="/admin/catalogue/categories" />, insurer: <Link to="/admin/catalogue/insurers" /> }}
            />
          </p>
        </div>
      ) : (
        <>
          <CopyRulesForm sources={sources} copied={copied} />
          <section className="card" aria-label={t("productNew.label")}>
            <ProductForm
              key={copied?.id ?? "blank"}
              currency={currency}
              categories={choices.categories}
              insurers={choices.insurers}
              defaults={defaults}
              lastResult={actionData?.reply}
              submitLabel={t("productNew.submit")}
            />
          </section>
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Add a product");
