import type { TenantDb } from "~db/client";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import type { Outcome } from "~/modules/auth/accounts.server";
import { checkPhoneCode, newPhoneCode, PHONE_CODE_ATTEMPTS, PHONE_CODE_MINUTES, phoneCodeRefusal } from "~/modules/auth/phone-codes.server";
import { notify } from "~/modules/notifications/notify.server";
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

export async function sendAccountPhoneCode(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "name" | "branding">,
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
  const refusal = phoneCodeRefusal(recent, now);
  if (refusal) return fail("phone", refusal);

  const { id, code, codeHash, expiresAt } = newPhoneCode("account-phone-code", now);
  await db
    .insertInto("account_phone_codes")
    .values({
      id,
      user_id: input.userId,
      phone: input.phone,
      code_hash: codeHash,
      expires_at: expiresAt,
      created_at: now,
    })
    .execute();
  await notify(db, tenant.id, {
    event: "phone_code",
    to: { userId: input.userId, phone: input.phone },
    vars: { code, minutes: String(PHONE_CODE_MINUTES) },
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
  const check = checkPhoneCode("account-phone-code", row, input.code, now);
  if (!check.ok || !row) {
    if (!check.ok && check.countAttempt && row) {
      await db
        .updateTable("account_phone_codes")
        .set({ attempts: row.attempts + 1 })
        .where("id", "=", row.id)
        .execute();
    }
    return fail("code", check.ok ? "Ask for a code first." : check.message);
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
