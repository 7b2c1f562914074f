import { redirect } from "@remix-run/node";
import { withPlatform, type PlatformDb } from "~db/client";
import { recordPlatformAudit } from "~/modules/audit/audit.server";
import { networkOf } from "~/modules/abuse/network.server";
import { checkCredentials, signInErrorMessage } from "~/modules/auth/credentials.server";
import { NO_FAILURES } from "~/modules/auth/lockout";
import { hashPassword, isReused, PASSWORD_HISTORY_DEPTH, verifyPassword } from "~/modules/auth/password.server";
import { readSessionSecret, sessionCookie, SESSION_DAYS, type ClientInfo } from "~/modules/auth/sessions.server";
import { newSecret, sha256 } from "~/modules/auth/tokens.server";
import { requirePlatformSite } from "~/modules/tenancy/resolve.server";
import type { FieldErrors } from "~/modules/auth/accounts.server";
import { forgetOperatorFailures, operatorLockStateOf, saveOperatorLockState } from "./lockouts.server";
import { oncePerRequest } from "~/lib/per-request.server";
import { OPERATOR_TWO_FACTOR_PAGE, operatorMustEnrolSql } from "~/modules/auth/two-factor-operators.server";

export interface Operator {
  id: string;
  email: string;
  name: string;
  sessionIdHash: string;
  /** The platform requires two-factor sign-in and this operator has not set it up (decision 033). */
  mustEnrolTwoFactor: boolean;
}

export const operatorCookie = () => sessionCookie("covera_operator");

/** Platform operators sign in with the same rules as tenant accounts: lockout per client network, audit. */
export async function authenticateOperator(
  db: PlatformDb,
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<{ ok: true; operatorId: string } | { ok: false; errors: FieldErrors }> {
  const now = new Date();
  const network = networkOf(client.ip);
  const op = await db
    .selectFrom("platform_operators")
    .select(["id", "password_hash"])
    .where("email", "=", input.email)
    .forUpdate()
    .executeTakeFirst();
  const lock = op ? await operatorLockStateOf(db, op.id, network) : NO_FAILURES;
  const outcome = await checkCredentials(op, lock, input.password, now);
  if (outcome.result === "ok") {
    await forgetOperatorFailures(db, op!.id, network);
    await recordPlatformAudit(
      db,
      { operatorId: op!.id, ip: client.ip },
      { action: "auth.sign_in", targetType: "operator", targetId: op!.id },
    );
    return { ok: true, operatorId: op!.id };
  }
  if (outcome.result === "invalid" && op) await saveOperatorLockState(db, op.id, network, outcome.next, now);
  await recordPlatformAudit(
    db,
    { operatorId: op?.id ?? null, ip: client.ip },
    {
      action: "auth.sign_in_failed",
      targetType: "operator",
      targetId: op?.id ?? input.email,
      details: { reason: outcome.result },
    },
  );
  if (outcome.result === "invalid" && outcome.lockedNow && op) {
    await recordPlatformAudit(
      db,
      { operatorId: op.id, ip: client.ip },
      { action: "auth.lockout", targetType: "operator", targetId: op.id },
    );
  }
  return { ok: false, errors: { form: [signInErrorMessage(outcome, false)] } };
}

export async function startOperatorSession(db: PlatformDb, operatorId: string, client: ClientInfo): Promise<string> {
  const secret = newSecret();
  await db
    .insertInto("platform_sessions")
    .values({
      id_hash: sha256(secret),
      operator_id: operatorId,
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
      expires_at: new Date(Date.now() + SESSION_DAYS * 86_400_000),
    })
    .execute();
  return operatorCookie().serialize(secret);
}

export function optionalOperator(request: Request): Promise<Operator | null> {
  return oncePerRequest(request, "operator", async () => {
    const secret = await readSessionSecret(request, "covera_operator");
    if (!secret) return null;
    const idHash = sha256(secret);
    const row = await withPlatform((db) =>
      db
        .selectFrom("platform_sessions")
        .innerJoin("platform_operators", "platform_operators.id", "platform_sessions.operator_id")
        .select(["platform_operators.id", "platform_operators.email", "platform_operators.name"])
        .select(operatorMustEnrolSql("platform_operators.id").as("must_enrol"))
        .where("platform_sessions.id_hash", "=", idHash)
        .where("platform_sessions.revoked_at", "is", null)
        .where("platform_sessions.expires_at", ">", new Date())
        .executeTakeFirst(),
    );
    if (!row) return null;
    const { must_enrol, ...operator } = row;
    return { ...operator, sessionIdHash: idHash, mustEnrolTwoFactor: must_enrol };
  });
}

/**
 * Operator pages exist only on the platform host and only for a signed-in operator; while the
 * platform requires two-factor sign-in, an operator without it opens only its setup page (`enrolling`).
 */
export async function requireOperator(request: Request, options: { enrolling?: boolean } = {}): Promise<Operator> {
  await requirePlatformSite(request);
  const operator = await optionalOperator(request);
  if (!operator) {
    const url = new URL(request.url);
    throw redirect(`/console/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (operator.mustEnrolTwoFactor && !options.enrolling) throw redirect(`${OPERATOR_TWO_FACTOR_PAGE}?required=1`);
  return operator;
}

export async function endOperatorSession(db: PlatformDb, idHash: string): Promise<void> {
  await db.updateTable("platform_sessions").set({ revoked_at: new Date() }).where("id_hash", "=", idHash).execute();
}

/** Signs an operator out: the session ends in the database and the audit log says so. */
export async function signOutOperator(db: PlatformDb, operator: Operator, client: ClientInfo): Promise<void> {
  await endOperatorSession(db, operator.sessionIdHash);
  await recordPlatformAudit(
    db,
    { operatorId: operator.id, ip: client.ip },
    { action: "auth.sign_out", targetType: "operator", targetId: operator.id },
  );
}

/** The Set-Cookie value that removes the operator cookie from the browser. */
export function clearOperatorCookie(): Promise<string> {
  return operatorCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}

export async function changeOperatorPassword(
  db: PlatformDb,
  input: { operatorId: string; currentPassword: string; newPassword: string; keepSessionIdHash: string },
  client: ClientInfo,
): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  const op = await db
    .selectFrom("platform_operators")
    .select(["id", "password_hash"])
    .where("id", "=", input.operatorId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(op.password_hash, input.currentPassword)))
    return { ok: false, errors: { currentPassword: ["That is not your current password."] } };
  const history = await db
    .selectFrom("platform_operator_password_history")
    .select("password_hash")
    .where("operator_id", "=", op.id)
    .orderBy("created_at", "desc")
    .limit(PASSWORD_HISTORY_DEPTH)
    .execute();
  if (
    await isReused(
      input.newPassword,
      history.map((h) => h.password_hash),
    )
  ) {
    return {
      ok: false,
      errors: { newPassword: [`Choose a password you have not used for your last ${PASSWORD_HISTORY_DEPTH} passwords.`] },
    };
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.updateTable("platform_operators").set({ password_hash: passwordHash, updated_at: new Date() }).where("id", "=", op.id).execute();
  await forgetOperatorFailures(db, op.id);
  await db.insertInto("platform_operator_password_history").values({ operator_id: op.id, password_hash: passwordHash }).execute();
  await db
    .updateTable("platform_sessions")
    .set({ revoked_at: new Date() })
    .where("operator_id", "=", op.id)
    .where("id_hash", "!=", input.keepSessionIdHash)
    .where("revoked_at", "is", null)
    .execute();
  await recordPlatformAudit(
    db,
    { operatorId: op.id, ip: client.ip },
    { action: "auth.password_changed", targetType: "operator", targetId: op.id },
  );
  return { ok: true };
}
