import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import type { AgentStatus } from "~db/schema";
import { Alert } from "~/components/ui/alert";
import { pageTitle } from "~/lib/meta";
import { requireAgent } from "~/modules/network/current-agent.server";
import { RouteErrorBoundary } from "~/components/layout/error-page";

/**
 * The agent portal's frame: who the agent is, a sub-navigation, and — for an agent who is not
 * active — what that means for them. Only for agencies that run an agent network (404 elsewhere)
 * and for users with an agent record (403 otherwise). Each child route checks again on the server.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "read:network:own");
  return json({
    agency: tenant.name,
    agent: { name: agent.name, agentNumber: agent.agentNumber, status: agent.status },
    notice: statusNotice(agent.status),
  });
}

/** What a pending, suspended or ended agent needs to know (null for an active agent). */
function statusNotice(status: AgentStatus): { title: string; body: string } | null {
  switch (status) {
    case "active":
      return null;
    case "pending":
      return {
        title: "Your agent application is waiting for approval",
        body:
          "You can look around the portal and share your referral link, but until the agency approves you, you cannot register members or sell, " +
          "and commissions that need an active agent are not paid to you.",
      };
    case "suspended":
      return {
        title: "Your agent account is suspended",
        body:
          "While it is suspended you cannot register members, sell or record payments, and commissions that need an active agent are not paid to you " +
          "(your share is skipped or passed to your upline, as the agency's plan says). Your history and statements stay here. Contact the agency to be reinstated.",
      };
    case "rejected":
      return {
        title: "Your agent application was not approved",
        body: "You cannot register members, sell or earn commissions. Contact the agency if you think this is a mistake.",
      };
    case "terminated":
      return {
        title: "Your agent account has ended",
        body: "You no longer earn commissions. Your history and statements stay here for your records.",
      };
  }
}

export default function AgentLayout() {
  const { agency, agent, notice } = useLoaderData<typeof loader>();
  return (
    <div className="admin agent-portal">
      <div className="admin-head">
        <p className="eyebrow">
          {agency} · Agent portal · {agent.name} ({agent.agentNumber})
        </p>
        <nav className="subnav" aria-label="Agent portal">
          <NavLink to="/agent" end>
            Dashboard
          </NavLink>
          <NavLink to="/agent/downline">Downline</NavLink>
          <NavLink to="/agent/members">Members</NavLink>
          <NavLink to="/agent/claims">Claims</NavLink>
          <NavLink to="/agent/commissions">Commissions</NavLink>
          <NavLink to="/agent/statements">Statements</NavLink>
          <NavLink to="/agent/disputes">Disputes</NavLink>
          <NavLink to="/agent/profile">Profile</NavLink>
        </nav>
      </div>
      {notice ? (
        <Alert tone="warning" title={notice.title}>
          {notice.body}
        </Alert>
      ) : null}
      <Outlet />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Agent portal");

/** A page of this section that fails shows the error in place of the section, inside the site. */
export const ErrorBoundary = RouteErrorBoundary;
