// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { InsurerForm } from "~/components/catalogue/insurer-form";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { bpToPercent, insurerFormSchema } from "~/modules/catalogue/admin-schemas";
import { listInsurers, saveInsurer } from "~/modules/catalogue/admin.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:catalogue:any");
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listInsurers(db, { page }));
  return json({
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
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Insurers</h1>
          <p className="muted">The companies whose cover you sell, and the commission each pays you.</p>
        </div>
        {canManage ? (
          <a href="#new-insurer-title" className="btn btn-secondary">
            Add an insurer
          </a>
        ) : null}
      </div>
      {insurers.length === 0 && page === 1 ? (
        <div className="card empty">
          <p>No insurers yet. {canManage ? "Add the first one below; products are then added under an insurer." : null}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Insurer</th>
                <th scope="col">Products</th>
                <th scope="col">Commission</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {insurers.map((insurer) => (
                <tr key={insurer.id}>
                  <td data-label="Insurer">
                    <Link to={`/admin/catalogue/insurers/${insurer.id}`}>{insurer.name}</Link>
                  </td>
                  <td data-label="Products">
                    <Link to={`/admin/catalogue/products?insurer=${insurer.id}`}>{insurer.products}</Link>
                  </td>
                  <td data-label="Commission">{insurer.commission}</td>
                  <td data-label="Status">
                    {insurer.active ? (
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
        <section className="card" aria-labelledby="new-insurer-title">
          <h2 id="new-insurer-title">Add an insurer</h2>
          <InsurerForm id="new-insurer" lastResult={actionData?.reply} submitLabel="Add insurer" defaults={{ commissionRate: "0" }} />
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Insurers");
