import type { TenantDb } from "~db/client";
import { recordAudit } from "~/modules/audit/audit.server";
import type { Outcome, RequestContext } from "~/modules/auth/accounts.server";
import { verifyPassword } from "~/modules/auth/password.server";
import { newSecret, sha256 } from "~/modules/auth/tokens.server";
import { notify } from "~/modules/notifications/notify.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";

/**
 * Changing the sign-in email (docs/decisions/032-customer-self-service.md): the customer asks with
 * their password; the new address gets a link that makes the change, the old one a notice with a
 * "this wasn't me" link that cancels it. Nothing changes until the new address confirms, and the
 * customer's sessions stay signed in. A newer request replaces an older one still waiting.
 */

export const EMAIL_CHANGE_HOURS = 24;

const fail = (field: string, message: string): { ok: false; errors: Record<string, string[]> } => ({
  ok: false,
  errors: { [field]: [message] },
});

async function emailTaken(db: TenantDb, email: string, userId: string): Promise<boolean> {
  const other = await db.selectFrom("users").select("id").where("email", "=", email).where("id", "!=", userId).executeTakeFirst();
  return Boolean(other);
}

export async function requestEmailChange(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "name" | "branding">,
  input: { userId: string; newEmail: string; password: string },
  ctx: RequestContext,
): Promise<Outcome> {
  const now = ctx.now ?? new Date();
  const user = await db
    .selectFrom("users")
    .select(["id", "name", "email", "password_hash"])
    .where("id", "=", input.userId)
    .forUpdate()
    .executeTakeFirst();
  if (!user) return fail("form", "Account not found.");
  if (!(await verifyPassword(user.password_hash, input.password))) return fail("password", "That is not your current password.");
  if (input.newEmail === user.email) return fail("newEmail", "This is already your email address.");
  // Said plainly to the signed-in owner: they proved their password, so this tells no stranger anything.
  if (await emailTaken(db, input.newEmail, user.id)) return fail("newEmail", "Another account already uses this email address.");

  await db
    .updateTable("email_changes")
    .set({ cancelled_at: now })
    .where("user_id", "=", user.id)
    .where("confirmed_at", "is", null)
    .where("cancelled_at", "is", null)
    .execute();
  const confirm = newSecret();
  const cancel = newSecret();
  await db
    .insertInto("email_changes")
    .values({
      user_id: user.id,
      old_email: user.email,
      new_email: input.newEmail,
      confirm_hash: sha256(confirm),
      cancel_hash: sha256(cancel),
      expires_at: new Date(now.getTime() + EMAIL_CHANGE_HOURS * 3_600_000),
      created_at: now,
    })
    .execute();
  // Each to its own address, in the account's language.
  await notify(db, tenant.id, {
    event: "email_change_confirm",
    to: { userId: user.id, email: input.newEmail },
    vars: { newEmail: input.newEmail, hours: String(EMAIL_CHANGE_HOURS), link: `${ctx.origin}/account/email-change?confirm=${confirm}` },
  });
  await notify(db, tenant.id, {
    event: "email_change_notice",
    to: { userId: user.id, email: user.email },
    vars: { newEmail: input.newEmail, cancelLink: `${ctx.origin}/account/email-change?cancel=${cancel}` },
  });
  await recordAudit(
    db,
    { userId: user.id, ip: ctx.ip },
    { action: "account.email_change_requested", targetType: "user", targetId: user.id },
  );
  return { ok: true };
}

export type EmailChangeResult =
  { state: "confirmed"; newEmail: string } | { state: "cancelled"; newEmail: string } | { state: "invalid" } | { state: "taken" };

async function openChange(db: TenantDb, column: "confirm_hash" | "cancel_hash", token: string, now: Date) {
  return db
    .selectFrom("email_changes")
    .select(["id", "user_id", "old_email", "new_email"])
    .where(column, "=", sha256(token))
    .where("confirmed_at", "is", null)
    .where("cancelled_at", "is", null)
    .where("expires_at", ">", now)
    .forUpdate()
    .executeTakeFirst();
}

/** The link in the new address's email: the change happens now, signed in or not (the link is the proof). */
export async function confirmEmailChange(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "name" | "branding">,
  token: string,
  ctx: RequestContext,
): Promise<EmailChangeResult> {
  const now = ctx.now ?? new Date();
  const change = await openChange(db, "confirm_hash", token, now);
  if (!change) return { state: "invalid" };
  const user = await db.selectFrom("users").select(["id", "name", "email"]).where("id", "=", change.user_id).forUpdate().executeTakeFirst();
  // The account's address moved on meanwhile (an older request): this one no longer applies.
  if (!user || user.email !== change.old_email) return { state: "invalid" };
  if (await emailTaken(db, change.new_email, user.id)) return { state: "taken" };
  await db
    .updateTable("users")
    .set({ email: change.new_email, email_verified_at: now, updated_at: now })
    .where("id", "=", user.id)
    .execute();
  await db.updateTable("email_changes").set({ confirmed_at: now }).where("id", "=", change.id).execute();
  await notify(db, tenant.id, {
    event: "email_changed",
    to: { userId: user.id, email: change.old_email },
    vars: { newEmail: change.new_email },
  });
  await recordAudit(
    db,
    { userId: user.id, ip: ctx.ip },
    { action: "account.email_changed", targetType: "user", targetId: user.id, details: { from: change.old_email, to: change.new_email } },
  );
  return { state: "confirmed", newEmail: change.new_email };
}

/** "This wasn't me", from the old address's notice: the waiting change is dropped. */
export async function cancelEmailChange(db: TenantDb, token: string, ctx: RequestContext): Promise<EmailChangeResult> {
  const now = ctx.now ?? new Date();
  const change = await openChange(db, "cancel_hash", token, now);
  if (!change) return { state: "invalid" };
  await db.updateTable("email_changes").set({ cancelled_at: now }).where("id", "=", change.id).execute();
  await recordAudit(
    db,
    { userId: change.user_id, ip: ctx.ip },
    { action: "account.email_change_cancelled", targetType: "user", targetId: change.user_id },
  );
  return { state: "cancelled", newEmail: change.new_email };
}

/** The change waiting for the new address, to show on the profile. */
export async function pendingEmailChange(db: TenantDb, userId: string, now = new Date()) {
  return db
    .selectFrom("email_changes")
    .select(["new_email", "expires_at"])
    .where("user_id", "=", userId)
    .where("confirmed_at", "is", null)
    .where("cancelled_at", "is", null)
    .where("expires_at", ">", now)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
}

/** Withdraws the waiting change from the profile page (the owner changed their mind). */
export async function withdrawEmailChange(db: TenantDb, userId: string, now = new Date()): Promise<void> {
  await db
    .updateTable("email_changes")
    .set({ cancelled_at: now })
    .where("user_id", "=", userId)
    .where("confirmed_at", "is", null)
    .where("cancelled_at", "is", null)
    .execute();
}
