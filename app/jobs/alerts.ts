import type { Task } from "graphile-worker";
import { z } from "zod";
import { lineText } from "~/lib/text";
import { runAlertChecks } from "~/modules/alerts/checks.server";
import { emailOperatorsOfAlert } from "~/modules/alerts/operator-email.server";
import { fanOut, requireTenantById, tenantPayload } from "./tenants";

/** Every quarter hour, each tenant checks what should alert its admins (decision 043). */
export const checkAlertsTask = fanOut("check_alerts_tenant");

export const checkAlertsTenantTask: Task = async (raw, helpers) => {
  const { tenantId } = tenantPayload.parse(raw);
  const raised = await runAlertChecks(await requireTenantById(tenantId));
  if (raised.length > 0) helpers.logger.info(`check_alerts ${tenantId}: ${raised.join(", ")}`);
};

/** A new platform incident: each operator is emailed once (decision 043). */
export const platformAlertEmailTask: Task = async (raw, helpers) => {
  const { alertId } = z.object({ alertId: lineText().uuid() }).parse(raw);
  helpers.logger.info(`platform alert ${alertId}: ${await emailOperatorsOfAlert(alertId)}`);
};
