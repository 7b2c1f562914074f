import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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
  const { t } = useTranslation("admin-network");
  return (
    <div className="commissions-admin">
      <nav className="subnav catalogue-nav" aria-label={t("commissionsNav.label")}>
        <NavLink to="/admin/commissions" end>
          {t("commissionsNav.ledger")}
        </NavLink>
        <NavLink to="/admin/commissions/months">{t("commissionsNav.months")}</NavLink>
        <NavLink to="/admin/commissions/disputes">{t("commissionsNav.disputes")}</NavLink>
        <NavLink to="/admin/commission-rules">{t("commissionsNav.rules")}</NavLink>
        <NavLink to="/admin/commissions/bonuses">{t("commissionsNav.bonuses")}</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}

/** A page of this section that fails shows the error in place of the section, inside the site. */
export const ErrorBoundary = RouteErrorBoundary;
