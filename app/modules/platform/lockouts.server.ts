import type { PlatformDb } from "~db/client";
import { FAILURES_KEPT_HOURS, NO_FAILURES, type LockState } from "~/modules/auth/lockout";

/**
 * An operator's sign-in lock state for one client network (decision 012), in
 * `platform_sign_in_failures`: the same rules as tenant accounts (app/modules/auth/lockouts.server.ts).
 */
export async function operatorLockStateOf(db: PlatformDb, operatorId: string, client: string): Promise<LockState> {
  const row = await db
    .selectFrom("platform_sign_in_failures")
    .select(["failed_count", "locked_until"])
    .where("operator_id", "=", operatorId)
    .where("client", "=", client)
    .executeTakeFirst();
  return row ? { failedCount: row.failed_count, lockedUntil: row.locked_until } : NO_FAILURES;
}

export async function saveOperatorLockState(db: PlatformDb, operatorId: string, client: string, state: LockState, now: Date) {
  const values = { failed_count: state.failedCount, locked_until: state.lockedUntil, updated_at: now };
  await db
    .insertInto("platform_sign_in_failures")
    .values({ operator_id: operatorId, client, ...values })
    .onConflict((oc) => oc.columns(["operator_id", "client"]).doUpdateSet(values))
    .execute();
}

export async function forgetOperatorFailures(db: PlatformDb, operatorId: string, client?: string): Promise<void> {
  let query = db.deleteFrom("platform_sign_in_failures").where("operator_id", "=", operatorId);
  if (client !== undefined) query = query.where("client", "=", client);
  await query.execute();
}

export async function sweepOperatorSignInFailures(db: PlatformDb, now = new Date()): Promise<void> {
  await db
    .deleteFrom("platform_sign_in_failures")
    .where("updated_at", "<", new Date(now.getTime() - FAILURES_KEPT_HOURS * 3_600_000))
    .execute();
}
