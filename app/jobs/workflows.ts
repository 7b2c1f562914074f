import type { Task } from "graphile-worker";
import { z } from "zod";
import { withTenant } from "~db/client";
import { fireTimeout, runAutomaticStage } from "~/modules/workflows/engine.server";
import { workflowHandlers } from "~/modules/workflows/handlers.server";
import { requireTenantById, withId } from "./tenants";

export { workflowHandlers };

/**
 * The workflow engine's timers and automatic stages (decision 020). The engine is generic; the
 * subject's module supplies the handlers (app/modules/workflows/handlers.server.ts), so that the
 * engine never imports a domain.
 */
const payload = withId("taskId").extend({ subject: z.enum(["claim", "policy"]) });

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
