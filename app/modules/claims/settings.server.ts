import type { TenantDb } from "~db/client";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";

/**
 * A tenant's claim rules (claim_settings, one row per tenant): the four-eyes amount, the appeal
 * window, cover in an unpaid grace period, and whether new claims are handed out by round-robin.
 * A tenant that never saved them has migration 0012's defaults.
 */
export interface ClaimSettings {
  fourEyesMinor: number;
  appealDays: number;
  graceCoverDays: number;
  autoAssign: boolean;
}

export const DEFAULT_CLAIM_SETTINGS: ClaimSettings = { fourEyesMinor: 10_000_000, appealDays: 30, graceCoverDays: 0, autoAssign: true };

export async function claimSettings(db: TenantDb): Promise<ClaimSettings> {
  const row = await db.selectFrom("claim_settings").selectAll().executeTakeFirst();
  if (!row) return { ...DEFAULT_CLAIM_SETTINGS };
  return {
    fourEyesMinor: row.four_eyes_minor,
    appealDays: row.appeal_days,
    graceCoverDays: row.grace_cover_days,
    autoAssign: row.auto_assign,
  };
}

/** Saves the rules (audited with what they were and what they became). */
export async function saveClaimSettings(db: TenantDb, settings: ClaimSettings, actor: Actor): Promise<void> {
  const before = await claimSettings(db);
  const values = {
    four_eyes_minor: settings.fourEyesMinor,
    appeal_days: settings.appealDays,
    grace_cover_days: settings.graceCoverDays,
    auto_assign: settings.autoAssign,
    updated_at: new Date(),
  };
  await db
    .insertInto("claim_settings")
    .values(values)
    .onConflict((oc) => oc.column("tenant_id").doUpdateSet(values))
    .execute();
  await recordAudit(db, actor, { action: "claim.settings_updated", targetType: "claim_settings", details: { before, after: settings } });
}
