import { createCookie } from "@remix-run/node";
import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { ApiFamilyRevocation, Role } from "~db/schema";
import { env } from "~/lib/env.server";
import { revokeUserFamilies } from "./api-tokens.server";
import { newSecret, sha256 } from "./tokens.server";
import { mustEnrolTwoFactorSql } from "./two-factor-users.server";

export const SESSION_DAYS = 30;
// Writing last_seen_at on every request would turn reads into writes; once in a while is enough.
const TOUCH_AFTER_MS = 5 * 60_000;

/**
 * One cookie per host, holding only a random session id (signed). Host-only (no Domain), so a
 * session on bowman.localhost is never even sent to khholdings.localhost.
 */
export function sessionCookie(name: "covera_session" | "covera_operator") {
  const production = env().NODE_ENV === "production";
  return createCookie(production ? `__Host-${name}` : name, {
    httpOnly: true,
    sameSite: "lax",
    secure: production,
    path: "/",
    maxAge: SESSION_DAYS * 24 * 60 * 60,
    secrets: [env().SESSION_SECRET],
  });
}

export const userCookie = () => sessionCookie("covera_session");

export async function readSessionSecret(request: Request, name: "covera_session" | "covera_operator"): Promise<string | null> {
  const value = await sessionCookie(name).parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length >= 32 ? value : null;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Starts a session; returns the Set-Cookie header value. */
export async function startSession(db: TenantDb, userId: string, client: ClientInfo): Promise<string> {
  const secret = newSecret();
  await db
    .insertInto("sessions")
    .values({
      id_hash: sha256(secret),
      user_id: userId,
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
      expires_at: new Date(Date.now() + SESSION_DAYS * 86_400_000),
    })
    .execute();
  return userCookie().serialize(secret);
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  roles: Role[];
  sessionIdHash: string;
  /** Staff of an agency that requires two-factor sign-in, not yet set up: only the setup page opens (decision 033). */
  mustEnrolTwoFactor: boolean;
}

/** The signed-in user of this tenant, or null (no cookie, unknown, expired or revoked session). */
export async function findSessionUser(db: TenantDb, secret: string): Promise<SessionUser | null> {
  const idHash = sha256(secret);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", (j) => j.onRef("users.id", "=", "sessions.user_id").onRef("users.tenant_id", "=", "sessions.tenant_id"))
    .select(["users.id", "users.email", "users.name", "users.email_verified_at", "users.status", "sessions.last_seen_at"])
    .select(sql<Role[]>`array(select r.role from user_roles r where r.user_id = users.id order by r.role)`.as("roles"))
    .select(mustEnrolTwoFactorSql("users.id").as("must_enrol_two_factor"))
    .where("sessions.id_hash", "=", idHash)
    .where("sessions.revoked_at", "is", null)
    .where("sessions.expires_at", ">", new Date())
    .executeTakeFirst();
  if (!row || row.status !== "active") return null;
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    await db.updateTable("sessions").set({ last_seen_at: new Date() }).where("id_hash", "=", idHash).execute();
  }
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    emailVerified: row.email_verified_at !== null,
    roles: row.roles ?? [],
    sessionIdHash: idHash,
    mustEnrolTwoFactor: row.must_enrol_two_factor,
  };
}

export async function revokeSession(db: TenantDb, userId: string, idHash: string): Promise<boolean> {
  const result = await db
    .updateTable("sessions")
    .set({ revoked_at: new Date() })
    .where("id_hash", "=", idHash)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Ends every session of a user, except optionally the one in use (after a password change). The
 * reason is kept on the apps' token families, so a suspension reads `account_closed`, not a password change.
 */
export async function revokeAllSessions(db: TenantDb, userId: string, reason: ApiFamilyRevocation, exceptIdHash?: string): Promise<void> {
  // Apps signed in through the API end too: whatever ends the web sessions ends theirs (decision 045).
  await revokeUserFamilies(db, userId, reason);
  let query = db.updateTable("sessions").set({ revoked_at: new Date() }).where("user_id", "=", userId).where("revoked_at", "is", null);
  if (exceptIdHash) query = query.where("id_hash", "!=", exceptIdHash);
  await query.execute();
}

export async function listSessions(db: TenantDb, userId: string) {
  return db
    .selectFrom("sessions")
    .select(["id_hash", "ip", "user_agent", "created_at", "last_seen_at", "expires_at"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", new Date())
    .orderBy("last_seen_at", "desc")
    .execute();
}
