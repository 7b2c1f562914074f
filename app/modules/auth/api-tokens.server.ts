import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { ApiFamilyRevocation } from "~db/schema";
import { env } from "~/lib/env.server";
import { newSecret, sha256 } from "./tokens.server";

/**
 * The API's bearer tokens (decision 045). An access token is a signed claim set that lives 15
 * minutes: the tenant, the user and the token family (one signed-in app). A refresh token is random,
 * stored hashed, lives 7 days and is used once: refreshing answers a new pair, and a refresh token
 * presented a second time revokes the whole family (someone kept a copy). Access tokens are checked
 * against their family on every use, so a sign-out or a password change ends them at once.
 */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_DAYS = 7;
const PREFIX = "cv1";

export interface AccessClaims {
  /** Tenant id: a token from one agency is refused on another's host. */
  t: string;
  /** User id. */
  u: string;
  /** Token family id. */
  f: string;
  iat: number;
  exp: number;
  /** Random: two tokens issued in the same second (a sign-in and a quick refresh) are still two tokens. */
  jti?: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshExpiresAt: string;
}

function signingKey(): Buffer {
  return createHmac("sha256", env().SESSION_SECRET).update("covera api access token v1").digest();
}

function sign(payload: string): string {
  return createHmac("sha256", signingKey()).update(payload).digest("base64url");
}

export function signAccessToken(claims: AccessClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${PREFIX}.${payload}.${sign(`${PREFIX}.${payload}`)}`;
}

export type AccessCheck =
  { ok: true; claims: AccessClaims } | { ok: false; reason: "malformed" | "bad_signature" | "expired" | "wrong_tenant" };

/** Checks an access token's form, signature, age and tenant. The family is checked by the caller (`activeFamily`). */
export function verifyAccessToken(token: string, tenantId: string, now = new Date()): AccessCheck {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== PREFIX || token.length > 2048) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(sign(`${parts[0]}.${parts[1]}`));
  const given = Buffer.from(parts[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "bad_signature" };
  let claims: AccessClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as AccessClaims;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof claims.exp !== "number" || typeof claims.t !== "string" || typeof claims.u !== "string" || typeof claims.f !== "string") {
    return { ok: false, reason: "malformed" };
  }
  if (claims.exp * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  if (claims.t !== tenantId) return { ok: false, reason: "wrong_tenant" };
  return { ok: true, claims };
}

async function newRefreshToken(db: TenantDb, familyId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = `cvr_${newSecret()}`;
  const expiresAt = new Date(now.getTime() + REFRESH_TOKEN_DAYS * 24 * 3600 * 1000);
  await db
    .insertInto("api_refresh_tokens")
    .values({ family_id: familyId, token_hash: sha256(token), expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

function pair(tenantId: string, userId: string, familyId: string, refresh: { token: string; expiresAt: Date }, now: Date): TokenPair {
  const iat = Math.floor(now.getTime() / 1000);
  return {
    accessToken: signAccessToken({
      t: tenantId,
      u: userId,
      f: familyId,
      iat,
      exp: iat + ACCESS_TOKEN_SECONDS,
      jti: randomBytes(9).toString("base64url"),
    }),
    refreshToken: refresh.token,
    tokenType: "Bearer",
    expiresIn: ACCESS_TOKEN_SECONDS,
    refreshExpiresAt: refresh.expiresAt.toISOString(),
  };
}

/** Starts a token family for a user who just proved who they are (password, and two-factor where required). */
export async function issueTokens(
  db: TenantDb,
  tenantId: string,
  userId: string,
  client: { name?: string | null; ip?: string | null; userAgent?: string | null },
  now = new Date(),
): Promise<{ familyId: string; tokens: TokenPair }> {
  const family = await db
    .insertInto("api_token_families")
    .values({ user_id: userId, client_name: client.name ?? null, ip: client.ip ?? null, user_agent: client.userAgent ?? null })
    .returning("id")
    .executeTakeFirstOrThrow();
  const refresh = await newRefreshToken(db, family.id, now);
  return { familyId: family.id, tokens: pair(tenantId, userId, family.id, refresh, now) };
}

export type RefreshOutcome =
  | { ok: true; userId: string; familyId: string; tokens: TokenPair }
  /** unknown: no such token here; expired; reused: presented again after use — the family is now revoked; revoked: its family was. */
  | { ok: false; reason: "unknown" | "expired" | "reused" | "revoked"; userId?: string; familyId?: string };

/** Exchanges a refresh token for a new pair, once. A second use of the same token revokes its family. */
export async function refreshTokens(db: TenantDb, tenantId: string, refreshToken: string, now = new Date()): Promise<RefreshOutcome> {
  if (!refreshToken.startsWith("cvr_") || refreshToken.length > 200) return { ok: false, reason: "unknown" };
  const row = await db
    .selectFrom("api_refresh_tokens as r")
    .innerJoin("api_token_families as f", "f.id", "r.family_id")
    .select(["r.id", "r.family_id", "r.expires_at", "r.used_at", "f.user_id", "f.revoked_at"])
    .select(sql<string>`(select u.status from users u where u.id = f.user_id)`.as("user_status"))
    .where("r.token_hash", "=", sha256(refreshToken))
    .forUpdate("r")
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "unknown" };
  const who = { userId: row.user_id, familyId: row.family_id };
  if (row.revoked_at) return { ok: false, reason: "revoked", ...who };
  if (row.used_at) {
    await revokeFamily(db, row.family_id, "refresh_reuse");
    return { ok: false, reason: "reused", ...who };
  }
  if (row.expires_at <= now) return { ok: false, reason: "expired", ...who };
  if (row.user_status !== "active") {
    await revokeFamily(db, row.family_id, "account_closed");
    return { ok: false, reason: "revoked", ...who };
  }
  await db.updateTable("api_refresh_tokens").set({ used_at: now }).where("id", "=", row.id).execute();
  await db.updateTable("api_token_families").set({ last_used_at: now }).where("id", "=", row.family_id).execute();
  const refresh = await newRefreshToken(db, row.family_id, now);
  return { ok: true, ...who, tokens: pair(tenantId, row.user_id, row.family_id, refresh, now) };
}

/** The family of an access token, if it may still be used. Touches `last_used_at` at most once a minute. */
export async function activeFamily(db: TenantDb, familyId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("api_token_families")
    .select(["revoked_at", "last_used_at"])
    .where("id", "=", familyId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!row || row.revoked_at) return false;
  if (Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable("api_token_families").set({ last_used_at: new Date() }).where("id", "=", familyId).execute();
  }
  return true;
}

export async function revokeFamily(db: TenantDb, familyId: string, reason: ApiFamilyRevocation): Promise<boolean> {
  const result = await db
    .updateTable("api_token_families")
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where("id", "=", familyId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends every signed-in app of a user (a password change, an account closed or suspended). */
export async function revokeUserFamilies(db: TenantDb, userId: string, reason: ApiFamilyRevocation): Promise<void> {
  await db
    .updateTable("api_token_families")
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .execute();
}

export async function listFamilies(db: TenantDb, userId: string) {
  return db
    .selectFrom("api_token_families")
    .select(["id", "client_name", "ip", "user_agent", "created_at", "last_used_at"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("last_used_at", "desc")
    .execute();
}

/** The family a refresh token belongs to (used or not), for signing out with it. */
export async function familyOfRefreshToken(db: TenantDb, refreshToken: string): Promise<{ id: string; userId: string } | null> {
  if (!refreshToken.startsWith("cvr_") || refreshToken.length > 200) return null;
  const row = await db
    .selectFrom("api_refresh_tokens as r")
    .innerJoin("api_token_families as f", "f.id", "r.family_id")
    .select(["f.id", "f.user_id"])
    .where("r.token_hash", "=", sha256(refreshToken))
    .executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id } : null;
}
