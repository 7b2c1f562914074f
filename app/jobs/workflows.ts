import type { Task } from "graphile-worker";
import { z } from "zod";
import { withTenant } from "~db/client";
import type { WorkflowSubject } from "~db/schema";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { fireTimeout, runAutomaticStage, type WorkflowHandlers } from "~/modules/workflows/engine.server";
import { tenantOrigin, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { requireTenantById, withId } from "./tenants";

/**
 * The workflow engine's timers and automatic stages (decision 020). The engine is generic; the
 * subject's module supplies the handlers, chosen here so that the engine never imports a domain.
 */
const payload = withId("taskId").extend({ subject: z.enum(["claim", "policy"]) });

export async function workflowHandlers(subject: WorkflowSubject, tenant: TenantInfo): Promise<WorkflowHandlers> {
  const origin = await tenantOrigin(tenant);
  switch (subject) {
    case "claim":
      return claimWorkflow(tenant, origin);
    case "policy":
      throw new Error("Policies do not run on the workflow engine yet");
  }
}

export const workflowAutomaticTask: Task = async (raw, helpers) => {
  const { tenantId, taskId, subject } = payload.parse(raw);
  const handlers = await workflowHandlers(subject, await requireTenantById(tenantId));
  const outcome = await withTenant(tenantId, (db) => runAutomaticStage(db, handlers, taskId));
  helpers.logger.debug(`workflow_automatic ${taskId}: ${outcome}`);
};

export const workflowTimeoutTask: Task = async (raw, helpers) => {
  const { tenantId, taskId, subject } = payload.parse(raw);
  const handlers = await workflowHandlers(subject, await requireTenantById(tenantId));
  const outcome = await withTenant(tenantId, (db) => fireTimeout(db, handlers, taskId));
  helpers.logger.debug(`workflow_timeout ${taskId}: ${outcome}`);
};
