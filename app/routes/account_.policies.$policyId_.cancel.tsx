import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { CancelPage, type CancelPageProps } from "~/components/cancellations/cancel-page";
import { RouteErrorBoundary } from "~/components/layout/error-page";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { requirePermission } from "~/modules/auth/guards.server";
import { cancelPageData, handleCancelForm } from "~/modules/cancellations/page.server";
import { useTranslation } from "react-i18next";

/**
 * /account/policies/<policyId>/cancel: the customer sees what would come back, how and why, gives a
 * reason and confirms; afterwards the refund's progress and the letter. Someone else's policy: 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "cancel:policy:own");
  return json(await cancelPageData(tenant, { userId: user.id }, uuidParam(params, "policyId"), "customer"), {
    headers: { "Cache-Control": "no-store" },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "cancel:policy:own");
  const policyId = uuidParam(params, "policyId");
  return handleCancelForm(request, tenant, user, policyId, "customer", `/account/policies/${policyId}/cancel`);
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Cancel policy");

export default function CancelMyPolicy() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Pick<CancelPageProps, "errors" | "values"> | undefined;
  const [params] = useSearchParams();
  const { t } = useTranslation("account");
  return (
    <CancelPage
      {...(data as CancelPageProps)}
      errors={result?.errors}
      values={result?.values}
      notice={params.get("cancelled") ? "cancelled" : null}
      breadcrumbs={
        <>
          <nav aria-label={t("breadcrumbs")} className="breadcrumbs">
            <Link to="/account/policies">{t("policies.title")}</Link> <span aria-hidden>/</span>{" "}
            <Link to={`/account/policies/${data.policy.id}`}>{data.policy.product}</Link> <span aria-hidden>/</span>{" "}
            <span aria-current="page">{t("policyDetail.cancelCrumb")}</span>
          </nav>
          <AccountNav />
        </>
      }
    />
  );
}

export const ErrorBoundary = RouteErrorBoundary;
