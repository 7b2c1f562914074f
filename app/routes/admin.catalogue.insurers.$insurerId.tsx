// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
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
const NOTICES = {
  created: "Insurer added. You can now add its products.",
  saved: "Changes saved.",
  activated: "Insurer activated: its active products are back on the storefront.",
  deactivated: "Insurer deactivated: its products are hidden from the storefront. Nothing was deleted.",
} as const;

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
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.get("notice");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/catalogue/insurers">Insurers</Link> / {insurer.name}
      </p>
      <div className="page-head">
        <h1>{insurer.name}</h1>
        <Link to={`/admin/catalogue/products?insurer=${insurer.id}`}>
          {insurer.products === 1 ? "1 product" : `${insurer.products} products`} →
        </Link>
      </div>
      {notice && notice in NOTICES ? <Alert tone="success">{NOTICES[notice as keyof typeof NOTICES]}</Alert> : null}
      <StatusForm active={insurer.active} what="insurer" canManage={canManage}>
        {insurer.active
          ? "Its active products are shown on the storefront. Deactivating hides them all at once; nothing is deleted."
          : `Its ${insurer.products === 1 ? "product is" : `${insurer.products} products are`} hidden from the storefront. Activate it to show them again.`}
      </StatusForm>
      <section className="card" aria-labelledby="insurer-details">
        <h2 id="insurer-details">Details</h2>
        <InsurerForm
          key={JSON.stringify(defaults)}
          id="insurer"
          defaults={defaults}
          lastResult={actionData?.reply}
          submitLabel="Save changes"
          readOnly={!canManage}
        />
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? data.insurer.name : "Insurer");
