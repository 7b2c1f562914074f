import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { Language, Role, TokenPurpose } from "~db/schema";
import { recordAudit } from "~/modules/audit/audit.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { notify } from "~/modules/notifications/notify.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { networkOf } from "~/modules/abuse/network.server";
import { checkCredentials, signInErrorMessage } from "./credentials.server";
import { NO_FAILURES } from "./lockout";
import { forgetFailures, lockStateOf, saveLockState } from "./lockouts.server";
import { hashPassword, isReused, PASSWORD_HISTORY_DEPTH, verifyPassword } from "./password.server";
import { revokeAllSessions, revokeSession } from "./sessions.server";
import { newSecret, sha256, TOKEN_LIFETIME_MINUTES } from "./tokens.server";

/** Where a request came from: the audit log's IP, and the origin that links in emails point at. */
export interface RequestContext {
  ip: string | null;
  origin: string;
  now?: Date;
}

export type FieldErrors = Record<string, string[]>;
export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

const fail = (field: string, message: string): { ok: false; errors: FieldErrors } => ({ ok: false, errors: { [field]: [message] } });

async function issueToken(db: TenantDb, userId: string, purpose: TokenPurpose, now: Date): Promise<string> {
  const secret = newSecret();
  await db
    .insertInto("auth_tokens")
    .values({
      user_id: userId,
      purpose,
      token_hash: sha256(secret),
      expires_at: new Date(now.getTime() + TOKEN_LIFETIME_MINUTES[purpose] * 60_000),
    })
    .execute();
  return secret;
}

async function setPassword(db: TenantDb, userId: string, password: string): Promise<void> {
  await storePasswordHash(db, userId, await hashPassword(password));
}

async function storePasswordHash(db: TenantDb, userId: string, passwordHash: string): Promise<void> {
  await db.updateTable("users").set({ password_hash: passwordHash, updated_at: new Date() }).where("id", "=", userId).execute();
  await db.insertInto("password_history").values({ user_id: userId, password_hash: passwordHash }).execute();
  // A new password ends every lockout of the account: whoever set it holds the email or the old password.
  await forgetFailures(db, userId);
}

async function recentPasswordHashes(db: TenantDb, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("password_history")
    .select("password_hash")
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(PASSWORD_HISTORY_DEPTH)
    .execute();
  return rows.map((r) => r.password_hash);
}

export interface Registration {
  name: string;
  email: string;
  password: string;
  phone?: string;
  /** The role the new account gets: a customer, or an agent joining through a referral link. */
  role?: Extract<Role, "customer" | "agent">;
  /** The language they registered in (issue 14): their pages, emails and texts use it. */
  language?: Language;
}

/**
 * A customer signs up on a storefront. The caller answers the same whatever happens here, so the
 * form cannot tell anyone who is a customer: a new address gets an account and a confirmation
 * link; an address that already has an account here gets nothing but an email telling its owner
 * to sign in or reset the password (`userId` null). The same email may hold a separate account
 * with another agency.
 */
export async function registerCustomer(
  db: TenantDb,
  tenant: TenantInfo,
  input: Registration,
  ctx: RequestContext,
): Promise<{ userId: string | null }> {
  const now = ctx.now ?? new Date();
  // Hashed either way, so that a known address does not answer sooner.
  const passwordHash = await hashPassword(input.password);
  const user = await db
    .insertInto("users")
    .values({ email: input.email, name: input.name, phone: input.phone || null, language: input.language ?? null })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!user) {
    await warnOwnerOfRegistration(db, tenant, input.email, ctx, now);
    return { userId: null };
  }
  await db
    .insertInto("user_roles")
    .values({ user_id: user.id, role: input.role ?? "customer" })
    .execute();
  await storePasswordHash(db, user.id, passwordHash);
  await sendVerification(db, tenant, { id: user.id, name: input.name, email: input.email }, ctx, now);
  await recordAudit(db, { userId: user.id, ip: ctx.ip }, { action: "account.registered", targetType: "user", targetId: user.id });
  return { userId: user.id };
}

/** At most one "someone tried to register with your email" an hour per account: no one floods an inbox. */
const REGISTRATION_WARNING_SECONDS = 3600;

async function warnOwnerOfRegistration(db: TenantDb, tenant: TenantInfo, email: string, ctx: RequestContext, now: Date) {
  const owner = await db
    .selectFrom("users")
    .select(["id", "name", "email", "status"])
    .where("email", "=", email)
    .forUpdate()
    .executeTakeFirst();
  // A suspended account can neither sign in nor reset: there is nothing to tell its owner to do.
  if (!owner || owner.status !== "active") return;
  const recent = await db
    .selectFrom("messages")
    .select("id")
    .where("recipient", "=", owner.email)
    .where("template", "=", "account_exists")
    .where("created_at", ">", new Date(now.getTime() - REGISTRATION_WARNING_SECONDS * 1000))
    .executeTakeFirst();
  if (recent) return;
  await notify(db, tenant.id, {
    event: "account_exists",
    to: { userId: owner.id, email: owner.email },
    vars: { signInLink: `${ctx.origin}/login`, resetLink: `${ctx.origin}/forgot-password` },
  });
  await recordAudit(
    db,
    { userId: null, ip: ctx.ip },
    { action: "account.registration_for_existing", targetType: "user", targetId: owner.id },
  );
}

export async function sendVerification(
  db: TenantDb,
  tenant: TenantInfo,
  user: { id: string; name: string; email: string },
  ctx: RequestContext,
  now = new Date(),
) {
  const token = await issueToken(db, user.id, "verify_email", now);
  const link = `${ctx.origin}/verify-email?token=${token}`;
  // In the language of the page they registered on: the account has no language of its own yet.
  await notify(db, tenant.id, {
    event: "verify_email",
    to: { userId: user.id, email: user.email, name: user.name, language: tenant.language },
    vars: { link },
  });
}

/** How often a customer may ask for another confirmation or reset email. */
export const EMAIL_RESEND_SECONDS = 60;

async function sentRecently(db: TenantDb, userId: string, purpose: TokenPurpose, now: Date): Promise<boolean> {
  const recent = await db
    .selectFrom("auth_tokens")
    .select("id")
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("created_at", ">", new Date(now.getTime() - EMAIL_RESEND_SECONDS * 1000))
    .executeTakeFirst();
  return Boolean(recent);
}

/** A signed-in user asks for a new confirmation link; at most one a minute, so no one floods an inbox. */
export async function resendVerification(db: TenantDb, tenant: TenantInfo, userId: string, ctx: RequestContext): Promise<Outcome> {
  const now = ctx.now ?? new Date();
  // The row lock makes two quick clicks wait for each other, so the second sees the first token.
  const user = await db
    .selectFrom("users")
    .select(["id", "name", "email", "email_verified_at"])
    .where("id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
  if (!user) return fail("form", "Account not found.");
  if (user.email_verified_at) return fail("form", "Your email address is already confirmed.");
  if (await sentRecently(db, user.id, "verify_email", now)) {
    return fail("form", "We sent you a link less than a minute ago. Check your inbox and spam folder, or try again in a minute.");
  }
  await sendVerification(db, tenant, user, ctx, now);
  await recordAudit(db, { userId: user.id, ip: ctx.ip }, { action: "account.verification_sent", targetType: "user", targetId: user.id });
  return { ok: true };
}

/** Ends the session in use (signing out) and records it. */
export async function signOut(db: TenantDb, user: { id: string; sessionIdHash: string }, ctx: RequestContext): Promise<void> {
  await revokeSession(db, user.id, user.sessionIdHash);
  await recordAudit(db, { userId: user.id, ip: ctx.ip }, { action: "auth.sign_out", targetType: "user", targetId: user.id });
}

/** Ends one of the user's other sessions (a lost phone); false when it was not theirs or already ended. */
export async function endSession(db: TenantDb, userId: string, idHash: string, ctx: RequestContext): Promise<boolean> {
  const ended = await revokeSession(db, userId, idHash);
  if (ended) {
    await recordAudit(
      db,
      { userId, ip: ctx.ip },
      // Only a prefix of the hash: enough to tell sessions apart in the log.
      { action: "auth.session_revoked", targetType: "user", targetId: userId, details: { session: idHash.slice(0, 12) } },
    );
  }
  return ended;
}

/** "Sign out everywhere else": every session of the user but the one in use. */
export async function endOtherSessions(db: TenantDb, user: { id: string; sessionIdHash: string }, ctx: RequestContext): Promise<void> {
  await revokeAllSessions(db, user.id, "revoked_by_user", user.sessionIdHash);
  await recordAudit(db, { userId: user.id, ip: ctx.ip }, { action: "auth.other_sessions_revoked", targetType: "user", targetId: user.id });
}

/**
 * Checks an email and password; records failures, lockouts and sign-ins in the audit log. The
 * lockout counts this account's failures from this client's network only (decision 012).
 */
export async function authenticate(
  db: TenantDb,
  input: { email: string; password: string },
  ctx: RequestContext,
): Promise<{ ok: true; userId: string } | { ok: false; errors: FieldErrors; reason: "invalid" | "locked" | "suspended" }> {
  const now = ctx.now ?? new Date();
  const client = networkOf(ctx.ip);
  // The row lock makes one account's attempts wait for each other, so none is counted twice.
  const user = await db
    .selectFrom("users")
    .select(["id", "password_hash", "status"])
    .where("email", "=", input.email)
    .forUpdate()
    .executeTakeFirst();
  const lock = user ? await lockStateOf(db, user.id, client) : NO_FAILURES;
  const outcome = await checkCredentials(user, lock, input.password, now);
  if (outcome.result === "ok") {
    await forgetFailures(db, user!.id, client);
    await recordAudit(db, { userId: user!.id, ip: ctx.ip }, { action: "auth.sign_in", targetType: "user", targetId: user!.id });
    return { ok: true, userId: user!.id };
  }
  if (outcome.result === "invalid" && user) await saveLockState(db, user.id, client, outcome.next, now);
  await recordAudit(
    db,
    { userId: user?.id ?? null, ip: ctx.ip },
    {
      action: "auth.sign_in_failed",
      targetType: "user",
      targetId: user?.id ?? input.email,
      details: { reason: outcome.result },
    },
  );
  if (outcome.result === "invalid" && outcome.lockedNow && user) {
    await recordAudit(
      db,
      { userId: user.id, ip: ctx.ip },
      { action: "auth.lockout", targetType: "user", targetId: user.id, details: { until: outcome.next.lockedUntil, client } },
    );
  }
  // The reason lets the API answer a code; the web form shows only the message.
  return { ...fail("form", signInErrorMessage(outcome)), reason: outcome.result };
}

/** Marks the email verified. A token works once and only until it expires. */
export async function verifyEmail(db: TenantDb, token: string, ctx: RequestContext): Promise<Outcome> {
  const row = await consumeToken(db, token, ["verify_email"], ctx.now ?? new Date());
  if (!row) return fail("token", "This confirmation link is invalid or has expired. Sign in to get a new one.");
  const confirmed = await db
    .updateTable("users")
    .set({ email_verified_at: ctx.now ?? new Date(), updated_at: new Date() })
    .where("id", "=", row.user_id)
    .where("email_verified_at", "is", null)
    .executeTakeFirst();
  // The welcome follows the first confirmation, not the registration: it then reaches an address that is theirs.
  if (confirmed.numUpdatedRows > 0n) {
    await notify(db, row.tenant_id, {
      event: "welcome",
      to: { userId: row.user_id },
      vars: { link: `${ctx.origin}/account` },
      link: "/account",
      dedupeKey: `welcome:${row.user_id}`,
    });
  }
  await recordAudit(
    db,
    { userId: row.user_id, ip: ctx.ip },
    { action: "account.email_verified", targetType: "user", targetId: row.user_id },
  );
  return { ok: true };
}

/**
 * Starts a password reset. Answers the same whether or not the email has an account here, so the
 * form cannot be used to discover who is a customer.
 */
export async function requestPasswordReset(db: TenantDb, tenant: TenantInfo, email: string, ctx: RequestContext): Promise<void> {
  const user = await db.selectFrom("users").select(["id", "name", "email", "status"]).where("email", "=", email).executeTakeFirst();
  if (!user || user.status !== "active") return;
  const now = ctx.now ?? new Date();
  // One email a minute per account: the form cannot be used to flood someone's inbox.
  if (await sentRecently(db, user.id, "reset_password", now)) return;
  const token = await issueToken(db, user.id, "reset_password", now);
  const link = `${ctx.origin}/reset-password?token=${token}`;
  await notify(db, tenant.id, { event: "reset_password", to: { userId: user.id, email: user.email }, vars: { link } });
  await recordAudit(
    db,
    { userId: user.id, ip: ctx.ip },
    { action: "auth.password_reset_requested", targetType: "user", targetId: user.id },
  );
}

/** Looks a token up without using it: the reset page shows the form only for a live token. */
export async function findLiveToken(db: TenantDb, token: string, purposes: TokenPurpose[], now = new Date()) {
  return db
    .selectFrom("auth_tokens")
    .innerJoin("users", (j) => j.onRef("users.id", "=", "auth_tokens.user_id").onRef("users.tenant_id", "=", "auth_tokens.tenant_id"))
    .select(["auth_tokens.id", "auth_tokens.user_id", "auth_tokens.purpose", "users.email", "users.name"])
    .where("auth_tokens.token_hash", "=", sha256(token))
    .where("auth_tokens.purpose", "in", purposes)
    .where("auth_tokens.used_at", "is", null)
    .where("auth_tokens.expires_at", ">", now)
    .executeTakeFirst();
}

/** Uses a token: marks it used in the same statement that checks it, so it works exactly once. */
async function consumeToken(db: TenantDb, token: string, purposes: TokenPurpose[], now: Date) {
  return db
    .updateTable("auth_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", sha256(token))
    .where("purpose", "in", purposes)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning(["user_id", "purpose", "tenant_id"])
    .executeTakeFirst();
}

/** Sets a new password from a reset or invitation link; ends every session of the account. */
export async function resetPassword(
  db: TenantDb,
  input: { token: string; password: string },
  ctx: RequestContext,
): Promise<Outcome<{ userId: string; purpose: TokenPurpose }>> {
  const now = ctx.now ?? new Date();
  const live = await findLiveToken(db, input.token, ["reset_password", "invite"], now);
  if (!live) return fail("token", "This link is invalid, has expired or was already used. Ask for a new one.");
  if (await isReused(input.password, await recentPasswordHashes(db, live.user_id))) {
    return fail("password", `Choose a password you have not used for your last ${PASSWORD_HISTORY_DEPTH} passwords.`);
  }
  const used = await consumeToken(db, input.token, ["reset_password", "invite"], now);
  if (!used) return fail("token", "This link was just used. Ask for a new one.");
  await setPassword(db, used.user_id, input.password);
  {
    // Following an emailed link (invitation or reset) proves the address is theirs.
    await db
      .updateTable("users")
      .set({ email_verified_at: now })
      .where("id", "=", used.user_id)
      .where("email_verified_at", "is", null)
      .execute();
  }
  await revokeAllSessions(db, used.user_id, "password_change");
  await recordAudit(
    db,
    { userId: used.user_id, ip: ctx.ip },
    {
      action: used.purpose === "invite" ? "auth.invitation_accepted" : "auth.password_reset",
      targetType: "user",
      targetId: used.user_id,
    },
  );
  return { ok: true, userId: used.user_id, purpose: used.purpose };
}

/** Changes a signed-in user's password; other sessions end, the current one stays. */
export async function changePassword(
  db: TenantDb,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionIdHash?: string },
  ctx: RequestContext,
): Promise<Outcome> {
  const user = await db.selectFrom("users").select(["id", "password_hash"]).where("id", "=", input.userId).forUpdate().executeTakeFirst();
  if (!user) return fail("form", "Account not found.");
  if (!(await verifyPassword(user.password_hash, input.currentPassword)))
    return fail("currentPassword", "That is not your current password.");
  if (await isReused(input.newPassword, await recentPasswordHashes(db, user.id))) {
    return fail("newPassword", `Choose a password you have not used for your last ${PASSWORD_HISTORY_DEPTH} passwords.`);
  }
  await setPassword(db, user.id, input.newPassword);
  await revokeAllSessions(db, user.id, "password_change", input.keepSessionIdHash);
  await recordAudit(db, { userId: user.id, ip: ctx.ip }, { action: "auth.password_changed", targetType: "user", targetId: user.id });
  return { ok: true };
}

/**
 * Creates a staff account (or the first admin of a new agency) with no password and emails an
 * invitation to set one. Used by the operator console and by tenant admins.
 */
export async function inviteUser(
  db: TenantDb,
  tenant: TenantInfo,
  input: { name: string; email: string; role: Role; origin: string },
  actor: { userId?: string; operatorId?: string; ip: string | null },
): Promise<Outcome<{ userId: string }>> {
  const user = await db
    .insertInto("users")
    .values({ email: input.email, name: input.name })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!user) return fail("email", "This agency already has an account with this email.");
  await db.insertInto("user_roles").values({ user_id: user.id, role: input.role }).execute();
  const token = await issueToken(db, user.id, "invite", new Date());
  const link = `${input.origin}/reset-password?token=${token}`;
  await notify(db, tenant.id, {
    event: "invite",
    to: { userId: user.id, email: input.email, name: input.name },
    vars: { link, role: async (_locale, language) => (await serverT(language, "common"))(`roles.${input.role}`).toLowerCase() },
  });
  await recordAudit(db, actor, { action: "account.invited", targetType: "user", targetId: user.id, details: { role: input.role } });
  return { ok: true, userId: user.id };
}

/**
 * A one-time link to set a password on an account someone else created (an agent registering a
 * member): the invitation token of `inviteUser`, for callers that send their own email.
 */
export async function invitationLink(db: TenantDb, userId: string, origin: string, now = new Date()): Promise<string> {
  const token = await issueToken(db, userId, "invite", now);
  return `${origin}/reset-password?token=${token}`;
}

/** An admin sets a user's roles; the change is audited with before and after. */
export async function setUserRoles(
  db: TenantDb,
  input: { userId: string; roles: Role[] },
  actor: { userId: string; ip: string | null },
): Promise<Outcome> {
  const user = await db.selectFrom("users").select("id").where("id", "=", input.userId).executeTakeFirst();
  if (!user) return fail("form", "User not found.");
  if (input.roles.length === 0) return fail("roles", "Keep at least one role.");
  if (input.userId === actor.userId && !input.roles.includes("admin"))
    return fail("roles", "You cannot remove your own administrator role.");
  const before = (await db.selectFrom("user_roles").select("role").where("user_id", "=", input.userId).execute()).map((r) => r.role).sort();
  const after = [...new Set(input.roles)].sort();
  if (before.join() === after.join()) return { ok: true };
  await db.deleteFrom("user_roles").where("user_id", "=", input.userId).execute();
  await db
    .insertInto("user_roles")
    .values(after.map((role) => ({ user_id: input.userId, role })))
    .execute();
  await recordAudit(db, actor, { action: "user.roles_changed", targetType: "user", targetId: input.userId, details: { before, after } });
  return { ok: true };
}

export async function countUsers(db: TenantDb): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}
