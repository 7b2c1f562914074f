import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { recordAudit } from "~/modules/audit/audit.server";
import { networkOf } from "~/modules/abuse/network.server";
import { notify } from "~/modules/notifications/notify.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import type { RequestContext } from "./accounts.server";
import { forgetFailures, lockStateOf, saveLockState } from "./lockouts.server";
import { verifyPassword } from "./password.server";
import { STAFF_ROLES } from "./permissions";
import {
  confirmEnrolment,
  disableFactor,
  regenerateRecoveryCodes,
  signInWithSecondFactor,
  type FactorStore,
  type LockStore,
} from "./two-factor.server";
import { tableStore } from "./two-factor-store.server";

/** Two-factor sign-in for a tenant's accounts (decision 033): their rows, under the tenant's RLS. */

export const TWO_FACTOR_PAGE = "/account/two-factor";

export function userFactorStore(db: TenantDb, tenantId: string, userId: string): FactorStore {
  return tableStore(db, USER_TABLES, userId, `two-factor:${tenantId}:${userId}`);
}

const USER_TABLES = { factor: "user_two_factor", codes: "user_recovery_codes", owner: "user_id", key: ["tenant_id", "user_id"] } as const;

function userLockStore(db: TenantDb, userId: string, ip: string | null): LockStore {
  const client = networkOf(ip);
  return {
    state: () => lockStateOf(db, userId, client),
    save: (state, now) => saveLockState(db, userId, client, state, now),
    forget: () => forgetFailures(db, userId, client),
  };
}

/**
 * True for a staff account without two-factor sign-in in an agency that requires it: it may
 * open nothing but the setup page. One expression, read with the session on every request.
 */
export function mustEnrolTwoFactorSql(userIdColumn: string) {
  const user = sql.ref(userIdColumn);
  return sql<boolean>`(
    exists (select 1 from user_roles r where r.user_id = ${user} and r.role in (${sql.join(STAFF_ROLES)}))
    and coalesce((select s.require_two_factor_for_staff from security_settings s), false)
    and not exists (select 1 from user_two_factor f where f.user_id = ${user} and f.enabled_at is not null)
  )`;
}

/** Where a full sign-in lands: the setup page first when the agency requires it and it is not set up. */
export async function landingAfterSignIn(db: TenantDb, userId: string, redirectTo: string): Promise<string> {
  const row = await db.selectFrom("users").select(mustEnrolTwoFactorSql("users.id").as("must")).where("id", "=", userId).executeTakeFirst();
  return row?.must ? `${TWO_FACTOR_PAGE}?required=1` : redirectTo;
}

export async function securitySettings(db: TenantDb): Promise<{ requireTwoFactorForStaff: boolean }> {
  const row = await db.selectFrom("security_settings").select("require_two_factor_for_staff").executeTakeFirst();
  return { requireTwoFactorForStaff: row?.require_two_factor_for_staff ?? false };
}

export async function saveSecuritySettings(
  db: TenantDb,
  input: { requireTwoFactorForStaff: boolean },
  actor: { userId: string; ip: string | null },
): Promise<void> {
  const values = { require_two_factor_for_staff: input.requireTwoFactorForStaff, updated_at: new Date() };
  await db
    .insertInto("security_settings")
    .values(values)
    .onConflict((oc) => oc.column("tenant_id").doUpdateSet(values))
    .execute();
  await recordAudit(db, actor, { action: "security.settings_updated", targetType: "tenant", details: input });
}

interface Account {
  id: string;
  name: string;
  email: string;
}

export async function turnOnTwoFactor(db: TenantDb, tenant: TenantInfo, user: Account, code: string, ctx: RequestContext) {
  const now = ctx.now ?? new Date();
  const result = await confirmEnrolment(userFactorStore(db, tenant.id, user.id), code, now);
  if (!result.ok) return result;
  await recordAudit(db, { userId: user.id, ip: ctx.ip }, { action: "auth.two_factor_enabled", targetType: "user", targetId: user.id });
  await notify(db, tenant.id, {
    event: "two_factor_on",
    to: { userId: user.id, email: user.email },
    vars: { link: `${ctx.origin}${TWO_FACTOR_PAGE}` },
  });
  return result;
}

export async function turnOffTwoFactor(
  db: TenantDb,
  tenant: TenantInfo,
  user: Account,
  input: { code: string; password: string },
  ctx: RequestContext,
) {
  const account = await db.selectFrom("users").select("password_hash").where("id", "=", user.id).executeTakeFirst();
  if (!(await verifyPassword(account?.password_hash, input.password))) {
    return { ok: false as const, errors: { password: ["That is not your password."] } as Record<string, string[]> };
  }
  const result = await disableFactor(userFactorStore(db, tenant.id, user.id), input.code, ctx.now ?? new Date());
  if (!result.ok) return result;
  await recordAudit(
    db,
    { userId: user.id, ip: ctx.ip },
    { action: "auth.two_factor_disabled", targetType: "user", targetId: user.id, details: { via: result.via } },
  );
  await notify(db, tenant.id, {
    event: "two_factor_off",
    to: { userId: user.id, email: user.email },
    vars: { link: `${ctx.origin}${TWO_FACTOR_PAGE}` },
  });
  return result;
}

export async function newRecoveryCodesFor(db: TenantDb, tenantId: string, userId: string, code: string, ctx: RequestContext) {
  const result = await regenerateRecoveryCodes(userFactorStore(db, tenantId, userId), code, ctx.now ?? new Date());
  if (result.ok) {
    await recordAudit(db, { userId, ip: ctx.ip }, { action: "auth.recovery_codes_regenerated", targetType: "user", targetId: userId });
  }
  return result;
}

/**
 * The code step of signing in: checked under the password lockout, audited, and a used recovery
 * code is told to the account's owner by email (with how many are left).
 */
export async function finishSignIn(db: TenantDb, tenant: TenantInfo, userId: string, code: string, ctx: RequestContext) {
  const now = ctx.now ?? new Date();
  const check = await signInWithSecondFactor(userFactorStore(db, tenant.id, userId), userLockStore(db, userId, ctx.ip), code, now);
  const actor = { userId, ip: ctx.ip };
  if (check.result !== "ok") {
    await recordAudit(db, actor, {
      action: "auth.two_factor_failed",
      targetType: "user",
      targetId: userId,
      details: { reason: check.result },
    });
    if (check.result === "invalid" && check.lockedNow) {
      await recordAudit(db, actor, { action: "auth.lockout", targetType: "user", targetId: userId, details: { until: check.lockedUntil } });
    }
    return check;
  }
  await recordAudit(db, actor, { action: "auth.two_factor_passed", targetType: "user", targetId: userId, details: { via: check.via } });
  if (check.via === "recovery_code") {
    await notify(db, tenant.id, {
      event: "two_factor_recovery_code_used",
      to: { userId },
      vars: { codesLeft: String(check.codesLeft), link: `${ctx.origin}${TWO_FACTOR_PAGE}` },
    });
  }
  return check;
}
