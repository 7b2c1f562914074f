import { withTenant } from "~db/client";
import type { AgentStatus } from "~db/schema";
import type { Permission } from "~/modules/auth/permissions";
import type { SessionUser } from "~/modules/auth/sessions.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { requireNetworkPermission } from "./guards.server";

/**
 * "The current agent": the signed-in user's agent record, for every /agent page. A tenant without
 * the agent network answers 404 (as if the portal did not exist); a user with the permission but no
 * agent record answers 403. The agent may still be pending or suspended: pages that act (register a
 * member, sell, record a payment) show `inactiveAgentMessage` instead of their forms, and the module
 * functions refuse too (`requireActiveAgent`).
 */
export interface CurrentAgent {
  id: string;
  userId: string;
  agentNumber: string;
  referralCode: string;
  status: AgentStatus;
  sponsorId: string | null;
  name: string;
  email: string;
}

export async function loadAgent(tenantId: string, user: Pick<SessionUser, "id" | "name" | "email">): Promise<CurrentAgent | undefined> {
  const row = await withTenant(tenantId, (db) =>
    db
      .selectFrom("agents")
      .select(["id", "agent_number", "referral_code", "status", "sponsor_id"])
      .where("user_id", "=", user.id)
      .executeTakeFirst(),
  );
  if (!row) return undefined;
  return {
    id: row.id,
    userId: user.id,
    agentNumber: row.agent_number,
    referralCode: row.referral_code,
    status: row.status,
    sponsorId: row.sponsor_id,
    name: user.name,
    email: user.email,
  };
}

export async function requireAgent(
  request: Request,
  permission: Permission,
): Promise<{ tenant: TenantInfo; user: SessionUser; agent: CurrentAgent }> {
  const { tenant, user } = await requireNetworkPermission(request, permission);
  const agent = await loadAgent(tenant.id, user);
  if (!agent) throw new Response("You are not registered as an agent of this agency.", { status: 403, statusText: "Forbidden" });
  return { tenant, user, agent };
}

/** Why an agent who is not active cannot act (null when they can), in words for the agent. */
export function inactiveAgentMessage(status: AgentStatus): string | null {
  switch (status) {
    case "active":
      return null;
    case "pending":
      return "Your agent application is waiting for approval. Once the agency approves it, you can register members and sell.";
    case "suspended":
      return "Your agent account is suspended: you cannot register members, sell or record payments until the agency reinstates it.";
    case "rejected":
      return "Your agent application was not approved, so you cannot register members or sell.";
    case "terminated":
      return "Your agent account has ended, so you cannot register members or sell.";
  }
}

export class InactiveAgentError extends Error {
  constructor(readonly status: AgentStatus) {
    super(inactiveAgentMessage(status) ?? "This agent cannot act");
    this.name = "InactiveAgentError";
  }
}

/** Module-level check, whatever the page showed: only an active agent registers, sells or collects. */
export function requireActiveAgent(agent: Pick<CurrentAgent, "status">): void {
  if (agent.status !== "active") throw new InactiveAgentError(agent.status);
}
