import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { RouteErrorBoundary } from "~/components/layout/error-page";

/**
 * The catalogue's own sub-navigation inside the back office. Staff may look; only holders of
 * manage:catalogue:any may change anything (each child route checks on the server).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requirePermission(request, "read:catalogue:any");
  return json({ canManage: can(user.roles, "manage:catalogue:any") });
}

export default function CatalogueLayout() {
  const { canManage } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-catalogue");
  return (
    <div className="catalogue-admin">
      <nav className="subnav catalogue-nav" aria-label={t("nav.label")}>
        <NavLink to="/admin/catalogue" end>
          {t("nav.catalogue")}
        </NavLink>
        <NavLink to="/admin/catalogue/products">{t("nav.products")}</NavLink>
        <NavLink to="/admin/catalogue/insurers">{t("nav.insurers")}</NavLink>
        <NavLink to="/admin/catalogue/categories">{t("nav.categories")}</NavLink>
        {canManage ? <NavLink to="/admin/catalogue/import">{t("nav.upload")}</NavLink> : null}
      </nav>
      <Outlet />
    </div>
  );
}

/** A page of this section that fails shows the error in place of the section, inside the site. */
export const ErrorBoundary = RouteErrorBoundary;
