import type { TenantDb } from "~db/client";
import type { UnqualifiedShare } from "~db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";

/** A tenant's network settings: how many tiers a sale pays, and when months close. */
export interface NetworkSettings {
  tiers: number;
  unqualifiedShare: UnqualifiedShare;
  closeDay: number;
  autoClose: boolean;
}

/** What a tenant runs on before anyone changes anything (the migration's column defaults). */
export const DEFAULT_NETWORK_SETTINGS: NetworkSettings = { tiers: 10, unqualifiedShare: "skip", closeDay: 1, autoClose: true };

export async function networkSettings(db: TenantDb): Promise<NetworkSettings> {
  const row = await db.selectFrom("network_settings").selectAll().executeTakeFirst();
  if (!row) return { ...DEFAULT_NETWORK_SETTINGS };
  return { tiers: row.tiers, unqualifiedShare: row.unqualified_share, closeDay: row.close_day, autoClose: row.auto_close };
}

export async function updateNetworkSettings(db: TenantDb, values: NetworkSettings, actor?: Actor): Promise<void> {
  const row = { tiers: values.tiers, unqualified_share: values.unqualifiedShare, close_day: values.closeDay, auto_close: values.autoClose };
  await db
    .insertInto("network_settings")
    .values(row)
    .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
  if (actor) await recordAudit(db, actor, { action: "agent.network_settings_updated", details: { ...values } });
}
