import type { WorkflowSubject } from "~db/schema";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { policyWorkflow } from "~/modules/policies/workflow.server";
import { tenantOrigin, type TenantInfo } from "~/modules/tenancy/resolve.server";
import type { WorkflowHandlers } from "./engine.server";

/**
 * A subject's handlers, for code that meets workflows of every subject (the jobs, My tasks, the
 * template editor). The engine itself imports no domain; this is the one place that knows them all.
 */
export async function workflowHandlers(subject: WorkflowSubject, tenant: TenantInfo): Promise<WorkflowHandlers> {
  switch (subject) {
    case "claim":
      return claimWorkflow(tenant, await tenantOrigin(tenant));
    case "policy":
      return policyWorkflow(tenant);
  }
}
