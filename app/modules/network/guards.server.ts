import { requirePermission } from "~/modules/auth/guards.server";
import type { Permission } from "~/modules/auth/permissions";
import { requireTenant, type TenantInfo } from "~/modules/tenancy/resolve.server";

/**
 * The agent network's pages exist only for agencies that run one: elsewhere they answer 404,
 * exactly like a page that does not exist. The permission is checked first (403 for the wrong role).
 */
export function assertAgentNetwork(tenant: TenantInfo): void {
  if (!tenant.features.agentNetwork) throw new Response("Not found", { status: 404 });
}

export async function requireNetworkPermission(request: Request, permission: Permission) {
  const result = await requirePermission(request, permission);
  assertAgentNetwork(result.tenant);
  return result;
}

/** A public network page (joining through a referral link): the tenant, if it runs a network. */
export async function requireNetworkTenant(request: Request): Promise<TenantInfo> {
  const tenant = await requireTenant(request);
  assertAgentNetwork(tenant);
  return tenant;
}
