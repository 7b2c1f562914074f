import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { pageTitle } from "~/lib/meta";

/**
 * The back office frame: a sub-navigation over the pages this person may open. Each child route
 * still checks its own permission on the server; hiding a link here is only a courtesy.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:backoffice:any");
  return json({
    agency: tenant.name,
    nav: {
      users: can(user.roles, "read:user:any"),
      catalogue: can(user.roles, "read:catalogue:any"),
      // Transactions and their chargebacks.
      transactions: can(user.roles, "read:transaction:any"),
      policies: can(user.roles, "read:policy:any"),
      underwriting: can(user.roles, "underwrite:policy:any"),
      claims: can(user.roles, "read:claim:any"),
      payments: can(user.roles, "manage:payments:any"),
      policyRules: can(user.roles, "manage:policy-rules:any"),
      // The agent network's pages, for agencies that run one.
      agents: tenant.features.agentNetwork && can(user.roles, "read:agent:any"),
      offlinePayments: tenant.features.agentNetwork && can(user.roles, "confirm:offline-payment:any"),
      commissions: tenant.features.agentNetwork && can(user.roles, "read:commission:any"),
      commissionRules: tenant.features.agentNetwork && can(user.roles, "manage:commission-rules:any"),
      audit: can(user.roles, "read:audit:any"),
      outbox: can(user.roles, "read:outbox:any"),
    },
  });
}

export default function AdminLayout() {
  const { agency, nav } = useLoaderData<typeof loader>();
  return (
    <div className="admin">
      <div className="admin-head">
        <p className="eyebrow">{agency} · Back office</p>
        <nav className="subnav" aria-label="Back office">
          <NavLink to="/admin" end>
            Overview
          </NavLink>
          {nav.users ? <NavLink to="/admin/users">Users</NavLink> : null}
          {nav.catalogue ? <NavLink to="/admin/catalogue">Catalogue</NavLink> : null}
          {nav.transactions ? <NavLink to="/admin/transactions">Transactions</NavLink> : null}
          {nav.transactions ? <NavLink to="/admin/chargebacks">Chargebacks</NavLink> : null}
          {nav.policies ? <NavLink to="/admin/policies">Policies</NavLink> : null}
          {nav.underwriting ? <NavLink to="/admin/underwriting">Underwriting</NavLink> : null}
          {nav.claims ? <NavLink to="/admin/claims">Claims</NavLink> : null}
          {nav.payments ? <NavLink to="/admin/payments">Payments</NavLink> : null}
          {nav.policyRules ? <NavLink to="/admin/policy-rules">Policy rules</NavLink> : null}
          {nav.agents ? <NavLink to="/admin/agents">Agents</NavLink> : null}
          {nav.offlinePayments ? <NavLink to="/admin/offline-payments">Offline payments</NavLink> : null}
          {nav.commissions ? <NavLink to="/admin/commissions">Commissions</NavLink> : null}
          {nav.commissionRules ? <NavLink to="/admin/commission-rules">Commission rules</NavLink> : null}
          {nav.audit ? <NavLink to="/admin/audit">Audit log</NavLink> : null}
          {nav.outbox ? <NavLink to="/admin/outbox">Outbox</NavLink> : null}
        </nav>
      </div>
      <Outlet />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Back office");
