// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { RouteErrorBoundary } from "~/components/layout/error-page";

/**
 * The commissions back office's own sub-navigation: the ledger, months and payouts, disputes, and
 * the rules. Staff read; each child route checks its own permission on the server.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireNetworkPermission(request, "read:commission:any");
  return json({});
}

export default function CommissionsLayout() {
  return (
    <div className="commissions-admin">
      <nav className="subnav catalogue-nav" aria-label="Commissions">
        <NavLink to="/admin/commissions" end>
          Ledger
        </NavLink>
        <NavLink to="/admin/commissions/months">Months &amp; payouts</NavLink>
        <NavLink to="/admin/commissions/disputes">Disputes</NavLink>
        <NavLink to="/admin/commission-rules">Rules</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}

/** A page of this section that fails shows the error in place of the section, inside the site. */
export const ErrorBoundary = RouteErrorBoundary;
