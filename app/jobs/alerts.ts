import type { Task } from "graphile-worker";
import { runAlertChecks } from "~/modules/alerts/checks.server";
import { fanOut, requireTenantById, tenantPayload } from "./tenants";

/** Every quarter hour, each tenant checks what should alert its admins (decision 043). */
export const checkAlertsTask = fanOut("check_alerts_tenant");

export const checkAlertsTenantTask: Task = async (raw, helpers) => {
  const { tenantId } = tenantPayload.parse(raw);
  const raised = await runAlertChecks(await requireTenantById(tenantId));
  if (raised.length > 0) helpers.logger.info(`check_alerts ${tenantId}: ${raised.join(", ")}`);
};
