import { withPlatform } from "~db/client";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/log.server";
import { resendProvider } from "~/modules/notifications/providers/resend.server";
import type { MessageProvider } from "~/modules/notifications/providers/types";

/**
 * Operators hear of a platform incident by email, once (issue 14 item 6, decision 043). They have
 * no row in `messages` (every message belongs to an agency), so this goes straight through the
 * platform's own Resend account, from the job `platform_alert_email` (one per incident: its job
 * key), each email with its own idempotency key so a retried job never sends one twice. Without
 * RESEND_API_KEY (development) the console's alert list and the error log are the channel.
 */
export function platformMailer(): MessageProvider | null {
  const { RESEND_API_KEY, EMAIL_FROM } = env();
  return RESEND_API_KEY ? resendProvider({ apiKey: RESEND_API_KEY, from: EMAIL_FROM }) : null;
}

export async function emailOperatorsOfAlert(alertId: string, mailer: MessageProvider | null = platformMailer()): Promise<string> {
  const { alert, operators } = await withPlatform(async (db) => ({
    alert: await db
      .selectFrom("platform_alerts")
      .leftJoin("tenants", "tenants.id", "platform_alerts.about_tenant")
      .select([
        "platform_alerts.id",
        "platform_alerts.title",
        "platform_alerts.detail",
        "platform_alerts.kind",
        "platform_alerts.resolved_at",
      ])
      .select("tenants.name as tenant_name")
      .where("platform_alerts.id", "=", alertId)
      .executeTakeFirst(),
    operators: await db.selectFrom("platform_operators").select(["id", "email", "name"]).orderBy("id").execute(),
  }));
  if (!alert) return "no_alert";
  if (alert.resolved_at) return "already_resolved";
  if (!mailer) {
    logger.warn({ alertId }, "platform alert not emailed: no RESEND_API_KEY (listed on /console/alerts)");
    return "no_mailer";
  }
  const { PLATFORM_HOST, NODE_ENV, PORT } = env();
  const console = NODE_ENV === "production" ? `https://${PLATFORM_HOST}` : `http://${PLATFORM_HOST}:${PORT}`;
  const text = [
    `Hello,`,
    ``,
    `Covera raised a platform alert: ${alert.title}`,
    alert.tenant_name ? `Agency: ${alert.tenant_name}` : null,
    alert.detail ? `\n${alert.detail}` : null,
    ``,
    `See it and mark it resolved: ${console}/console/alerts`,
    ``,
    `You receive this because you are a Covera operator. You hear of an incident once; it is listed until it is resolved.`,
  ]
    .filter((line) => line !== null)
    .join("\n");
  for (const operator of operators) {
    await mailer.send({
      id: `platform-alert-${alert.id}-${operator.id}`,
      tenantId: "",
      channel: "email",
      to: operator.email,
      subject: `Covera alert: ${alert.title}`.slice(0, 200),
      text,
      html: null,
      attachments: [],
      event: null,
      language: "en",
      variables: null,
    });
  }
  return `emailed ${operators.length}`;
}
