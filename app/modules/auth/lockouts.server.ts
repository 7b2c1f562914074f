import type { TenantDb } from "~db/client";
import { FAILURES_KEPT_HOURS, NO_FAILURES, type LockState } from "./lockout";

/** An account's sign-in lock state for one client network (decision 012), in `sign_in_failures`. */
export async function lockStateOf(db: TenantDb, userId: string, client: string): Promise<LockState> {
  const row = await db
    .selectFrom("sign_in_failures")
    .select(["failed_count", "locked_until"])
    .where("user_id", "=", userId)
    .where("client", "=", client)
    .executeTakeFirst();
  return row ? { failedCount: row.failed_count, lockedUntil: row.locked_until } : NO_FAILURES;
}

export async function saveLockState(db: TenantDb, userId: string, client: string, state: LockState, now: Date): Promise<void> {
  const values = { failed_count: state.failedCount, locked_until: state.lockedUntil, updated_at: now };
  await db
    .insertInto("sign_in_failures")
    .values({ user_id: userId, client, ...values })
    .onConflict((oc) => oc.columns(["tenant_id", "user_id", "client"]).doUpdateSet(values))
    .execute();
}

/** A sign-in from this client worked (or, without a client, the password changed): its failures are forgotten. */
export async function forgetFailures(db: TenantDb, userId: string, client?: string): Promise<void> {
  let query = db.deleteFrom("sign_in_failures").where("user_id", "=", userId);
  if (client !== undefined) query = query.where("client", "=", client);
  await query.execute();
}

/** The hourly sweep: failures nobody has added to for a day go (any lock they caused ended long ago). */
export async function sweepSignInFailures(db: TenantDb, now = new Date()): Promise<void> {
  await db
    .deleteFrom("sign_in_failures")
    .where("updated_at", "<", new Date(now.getTime() - FAILURES_KEPT_HOURS * 3_600_000))
    .execute();
}
