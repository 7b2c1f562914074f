import type { TenantDb } from "~db/client";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { DEFAULT_BROADCAST_RATE } from "./settings-form";

/**
 * A tenant's messaging settings (messaging_settings, one row per tenant, decision 042): quiet hours
 * in the tenant's time zone ("HH:MM", both or neither), which `deliveryDecision` applies to
 * non-urgent messages, and the broadcast send rate. A tenant that never saved them has no quiet
 * hours and migration 0026's rate.
 */
export interface MessagingSettings {
  quietStart: string | null;
  quietEnd: string | null;
  broadcastRatePerMinute: number;
}

export async function messagingSettings(db: TenantDb): Promise<MessagingSettings> {
  const row = await db.selectFrom("messaging_settings").selectAll().executeTakeFirst();
  return {
    quietStart: row?.quiet_hours_start?.slice(0, 5) ?? null,
    quietEnd: row?.quiet_hours_end?.slice(0, 5) ?? null,
    broadcastRatePerMinute: row?.broadcast_rate_per_minute ?? DEFAULT_BROADCAST_RATE,
  };
}

/** Saves the settings (audited with what they were and what they became). */
export async function saveMessagingSettings(db: TenantDb, settings: MessagingSettings, actor: Actor): Promise<void> {
  const before = await messagingSettings(db);
  const values = {
    quiet_hours_start: settings.quietStart,
    quiet_hours_end: settings.quietEnd,
    broadcast_rate_per_minute: settings.broadcastRatePerMinute,
    updated_at: new Date(),
  };
  await db
    .insertInto("messaging_settings")
    .values(values)
    .onConflict((oc) => oc.column("tenant_id").doUpdateSet(values))
    .execute();
  await recordAudit(db, actor, {
    action: "messaging.settings_updated",
    targetType: "messaging_settings",
    details: { before, after: settings },
  });
}
