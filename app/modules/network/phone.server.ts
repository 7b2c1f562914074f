import type { TenantDb } from "~db/client";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import type { Outcome } from "~/modules/auth/accounts.server";
import { checkPhoneCode, newPhoneCode, PHONE_CODE_ATTEMPTS, PHONE_CODE_MINUTES, phoneCodeRefusal } from "~/modules/auth/phone-codes.server";
import { notify } from "~/modules/notifications/notify.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";

/**
 * An agent proves their phone with a 6-digit code sent by SMS, by the rules of
 * app/modules/auth/phone-codes.server.ts (a keyed hash stored, 10 minutes, 5 wrong tries, one code a
 * minute and 5 an hour); the codes are kept in `phone_verifications`.
 */

const fail = (field: string, message: string): { ok: false; errors: Record<string, string[]> } => ({
  ok: false,
  errors: { [field]: [message] },
});

export async function sendPhoneCode(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "name">,
  input: { agentId: string; phone: string },
  actor: Actor,
  now = new Date(),
): Promise<Outcome> {
  // The row lock makes two quick clicks wait for each other, so the second sees the first code.
  const agent = await db
    .selectFrom("agents")
    .select(["id", "user_id", "phone", "phone_verified_at"])
    .where("id", "=", input.agentId)
    .forUpdate()
    .executeTakeFirst();
  if (!agent) return fail("form", "There is no such agent.");
  if (agent.phone === input.phone && agent.phone_verified_at) return fail("phone", "This number is already confirmed.");
  const recent = await db
    .selectFrom("phone_verifications")
    .select("created_at")
    .where("agent_id", "=", input.agentId)
    .where("created_at", ">", new Date(now.getTime() - 3_600_000))
    .orderBy("created_at", "desc")
    .execute();
  const refusal = phoneCodeRefusal(recent, now);
  if (refusal) return fail("phone", refusal);

  const { id, code, codeHash, expiresAt } = newPhoneCode("phone-code", now);
  await db
    .insertInto("phone_verifications")
    .values({
      id,
      agent_id: input.agentId,
      phone: input.phone,
      code_hash: codeHash,
      expires_at: expiresAt,
      created_at: now,
    })
    .execute();
  if (agent.phone !== input.phone) {
    // A new number is unconfirmed until its code is entered.
    await db
      .updateTable("agents")
      .set({ phone: input.phone, phone_verified_at: null, updated_at: now })
      .where("id", "=", input.agentId)
      .execute();
  }
  await notify(db, tenant.id, {
    event: "phone_code",
    to: { userId: agent.user_id, phone: input.phone },
    vars: { code, minutes: String(PHONE_CODE_MINUTES) },
  });
  await recordAudit(db, actor, { action: "agent.phone_code_sent", targetType: "agent", targetId: input.agentId });
  return { ok: true };
}

/** Checks the newest code. A wrong code counts an attempt (and that count is kept). */
export async function verifyPhoneCode(
  db: TenantDb,
  input: { agentId: string; code: string },
  actor: Actor,
  now = new Date(),
): Promise<Outcome> {
  const row = await db
    .selectFrom("phone_verifications")
    .select(["id", "phone", "code_hash", "attempts", "expires_at", "used_at"])
    .where("agent_id", "=", input.agentId)
    .orderBy("created_at", "desc")
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  const check = checkPhoneCode("phone-code", row, input.code, now);
  if (!check.ok || !row) {
    if (!check.ok && check.countAttempt && row) {
      await db
        .updateTable("phone_verifications")
        .set({ attempts: row.attempts + 1 })
        .where("id", "=", row.id)
        .execute();
    }
    return fail("code", check.ok ? "Ask for a code first." : check.message);
  }
  await db.updateTable("phone_verifications").set({ used_at: now }).where("id", "=", row.id).execute();
  await db
    .updateTable("agents")
    .set({ phone: row.phone, phone_verified_at: now, updated_at: now })
    .where("id", "=", input.agentId)
    .execute();
  await recordAudit(db, actor, { action: "agent.phone_verified", targetType: "agent", targetId: input.agentId });
  return { ok: true };
}

/** The code waiting to be entered, if any (unused, unexpired, tries left): the page then asks for it. */
export async function pendingPhoneCode(db: TenantDb, agentId: string, now = new Date()) {
  const row = await db
    .selectFrom("phone_verifications")
    .select(["phone", "expires_at", "attempts", "used_at"])
    .where("agent_id", "=", agentId)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row || row.used_at || row.expires_at <= now || row.attempts >= PHONE_CODE_ATTEMPTS) return undefined;
  return { phone: row.phone, expiresAt: row.expires_at };
}
