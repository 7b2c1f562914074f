import { createHmac, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import type { TenantDb } from "~db/client";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import type { Outcome } from "~/modules/auth/accounts.server";
import { env } from "~/lib/env.server";
import { queueSms } from "~/modules/notifications/sms.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";

/**
 * An agent proves their phone with a 6-digit code sent by SMS. Only a keyed hash of the code is
 * stored (HMAC with the server's secret over the row's id and the code: a database dump alone
 * cannot try the million codes); a code lives 10 minutes and survives 5 wrong tries; a new code may
 * be asked for once a minute, at most 5 times an hour.
 */
export const PHONE_CODE_MINUTES = 10;
export const PHONE_CODE_ATTEMPTS = 5;
export const PHONE_RESEND_SECONDS = 60;
export const PHONE_CODES_PER_HOUR = 5;

const fail = (field: string, message: string): { ok: false; errors: Record<string, string[]> } => ({
  ok: false,
  errors: { [field]: [message] },
});

const hashCode = (verificationId: string, code: string) =>
  createHmac("sha256", `phone-code:${env().SESSION_SECRET}`).update(`${verificationId}:${code}`).digest("hex");

export async function sendPhoneCode(
  db: TenantDb,
  tenant: Pick<TenantInfo, "name">,
  input: { agentId: string; phone: string },
  actor: Actor,
  now = new Date(),
): Promise<Outcome> {
  // The row lock makes two quick clicks wait for each other, so the second sees the first code.
  const agent = await db
    .selectFrom("agents")
    .select(["id", "phone", "phone_verified_at"])
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
  if (recent[0] && recent[0].created_at.getTime() > now.getTime() - PHONE_RESEND_SECONDS * 1000) {
    return fail("phone", "We sent a code less than a minute ago. Wait a minute before asking for another.");
  }
  if (recent.length >= PHONE_CODES_PER_HOUR) return fail("phone", "Too many codes asked for in the last hour. Try again later.");

  const id = randomUUID();
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await db
    .insertInto("phone_verifications")
    .values({
      id,
      agent_id: input.agentId,
      phone: input.phone,
      code_hash: hashCode(id, code),
      expires_at: new Date(now.getTime() + PHONE_CODE_MINUTES * 60_000),
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
  await queueSms(db, {
    template: "phone_code",
    to: input.phone,
    text: `${code} is your ${tenant.name} confirmation code. It expires in ${PHONE_CODE_MINUTES} minutes. Do not share it.`,
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
  if (!row || row.used_at) return fail("code", "Ask for a code first.");
  if (row.expires_at <= now) return fail("code", "This code has expired. Ask for a new one.");
  if (row.attempts >= PHONE_CODE_ATTEMPTS) return fail("code", "Too many wrong tries for this code. Ask for a new one.");
  const expected = Buffer.from(row.code_hash, "hex");
  const given = Buffer.from(hashCode(row.id, input.code), "hex");
  if (!timingSafeEqual(expected, given)) {
    const attempts = row.attempts + 1;
    await db.updateTable("phone_verifications").set({ attempts }).where("id", "=", row.id).execute();
    const left = PHONE_CODE_ATTEMPTS - attempts;
    return fail(
      "code",
      left > 0
        ? `That code is not right. ${left} ${left === 1 ? "try" : "tries"} left.`
        : "That code is not right, and it cannot be used any more. Ask for a new one.",
    );
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
