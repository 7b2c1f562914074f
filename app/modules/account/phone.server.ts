import { createHmac, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import type { TenantDb } from "~db/client";
import { env } from "~/lib/env.server";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import type { Outcome } from "~/modules/auth/accounts.server";
import { PHONE_CODE_ATTEMPTS, PHONE_CODE_MINUTES, PHONE_CODES_PER_HOUR, PHONE_RESEND_SECONDS } from "~/modules/network/phone.server";
import { phoneCodeText } from "~/modules/notifications/account-templates.server";
import { queueSms } from "~/modules/notifications/sms.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";

/**
 * A customer changes their phone number by proving they hold the new one: a 6-digit code by SMS,
 * with the agents' rules (app/modules/network/phone.server.ts): only a keyed hash stored, 10
 * minutes, 5 wrong tries, one code a minute and 5 an hour; the routes add the `phone_code` rate
 * limit per account. The number on the account changes only when the code is right.
 */

const fail = (field: string, message: string): { ok: false; errors: Record<string, string[]> } => ({
  ok: false,
  errors: { [field]: [message] },
});

const hashCode = (codeId: string, code: string) =>
  createHmac("sha256", `account-phone-code:${env().SESSION_SECRET}`).update(`${codeId}:${code}`).digest("hex");

export async function sendAccountPhoneCode(
  db: TenantDb,
  tenant: Pick<TenantInfo, "name" | "branding">,
  input: { userId: string; phone: string },
  actor: Actor,
  now = new Date(),
): Promise<Outcome> {
  // The row lock makes two quick clicks wait for each other, so the second sees the first code.
  const user = await db.selectFrom("users").select(["id", "phone"]).where("id", "=", input.userId).forUpdate().executeTakeFirst();
  if (!user) return fail("form", "Account not found.");
  if (user.phone === input.phone) return fail("phone", "This is already your phone number.");
  const recent = await db
    .selectFrom("account_phone_codes")
    .select("created_at")
    .where("user_id", "=", input.userId)
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
    .insertInto("account_phone_codes")
    .values({
      id,
      user_id: input.userId,
      phone: input.phone,
      code_hash: hashCode(id, code),
      expires_at: new Date(now.getTime() + PHONE_CODE_MINUTES * 60_000),
      created_at: now,
    })
    .execute();
  await queueSms(db, {
    template: "account_phone_code",
    to: input.phone,
    text: phoneCodeText({ tenantName: tenant.name }, { code, minutes: PHONE_CODE_MINUTES }),
  });
  await recordAudit(db, actor, { action: "account.phone_code_sent", targetType: "user", targetId: input.userId });
  return { ok: true };
}

/** Checks the newest code; a wrong one counts a try (kept). Right: the account takes the new number. */
export async function confirmAccountPhone(
  db: TenantDb,
  input: { userId: string; code: string },
  actor: Actor,
  now = new Date(),
): Promise<Outcome> {
  const row = await db
    .selectFrom("account_phone_codes")
    .select(["id", "phone", "code_hash", "attempts", "expires_at", "used_at"])
    .where("user_id", "=", input.userId)
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
    await db.updateTable("account_phone_codes").set({ attempts }).where("id", "=", row.id).execute();
    const left = PHONE_CODE_ATTEMPTS - attempts;
    return fail(
      "code",
      left > 0
        ? `That code is not right. ${left} ${left === 1 ? "try" : "tries"} left.`
        : "That code is not right, and it cannot be used any more. Ask for a new one.",
    );
  }
  await db.updateTable("account_phone_codes").set({ used_at: now }).where("id", "=", row.id).execute();
  await db.updateTable("users").set({ phone: row.phone, updated_at: now }).where("id", "=", input.userId).execute();
  await recordAudit(db, actor, { action: "account.phone_changed", targetType: "user", targetId: input.userId });
  return { ok: true };
}

/** The code waiting to be entered, if any: the page then asks for it. */
export async function pendingAccountPhone(db: TenantDb, userId: string, now = new Date()) {
  const row = await db
    .selectFrom("account_phone_codes")
    .select(["phone", "expires_at", "attempts", "used_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row || row.used_at || row.expires_at <= now || row.attempts >= PHONE_CODE_ATTEMPTS) return undefined;
  return { phone: row.phone, expiresAt: row.expires_at };
}
