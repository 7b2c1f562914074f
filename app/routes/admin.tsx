import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BackOfficeMenu } from "~/components/admin/back-office-menu";
import { backOfficeNav } from "~/components/admin/nav";
import { requirePermission } from "~/modules/auth/guards.server";
import { pageTitle } from "~/lib/meta";
import { serverT } from "~/modules/i18n/i18n.server";
import { RouteErrorBoundary } from "~/components/layout/error-page";

/**
 * The back office frame: a grouped menu of the pages this person may open, beside the page. Each
 * child route still checks its own permission on the server; hiding a link here is only a courtesy.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:backoffice:any");
  const t = await serverT(tenant.language, "admin");
  return json({ agency: tenant.name, nav: backOfficeNav(user.roles, tenant.features), title: t("backOffice") });
}

export default function AdminLayout() {
  const { agency, nav } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  return (
    <div className="backoffice">
      <p className="eyebrow">{t("agencyBackOffice", { agency })}</p>
      <div className="backoffice-frame">
        <BackOfficeMenu groups={nav} />
        <div className="backoffice-page">
          <Outlet />
        </div>
      </div>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Back office");

/** A page of this section that fails shows the error in place of the section, inside the site. */
export const ErrorBoundary = RouteErrorBoundary;
