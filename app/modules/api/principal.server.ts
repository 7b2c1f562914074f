import { createHash } from "node:crypto";
import { sql } from "kysely";
import { withTenant, type TenantDb } from "~db/client";
import type { Role } from "~db/schema";
import { CLIENT_IP_HEADER } from "~/lib/http";
import { noteUser } from "~/lib/log.server";
import { clientOf } from "~/modules/abuse/rate-limit.server";
import { findApiKey, type ApiKeyPrincipal, type ApiScope } from "~/modules/auth/api-keys.server";
import { activeFamily, verifyAccessToken } from "~/modules/auth/api-tokens.server";
import { findSessionUser, readSessionSecret } from "~/modules/auth/sessions.server";
import { can, type Permission } from "~/modules/auth/permissions";
import { recordAudit } from "~/modules/audit/audit.server";
import { originOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { ApiProblem } from "./problem.server";

/** A person the API acts for: the token's user (or the same-site web session's). */
export interface ApiUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
}

/**
 * Who is calling (decision 045): nobody, a person with a bearer access token (`familyId` set) or a
 * same-site web session (`familyId` null), or a partner's API key with its scopes.
 */
export type Principal =
  { kind: "anonymous" } | { kind: "user"; user: ApiUser; familyId: string | null } | { kind: "key"; key: ApiKeyPrincipal };

/** The idempotency and throttling key of a principal: one client's answers and allowance are never another's. */
export function principalKey(principal: Principal, request: Request): string {
  if (principal.kind === "user") return `user:${principal.user.id}`;
  if (principal.kind === "key") return `key:${principal.key.id}`;
  // Hashed: the idempotency rows keep this for a day, and need no address.
  return `anon:${createHash("sha256")
    .update(request.headers.get(CLIENT_IP_HEADER) ?? "")
    .digest("base64url")
    .slice(0, 22)}`;
}

/**
 * Whose allowance a call counts against: a key's own; otherwise the same client the web pages count
 * (the person's account, or the network), so a limit shared with the storefront ("quote") is one
 * allowance whichever way it is used (decision 012).
 */
export function throttleKey(principal: Principal, request: Request): string {
  if (principal.kind === "key") return `key:${principal.key.id}`;
  return clientOf(request, principal.kind === "user" ? principal.user.id : null);
}

const unauthorised = (code: string, message: string) =>
  new ApiProblem(401, code, message, {}, { "WWW-Authenticate": 'Bearer realm="api"' });

/**
 * Reads `Authorization: Bearer <access token | API key>` (or `X-Api-Key`). A credential that is
 * present but wrong is a 401 — never silently anonymous. Without one, a browser's session cookie
 * counts only for requests from the agency's own site (no Origin, or its own). Runs inside the
 * request's one tenant transaction, with the agency's API settings (endpoint.server.ts `prelude`).
 */
export async function principalIn(db: TenantDb, request: Request, tenant: TenantInfo): Promise<Principal> {
  const header = request.headers.get("authorization");
  const apiKeyHeader = request.headers.get("x-api-key");
  let credential: string | null = null;
  if (header) {
    const match = /^Bearer ([\x21-\x7e]{1,2048})$/.exec(header);
    if (!match) throw unauthorised("INVALID_TOKEN", "The Authorization header must be: Bearer <token>");
    credential = match[1]!;
  } else if (apiKeyHeader) {
    credential = apiKeyHeader;
  }
  if (credential === null) {
    const origin = request.headers.get("origin");
    if (origin && origin !== originOf(request)) return { kind: "anonymous" };
    const secret = await readSessionSecret(request, "covera_session");
    const user = secret ? await findSessionUser(db, secret) : null;
    if (!user) return { kind: "anonymous" };
    noteUser(user.id);
    return { kind: "user", user: { id: user.id, email: user.email, name: user.name, roles: user.roles }, familyId: null };
  }
  if (credential.startsWith("cvk_")) {
    const key = await findApiKey(db, credential);
    if (!key) throw unauthorised("INVALID_API_KEY", "This API key is not valid here, or it was revoked");
    return { kind: "key", key };
  }
  const check = verifyAccessToken(credential, tenant.id);
  if (!check.ok) {
    if (check.reason === "expired") throw unauthorised("TOKEN_EXPIRED", "The access token has expired; refresh it");
    throw unauthorised("INVALID_TOKEN", "The access token is not valid here");
  }
  const user = (await activeFamily(db, check.claims.f, check.claims.u))
    ? await db
        .selectFrom("users")
        .select(["id", "email", "name", "status"])
        .select(sql<Role[]>`array(select r.role from user_roles r where r.user_id = users.id order by r.role)`.as("roles"))
        .where("id", "=", check.claims.u)
        .executeTakeFirst()
    : null;
  if (!user || user.status !== "active") throw unauthorised("TOKEN_REVOKED", "This sign-in has ended; sign in again");
  return { kind: "user", user: { id: user.id, email: user.email, name: user.name, roles: user.roles ?? [] }, familyId: check.claims.f };
}

/** A person must be signed in (a key acts for the agency, not a person: 403). */
export function requireApiUser(principal: Principal): ApiUser {
  if (principal.kind === "user") return principal.user;
  if (principal.kind === "key") throw new ApiProblem(403, "FORBIDDEN", "This route acts for a signed-in person; an API key cannot use it");
  throw unauthorised("UNAUTHENTICATED", "Sign in first: send Authorization: Bearer <access token>");
}

/** A person with a permission (staff, agents), or 403. */
export function requireApiPermission(principal: Principal, permission: Permission): ApiUser {
  const user = requireApiUser(principal);
  if (!can(user.roles, permission)) throw new ApiProblem(403, "FORBIDDEN", "You are not allowed to do this");
  return user;
}

/** A key must hold the scope; a person passes (their own permissions are checked by the route). */
export function requireScope(principal: Principal, scope: ApiScope): void {
  if (principal.kind === "key" && !principal.key.scopes.includes(scope)) {
    throw new ApiProblem(403, "INSUFFICIENT_SCOPE", `This API key lacks the ${scope} scope`);
  }
  if (principal.kind === "anonymous") throw unauthorised("UNAUTHENTICATED", "Send an access token or an API key");
}

/**
 * Every use of a token or key is in the audit log, once per principal and route per minute, so a busy
 * app does not flood it (decision 045). Counted in memory per instance: at worst one line per
 * instance per minute.
 */
const lastAudited = new Map<string, number>();
export async function auditApiUse(tenantId: string, principal: Principal, request: Request, route: string): Promise<void> {
  if (principal.kind === "anonymous" || (principal.kind === "user" && principal.familyId === null)) return;
  const who = principal.kind === "user" ? `family:${principal.familyId}` : `key:${principal.key.id}`;
  const mark = `${tenantId}|${who}|${request.method} ${route}`;
  const now = Date.now();
  if ((lastAudited.get(mark) ?? 0) > now - 60_000) return;
  lastAudited.set(mark, now);
  if (lastAudited.size > 10_000) lastAudited.clear();
  await withTenant(tenantId, (db) =>
    recordAudit(
      db,
      { userId: principal.kind === "user" ? principal.user.id : null, ip: request.headers.get(CLIENT_IP_HEADER) },
      principal.kind === "user"
        ? {
            action: "api.token_used",
            targetType: "api_token_family",
            targetId: principal.familyId!,
            details: { route: `${request.method} ${route}` },
          }
        : {
            action: "api.key_used",
            targetType: "api_key",
            targetId: principal.key.id,
            details: { route: `${request.method} ${route}`, key: principal.key.name },
          },
    ),
  );
}
