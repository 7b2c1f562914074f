import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CancelPage, type CancelPageProps } from "~/components/cancellations/cancel-page";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { requirePermission } from "~/modules/auth/guards.server";
import { cancelPageData, handleCancelForm } from "~/modules/cancellations/page.server";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * /admin/policies/<policyId>/cancel: staff cancel any policy of the agency with a reason, see the
 * refund's progress and the letter, and record what the agency returned itself (cash, bank-in).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "cancel:policy:any");
  const data = await cancelPageData(tenant, { userId: user.id }, uuidParam(params, "policyId"), "staff");
  const t = await serverT(tenant.language, "admin");
  return json(
    { ...data, title: t("cancelPolicy.titleOf", { policy: data.policy.number ?? data.policy.product }) },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "cancel:policy:any");
  const policyId = uuidParam(params, "policyId");
  return handleCancelForm(request, tenant, user, policyId, "staff", `/admin/policies/${policyId}/cancel`);
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Cancel policy");

export default function CancelPolicyAsStaff() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Pick<CancelPageProps, "errors" | "values"> | undefined;
  const [params] = useSearchParams();
  const { t } = useTranslation("admin");
  return (
    <CancelPage
      {...(data as unknown as CancelPageProps)}
      errors={result?.errors}
      values={result?.values}
      notice={params.get("cancelled") ? "cancelled" : params.get("returned") ? "returned" : null}
      breadcrumbs={
        <nav aria-label={t("breadcrumbs")} className="breadcrumbs">
          <Link to="/admin/policies">{t("policies.title")}</Link> <span aria-hidden>/</span>{" "}
          <Link to={`/admin/policies/${data.policy.id}`}>{data.policy.number ?? data.policy.product}</Link> <span aria-hidden>/</span>{" "}
          <span aria-current="page">{t("cancelPolicy.crumb")}</span>
        </nav>
      }
    />
  );
}
