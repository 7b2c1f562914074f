import { withTenant, type TenantDb } from "~db/client";
import type { ApiFamilyRevocation } from "~db/schema";
import { clientOf, countRequest, forgive, tryAgainMessage, type Limited } from "~/modules/abuse/rate-limit.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { formatDateTime } from "~/lib/dates";
import { describeUserAgent } from "~/lib/user-agent";
import { serverT } from "~/modules/i18n/i18n.server";
import { notify } from "~/modules/notifications/notify.server";
import { originOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { authenticate, endSession, type RequestContext } from "./accounts.server";
import { familyOfRefreshToken, issueTokens, listFamilies, refreshTokens, revokeFamily, type TokenPair } from "./api-tokens.server";
import { clientInfo } from "./guards.server";
import { listSessions } from "./sessions.server";
import { secondFactorMessage, twoFactorOn } from "./two-factor.server";
import { finishSignIn, userFactorStore } from "./two-factor-users.server";

/**
 * Signing in, refreshing and signing out for apps (decision 045). The password goes through the
 * very checks of the web form (`authenticate`: lockout per account and network, audit) and counts
 * against the same `sign_in` allowance of the client, so the API is no side door for guessing.
 * Everything is returned, never thrown, inside the transaction: a refused attempt's lockout count
 * and audit lines must be kept.
 */
export type TokenSignIn =
  | { ok: true; userId: string; familyId: string; tokens: TokenPair }
  | {
      ok: false;
      reason: "rate_limited" | "invalid" | "locked" | "suspended" | "unverified" | "two_factor_required" | "two_factor_failed";
      message: string;
      limited?: Limited;
    };

export async function signInForTokens(
  request: Request,
  tenant: TenantInfo,
  input: { email: string; password: string; otp?: string; clientName?: string },
): Promise<TokenSignIn> {
  const counted = await countRequest("sign_in", tenant.id, clientOf(request));
  if (counted.limited) return { ok: false, reason: "rate_limited", message: tryAgainMessage(counted), limited: counted };
  const client = clientInfo(request);
  const ctx = { ip: client.ip, origin: originOf(request) };
  const result = await withTenant(tenant.id, async (db): Promise<TokenSignIn> => {
    const outcome = await authenticate(db, input, ctx);
    if (!outcome.ok) return { ok: false, reason: outcome.reason, message: outcome.errors.form?.join(" ") ?? "" };
    const account = await db.selectFrom("users").select("email_verified_at").where("id", "=", outcome.userId).executeTakeFirstOrThrow();
    // An app cannot follow the web's "confirm your email" prompts: the address is confirmed first.
    if (!account.email_verified_at) {
      return { ok: false, reason: "unverified", message: "Confirm your email address first: open the link we sent you." };
    }
    if (await twoFactorOn(userFactorStore(db, tenant.id, outcome.userId))) {
      if (!input.otp) {
        return { ok: false, reason: "two_factor_required", message: "This account uses two-factor sign-in: send the code as otp." };
      }
      const check = await finishSignIn(db, tenant, outcome.userId, input.otp, ctx);
      if (check.result !== "ok") return { ok: false, reason: "two_factor_failed", message: secondFactorMessage(check) };
    }
    const clientName = input.clientName ?? null;
    const issued = await issueTokens(db, tenant.id, outcome.userId, { name: clientName, ...client });
    await recordAudit(
      db,
      { userId: outcome.userId, ip: client.ip },
      { action: "api.signed_in", targetType: "api_token_family", targetId: issued.familyId, details: { client: clientName } },
    );
    return { ok: true, userId: outcome.userId, ...issued };
  });
  if (result.ok) await forgive(counted);
  return result;
}

export type Refreshed = { ok: true; tokens: TokenPair } | { ok: false; reason: "unknown" | "expired" | "reused" | "revoked" };

/** A new pair for a refresh token; a reused one ends its family, which is audited as a likely theft. */
export async function refreshForApp(request: Request, tenant: TenantInfo, refreshToken: string): Promise<Refreshed> {
  const ip = clientInfo(request).ip;
  return withTenant(tenant.id, async (db) => {
    const outcome = await refreshTokens(db, tenant.id, refreshToken);
    if (outcome.ok) {
      await recordAudit(
        db,
        { userId: outcome.userId, ip },
        { action: "api.token_refreshed", targetType: "api_token_family", targetId: outcome.familyId },
      );
      return { ok: true, tokens: outcome.tokens };
    }
    if (outcome.reason === "reused") {
      await recordAudit(
        db,
        { userId: outcome.userId ?? null, ip },
        { action: "api.refresh_reused", targetType: "api_token_family", targetId: outcome.familyId! },
      );
      await tellOfReuse(db, request, tenant, outcome.familyId!);
    }
    return { ok: false, reason: outcome.reason };
  });
}

/**
 * The person hears that an app's sign-in was ended because its refresh token came back a second
 * time: they may be the one whose key was copied. Once per family (its dedupe key): a later reuse
 * finds the family already revoked and answers `revoked`, which tells nobody.
 */
async function tellOfReuse(db: TenantDb, request: Request, tenant: TenantInfo, familyId: string): Promise<void> {
  const family = await db
    .selectFrom("api_token_families")
    .select(["user_id", "client_name", "user_agent", "revoked_at"])
    .where("id", "=", familyId)
    .executeTakeFirstOrThrow();
  await notify(db, tenant.id, {
    event: "api_session_revoked",
    to: { userId: family.user_id },
    vars: {
      // Named as the signed-in apps list names it (account_.security.tsx).
      app: async (_locale, language) =>
        family.client_name ??
        (family.user_agent ? describeUserAgent(family.user_agent) : (await serverT(language, "account"))("security.unnamedApp")),
      time: (locale) => formatDateTime(family.revoked_at ?? new Date(), locale, tenant.timeZone),
      link: `${originOf(request)}/account/security`,
    },
    dedupeKey: `api_session_revoked:${familyId}`,
  });
}

/** Ends one family of the person's (their sign-out, or one app ended from the sessions list). */
async function endFamily(db: TenantDb, userId: string, familyId: string, reason: ApiFamilyRevocation, ip: string | null): Promise<boolean> {
  const family = await db
    .selectFrom("api_token_families")
    .select("id")
    .where("id", "=", familyId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!family || !(await revokeFamily(db, familyId, reason))) return false;
  await recordAudit(
    db,
    { userId, ip },
    { action: reason === "sign_out" ? "api.signed_out" : "api.app_revoked", targetType: "api_token_family", targetId: familyId },
  );
  return true;
}

/**
 * Signs an app out: the family of the access token in use, or of the refresh token given (an app
 * whose access token has expired still signs out). False when neither names a live family.
 */
export async function signOutApp(
  request: Request,
  tenant: TenantInfo,
  caller: { userId: string; familyId: string } | null,
  refreshToken: string | undefined,
): Promise<boolean> {
  const ip = clientInfo(request).ip;
  return withTenant(tenant.id, async (db) => {
    let target = caller;
    if (!target && refreshToken) {
      const family = await familyOfRefreshToken(db, refreshToken);
      target = family ? { userId: family.userId, familyId: family.id } : null;
    }
    if (!target) return false;
    // Already ended counts as done: signing out twice is not an error.
    await endFamily(db, target.userId, target.familyId, "sign_out", ip);
    return true;
  });
}

export interface SignedIn {
  id: string;
  kind: "web" | "app";
  clientName: string | null;
  userAgent: string | null;
  ip: string | null;
  signedInAt: Date;
  lastUsedAt: Date;
  current: boolean;
}

/** A person's web sessions and signed-in apps, most recently used first. */
export async function signedInEverywhere(db: TenantDb, userId: string, current: { sessionIdHash?: string; familyId?: string | null }) {
  const [sessions, families] = await Promise.all([listSessions(db, userId), listFamilies(db, userId)]);
  const all: SignedIn[] = [
    ...sessions.map((s) => ({
      id: s.id_hash,
      kind: "web" as const,
      clientName: null,
      userAgent: s.user_agent,
      ip: s.ip,
      signedInAt: s.created_at,
      lastUsedAt: s.last_seen_at,
      current: s.id_hash === current.sessionIdHash,
    })),
    ...families.map((f) => ({
      id: f.id,
      kind: "app" as const,
      clientName: f.client_name,
      userAgent: f.user_agent,
      ip: f.ip,
      signedInAt: f.created_at,
      lastUsedAt: f.last_used_at,
      current: f.id === current.familyId,
    })),
  ];
  return all.sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime());
}

const SESSION_ID = /^[0-9a-f]{64}$/;
const FAMILY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ends one of the person's own web sessions (by its id hash) or apps (by family id); false if not theirs or already ended. */
export async function endSignedIn(db: TenantDb, userId: string, id: string, ctx: RequestContext): Promise<boolean> {
  if (FAMILY_ID.test(id)) return endFamily(db, userId, id, "revoked_by_user", ctx.ip);
  return SESSION_ID.test(id) && endSession(db, userId, id, ctx);
}
