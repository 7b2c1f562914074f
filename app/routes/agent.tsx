import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { AgentStatus } from "~db/schema";
import { Alert } from "~/components/ui/alert";
import { pageTitle } from "~/lib/meta";
import { serverT } from "~/modules/i18n/i18n.server";
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
    notice: statusNotice(agent.status, await serverT(tenant.language, "agent")),
  });
}

/** What a pending, suspended or ended agent needs to know (null for an active agent), in their language. */
function statusNotice(status: AgentStatus, t: TFunction): { title: string; body: string } | null {
  if (status === "active") return null;
  return { title: t(`notice.${status}.title`), body: t(`notice.${status}.body`) };
}

export default function AgentLayout() {
  const { agency, agent, notice } = useLoaderData<typeof loader>();
  const { t } = useTranslation("agent");
  return (
    <div className="admin agent-portal">
      <div className="admin-head">
        <p className="eyebrow">{t("eyebrow", { agency, name: agent.name, number: agent.agentNumber })}</p>
        <nav className="subnav" aria-label={t("nav.label")}>
          <NavLink to="/agent" end>
            {t("nav.dashboard")}
          </NavLink>
          <NavLink to="/agent/downline">{t("nav.downline")}</NavLink>
          <NavLink to="/agent/members">{t("nav.members")}</NavLink>
          <NavLink to="/agent/claims">{t("nav.claims")}</NavLink>
          <NavLink to="/agent/commissions">{t("nav.commissions")}</NavLink>
          <NavLink to="/agent/statements">{t("nav.statements")}</NavLink>
          <NavLink to="/agent/commission-structure">{t("nav.structure")}</NavLink>
          <NavLink to="/agent/disputes">{t("nav.disputes")}</NavLink>
          <NavLink to="/agent/profile">{t("nav.profile")}</NavLink>
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
