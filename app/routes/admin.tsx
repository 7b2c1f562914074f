// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { BackOfficeMenu } from "~/components/admin/back-office-menu";
import { backOfficeNav } from "~/components/admin/nav";
import { requirePermission } from "~/modules/auth/guards.server";
import { pageTitle } from "~/lib/meta";
import { RouteErrorBoundary } from "~/components/layout/error-page";

/**
 * The back office frame: a grouped menu of the pages this person may open, beside the page. Each
 * child route still checks its own permission on the server; hiding a link here is only a courtesy.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:backoffice:any");
  return json({ agency: tenant.name, nav: backOfficeNav(user.roles, tenant.features) });
}

export default function AdminLayout() {
  const { agency, nav } = useLoaderData<typeof loader>();
  return (
    <div className="backoffice">
      <p className="eyebrow">{agency} · Back office</p>
      <div className="backoffice-frame">
        <BackOfficeMenu groups={nav} />
        <div className="backoffice-page">
          <Outlet />
        </div>
      </div>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Back office");

/** A page of this section that fails shows the error in place of the section, inside the site. */
export const ErrorBoundary = RouteErrorBoundary;
