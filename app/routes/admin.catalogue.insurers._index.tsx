import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { InsurerForm } from "~/components/catalogue/insurer-form";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { can } from "~/modules/auth/permissions";
import { bpToPercent, insurerFormSchema } from "~/modules/catalogue/admin-schemas";
import { listInsurers, saveInsurer } from "~/modules/catalogue/admin.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:catalogue:any");
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listInsurers(db, { page }));
  const t = await serverT(tenant.language, "admin-catalogue");
  return json({
    title: t("nav.insurers"),
    page,
    hasMore: result.hasMore,
    canManage: can(user.roles, "manage:catalogue:any"),
    insurers: result.rows.map((r) => ({
      id: r.id,
      name: r.name,
      slug: r.slug,
      active: r.active,
      commission: `${bpToPercent(r.commission_rate_bp)}%`,
      products: r.product_count,
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:catalogue:any");
  const submission = parseWithZod(await readForm(request), { schema: insurerFormSchema });
  if (submission.status !== "success") return json({ reply: submission.reply() }, { status: 400 });
  const result = await withTenant(tenant.id, (db) => saveInsurer(db, submission.value, { userId: user.id, ip: clientInfo(request).ip }));
  if (!result.ok) return json({ reply: submission.reply(replyErrors(result.errors)) }, { status: 400 });
  return redirect(`/admin/catalogue/insurers/${result.id}?notice=created`);
}

export default function Insurers() {
  const { insurers, page, hasMore, canManage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin-catalogue");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("nav.insurers")}</h1>
          <p className="muted">{t("insurerList.intro")}</p>
        </div>
        {canManage ? (
          <a href="#new-insurer-title" className="btn btn-secondary">
            {t("insurerList.add")}
          </a>
        ) : null}
      </div>
      {insurers.length === 0 && page === 1 ? (
        <div className="card empty">
          <p>
            {t("insurerList.empty")} {canManage ? t("insurerList.emptyManage") : null}
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("insurerList.insurer")}</th>
                <th scope="col">{t("columns.products")}</th>
                <th scope="col">{t("columns.commission")}</th>
                <th scope="col">{t("columns.status")}</th>
              </tr>
            </thead>
            <tbody>
              {insurers.map((insurer) => (
                <tr key={insurer.id}>
                  <td data-label={t("insurerList.insurer")}>
                    <Link to={`/admin/catalogue/insurers/${insurer.id}`}>{insurer.name}</Link>
                  </td>
                  <td data-label={t("columns.products")}>
                    <Link to={`/admin/catalogue/products?insurer=${insurer.id}`}>{insurer.products}</Link>
                  </td>
                  <td data-label={t("columns.commission")}>{insurer.commission}</td>
                  <td data-label={t("columns.status")}>
                    {insurer.active ? (
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
        <section className="card" aria-labelledby="new-insurer-title">
          <h2 id="new-insurer-title">{t("insurerList.add")}</h2>
          <InsurerForm
            id="new-insurer"
            lastResult={actionData?.reply}
            submitLabel={t("insurerList.submit")}
            defaults={{ commissionRate: "0" }}
          />
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Insurers");
