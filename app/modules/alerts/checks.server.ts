import { sql } from "kysely";
import type { Job } from "graphile-worker";
import { withPlatform, withTenant, type TenantDb } from "~db/client";
import { monthsWaitingToClose } from "~/modules/commissions/close.server";
import { addMonthsTo, monthOf } from "~/modules/commissions/months";
import { networkSettings } from "~/modules/network/settings.server";
import { quoteDateIn } from "~/modules/rating/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { raiseAlert, raisePlatformAlert } from "./alerts.server";

/**
 * What raises alerts (issue 14, docs/decisions/043-broadcasts-and-alerts.md): a job that failed
 * for good (the worker's `job:failed` event), and three checks the `check_alerts` cron asks of every
 * tenant: a monthly commission close that did not finish, a messaging channel failing, and payment
 * webhooks waiting. Each check raises at most one alert per incident; repeats only count.
 */
export const PROVIDER_ERROR_WINDOW_MINUTES = 15;
export const PROVIDER_ERROR_THRESHOLD = 10;
export const WEBHOOK_BACKLOG_MINUTES = 15;

/** A job graphile-worker will not try again. With a tenant: that tenant's admins; without: operators. */
export async function alertJobFailedForGood(
  job: Pick<Job, "id" | "task_identifier" | "payload" | "attempts" | "max_attempts">,
  error: unknown,
) {
  const tenantId = (job.payload as { tenantId?: unknown } | null)?.tenantId;
  const reason = error instanceof Error ? error.message : String(error);
  const alert = {
    kind: "job_failed",
    incidentKey: job.task_identifier,
    title: `Background work “${job.task_identifier}” failed for good`,
    detail: `Job ${job.id} gave up after ${job.attempts} attempts: ${reason}`,
  };
  if (typeof tenantId === "string") await withTenant(tenantId, (db) => raiseAlert(db, tenantId, alert));
  else await withPlatform((db) => raisePlatformAlert(db, alert));
}

/** Every check for one tenant (the cron's per-tenant job). */
export async function runAlertChecks(tenant: Pick<TenantInfo, "id" | "timeZone" | "features">, now = new Date()): Promise<string[]> {
  return withTenant(tenant.id, async (db) => {
    const raised: string[] = [];
    if (tenant.features.agentNetwork && (await checkCommissionClose(db, tenant, now))) raised.push("commission_close");
    if (await checkProviderErrors(db, tenant.id, now)) raised.push("provider_errors");
    if (await checkWebhookBacklog(db, tenant.id, now)) raised.push("webhook_backlog");
    return raised;
  });
}

/**
 * The close runs hourly on the close day (app/jobs/commissions.ts); an ended month still open a
 * day after it means the close failed or stopped half-way.
 */
export async function checkCommissionClose(db: TenantDb, tenant: Pick<TenantInfo, "id" | "timeZone">, now: Date): Promise<boolean> {
  const settings = await networkSettings(db);
  const day = Number(quoteDateIn(tenant.timeZone, now).slice(8, 10));
  if (!settings.autoClose || day <= settings.closeDay) return false;
  const open = await monthsWaitingToClose(db, addMonthsTo(monthOf(now, tenant.timeZone), -1));
  for (const month of open) {
    await raiseAlert(
      db,
      tenant.id,
      {
        kind: "commission_close",
        incidentKey: month,
        title: `The commission close of ${month.slice(0, 7)} did not finish`,
        detail: `Closing is due on day ${settings.closeDay} and runs every hour; the month still has entries waiting. Check the month under Commissions and close it there.`,
      },
      now,
    );
  }
  return open.length > 0;
}

/** Sends that threw or were refused in the last minutes, per channel (the provider behind it). */
export async function checkProviderErrors(db: TenantDb, tenantId: string, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - PROVIDER_ERROR_WINDOW_MINUTES * 60_000);
  const failing = await db
    .selectFrom("message_events as e")
    .innerJoin("messages as m", "m.id", "e.message_id")
    .select(["m.channel", sql<number>`count(*)::int`.as("n")])
    .where("e.status", "in", ["retrying", "failed"])
    .where("e.created_at", ">=", since)
    .where("e.created_at", "<=", now)
    .groupBy("m.channel")
    .having(sql`count(*)`, ">=", PROVIDER_ERROR_THRESHOLD)
    .execute();
  for (const f of failing) {
    await raiseAlert(
      db,
      tenantId,
      {
        kind: "provider_errors",
        incidentKey: `messaging:${f.channel}`,
        title: `The ${f.channel === "in_app" ? "in-app" : f.channel} provider is failing`,
        detail: `${f.n} sends failed or are being retried in the last ${PROVIDER_ERROR_WINDOW_MINUTES} minutes. Check the provider under Messages › Providers and the message log.`,
      },
      now,
    );
  }
  return failing.length > 0;
}

/** Payment provider events stored but not processed (the partial index of migration 0011). */
export async function checkWebhookBacklog(db: TenantDb, tenantId: string, now: Date): Promise<boolean> {
  const before = new Date(now.getTime() - WEBHOOK_BACKLOG_MINUTES * 60_000);
  const waiting = await db
    .selectFrom("provider_events")
    .select(["provider", sql<number>`count(*)::int`.as("n"), sql<Date>`min(received_at)`.as("oldest")])
    .where("processed_at", "is", null)
    .where("received_at", "<", before)
    .groupBy("provider")
    .execute();
  for (const w of waiting) {
    await raiseAlert(
      db,
      tenantId,
      {
        kind: "webhook_backlog",
        incidentKey: w.provider,
        title: `${w.n} ${w.provider} notification${w.n === 1 ? " has" : "s have"} waited more than ${WEBHOOK_BACKLOG_MINUTES} minutes`,
        detail: `The oldest arrived at ${new Date(w.oldest).toISOString()}. Payments they confirm are not recorded until they are processed; check the job worker.`,
      },
      now,
    );
  }
  return waiting.length > 0;
}
