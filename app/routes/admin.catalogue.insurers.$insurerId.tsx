import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { InsurerForm } from "~/components/catalogue/insurer-form";
import { StatusForm } from "~/components/catalogue/status-form";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { bpToPercent, insurerFormSchema } from "~/modules/catalogue/admin-schemas";
import { getInsurer, saveInsurer, setInsurerActive } from "~/modules/catalogue/admin.server";

const intentSchema = z.enum(["save", "activate", "deactivate"]);
const NOTICES = ["created", "saved", "activated", "deactivated"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:catalogue:any");
  const id = uuidParam(params, "insurerId");
  const insurer = await withTenant(tenant.id, (db) => getInsurer(db, id));
  if (!insurer) throw new Response("Not found", { status: 404 });
  return json({
    canManage: can(user.roles, "manage:catalogue:any"),
    insurer: { id: insurer.id, name: insurer.name, active: insurer.active, products: insurer.product_count },
    defaults: {
      name: insurer.name,
      slug: insurer.slug,
      description: insurer.description,
      logoUrl: insurer.logo_url ?? "",
      rating: insurer.rating === null ? "" : String(Number(insurer.rating)),
      commissionRate: bpToPercent(insurer.commission_rate_bp),
      contactPhone: insurer.contact.phone ?? "",
      contactEmail: insurer.contact.email ?? "",
      contactWebsite: insurer.contact.website ?? "",
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:catalogue:any");
  const id = uuidParam(params, "insurerId");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const here = `/admin/catalogue/insurers/${id}`;
  if (intent.data !== "save") {
    const active = intent.data === "activate";
    const found = await withTenant(tenant.id, (db) => setInsurerActive(db, id, active, actor));
    if (!found) throw new Response("Not found", { status: 404 });
    return redirect(`${here}?notice=${active ? "activated" : "deactivated"}`);
  }
  const submission = parseWithZod(formData, { schema: insurerFormSchema });
  if (submission.status !== "success") return json({ reply: submission.reply() }, { status: 400 });
  const result = await withTenant(tenant.id, async (db) =>
    (await getInsurer(db, id)) ? saveInsurer(db, submission.value, actor, id) : null,
  );
  if (!result) throw new Response("Not found", { status: 404 });
  if (!result.ok) return json({ reply: submission.reply(replyErrors(result.errors)) }, { status: 400 });
  return redirect(`${here}?notice=saved`);
}

export default function InsurerDetail() {
  const { insurer, defaults, canManage } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-catalogue");
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.get("notice");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/catalogue/insurers">{t("nav.insurers")}</Link> / {insurer.name}
      </p>
      <div className="page-head">
        <h1>{insurer.name}</h1>
        <Link to={`/admin/catalogue/products?insurer=${insurer.id}`}>{t("products", { count: insurer.products })} →</Link>
      </div>
      {NOTICES.find((n) => n === notice) ? <Alert tone="success">{t(`insurerDetail.notice.${notice}`)}</Alert> : null}
      <StatusForm active={insurer.active} what="insurer" canManage={canManage}>
        {insurer.active
          ? t("insurerDetail.activeNote")
          : insurer.products === 1
            ? t("insurerDetail.inactiveOne")
            : t("insurerDetail.inactiveMany", { count: insurer.products })}
      </StatusForm>
      <section className="card" aria-labelledby="insurer-details">
        <h2 id="insurer-details">{t("details")}</h2>
        <InsurerForm
          key={JSON.stringify(defaults)}
          id="insurer"
          defaults={defaults}
          lastResult={actionData?.reply}
          submitLabel={t("saveChanges")}
          readOnly={!canManage}
        />
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? data.insurer.name : "Insurer");
