import { sql } from "kysely";
import type { PlatformDb } from "~db/client";
import { recordPlatformAudit } from "~/modules/audit/audit.server";
import { networkOf } from "~/modules/abuse/network.server";
import { forgetOperatorFailures, operatorLockStateOf, saveOperatorLockState } from "~/modules/platform/lockouts.server";
import type { ClientInfo } from "./sessions.server";
import { verifyPassword } from "./password.server";
import {
  confirmEnrolment,
  disableFactor,
  regenerateRecoveryCodes,
  signInWithSecondFactor,
  type FactorStore,
  type LockStore,
} from "./two-factor.server";
import { tableStore } from "./two-factor-store.server";

/**
 * Two-factor sign-in for platform operators (decision 033). Operators live outside tenants, so
 * their factor is in platform tables, reached only through `withPlatform` (decision 002); the
 * rules are the same as for a tenant's accounts (two-factor.server.ts).
 */

export const OPERATOR_TWO_FACTOR_PAGE = "/console/account/two-factor";

export function operatorFactorStore(db: PlatformDb, operatorId: string): FactorStore {
  return tableStore(db, OPERATOR_TABLES, operatorId, `two-factor:platform:${operatorId}`);
}

const OPERATOR_TABLES = {
  factor: "platform_operator_two_factor",
  codes: "platform_operator_recovery_codes",
  owner: "operator_id",
  key: ["operator_id"],
} as const;

function operatorLockStore(db: PlatformDb, operatorId: string, ip: string | null): LockStore {
  const client = networkOf(ip);
  return {
    state: () => operatorLockStateOf(db, operatorId, client),
    save: (state, now) => saveOperatorLockState(db, operatorId, client, state, now),
    forget: () => forgetOperatorFailures(db, operatorId, client),
  };
}

/** True for an operator without two-factor sign-in while the platform requires it. */
export function operatorMustEnrolSql(operatorIdColumn: string) {
  const operator = sql.ref(operatorIdColumn);
  return sql<boolean>`(
    coalesce((select s.require_two_factor_for_operators from platform_settings s), false)
    and not exists (select 1 from platform_operator_two_factor f where f.operator_id = ${operator} and f.enabled_at is not null)
  )`;
}

export async function operatorLanding(db: PlatformDb, operatorId: string, redirectTo: string): Promise<string> {
  const row = await db
    .selectFrom("platform_operators")
    .select(operatorMustEnrolSql("platform_operators.id").as("must"))
    .where("id", "=", operatorId)
    .executeTakeFirst();
  return row?.must ? `${OPERATOR_TWO_FACTOR_PAGE}?required=1` : redirectTo;
}

export async function platformSecuritySettings(db: PlatformDb): Promise<{ requireTwoFactorForOperators: boolean }> {
  const row = await db.selectFrom("platform_settings").select("require_two_factor_for_operators").executeTakeFirst();
  return { requireTwoFactorForOperators: row?.require_two_factor_for_operators ?? false };
}

export async function savePlatformSecuritySettings(
  db: PlatformDb,
  input: { requireTwoFactorForOperators: boolean },
  actor: { operatorId: string; ip: string | null },
): Promise<void> {
  await db
    .updateTable("platform_settings")
    .set({ require_two_factor_for_operators: input.requireTwoFactorForOperators, updated_at: new Date() })
    .execute();
  await recordPlatformAudit(db, actor, { action: "security.settings_updated", targetType: "platform", details: input });
}

export async function turnOnOperatorTwoFactor(db: PlatformDb, operatorId: string, code: string, client: ClientInfo) {
  const result = await confirmEnrolment(operatorFactorStore(db, operatorId), code);
  if (result.ok) {
    await recordPlatformAudit(
      db,
      { operatorId, ip: client.ip },
      { action: "auth.two_factor_enabled", targetType: "operator", targetId: operatorId },
    );
  }
  return result;
}

export async function turnOffOperatorTwoFactor(
  db: PlatformDb,
  operatorId: string,
  input: { code: string; password: string },
  client: ClientInfo,
) {
  const op = await db.selectFrom("platform_operators").select("password_hash").where("id", "=", operatorId).executeTakeFirst();
  if (!(await verifyPassword(op?.password_hash, input.password))) {
    return { ok: false as const, errors: { password: ["That is not your password."] } as Record<string, string[]> };
  }
  const result = await disableFactor(operatorFactorStore(db, operatorId), input.code);
  if (result.ok) {
    await recordPlatformAudit(
      db,
      { operatorId, ip: client.ip },
      { action: "auth.two_factor_disabled", targetType: "operator", targetId: operatorId, details: { via: result.via } },
    );
  }
  return result;
}

export async function newOperatorRecoveryCodes(db: PlatformDb, operatorId: string, code: string, client: ClientInfo) {
  const result = await regenerateRecoveryCodes(operatorFactorStore(db, operatorId), code);
  if (result.ok) {
    await recordPlatformAudit(
      db,
      { operatorId, ip: client.ip },
      { action: "auth.recovery_codes_regenerated", targetType: "operator", targetId: operatorId },
    );
  }
  return result;
}

/** The code step of an operator's sign-in, under the operators' lockout, audited. */
export async function finishOperatorSignIn(db: PlatformDb, operatorId: string, code: string, client: ClientInfo) {
  const check = await signInWithSecondFactor(
    operatorFactorStore(db, operatorId),
    operatorLockStore(db, operatorId, client.ip),
    code,
    new Date(),
  );
  const actor = { operatorId, ip: client.ip };
  if (check.result === "ok") {
    await recordPlatformAudit(db, actor, {
      action: "auth.two_factor_passed",
      targetType: "operator",
      targetId: operatorId,
      details: { via: check.via },
    });
  } else {
    await recordPlatformAudit(db, actor, {
      action: "auth.two_factor_failed",
      targetType: "operator",
      targetId: operatorId,
      details: { reason: check.result },
    });
    if (check.result === "invalid" && check.lockedNow) {
      await recordPlatformAudit(db, actor, { action: "auth.lockout", targetType: "operator", targetId: operatorId });
    }
  }
  return check;
}
