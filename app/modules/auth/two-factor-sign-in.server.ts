import { withPlatform, withTenant, type PlatformDb, type TenantDb } from "~db/client";
import { clientOf, countRequest, forgive, tryAgainMessage, type Limited } from "~/modules/abuse/rate-limit.server";
import { mergeCartOnSignIn } from "~/modules/cart/cart.server";
import { clearCartCookie, readCartId } from "~/modules/cart/cookie.server";
import { startOperatorSession } from "~/modules/platform/operators.server";
import { languageCookieHeader } from "~/modules/i18n/i18n.server";
import { requirePlatformSite, requireTenant } from "~/modules/tenancy/resolve.server";
import { clientInfo } from "./guards.server";
import { startSession, type ClientInfo } from "./sessions.server";
import { FEW_RECOVERY_CODES, secondFactorMessage } from "./two-factor.server";
import { clearPending, readPending } from "./two-factor-pending.server";
import { finishOperatorSignIn, OPERATOR_TWO_FACTOR_PAGE, operatorLanding } from "./two-factor-operators.server";
import { finishSignIn, landingAfterSignIn, TWO_FACTOR_PAGE } from "./two-factor-users.server";

/**
 * The last step of signing in, for a tenant's accounts and for operators: a session starts only
 * here or straight after a password for an account without two-factor sign-in (decision 033).
 */
export const TWO_FACTOR_SIGN_IN = "/login/two-factor";
export const OPERATOR_TWO_FACTOR_SIGN_IN = "/console/login/two-factor";

/**
 * A full sign-in: the visitor's cart becomes theirs, the session starts, and where to go; with
 * `setLanguage`, the `lng` cookie of the account's language (decision 037), so the pages speak it
 * from this response on, on any device.
 */
export async function startUserSession(
  db: TenantDb,
  userId: string,
  input: { client: ClientInfo; cartId: string | null; redirectTo: string; secure: boolean },
): Promise<{ setCookie: string; redirectTo: string; setLanguage?: string }> {
  if (input.cartId) await mergeCartOnSignIn(db, input.cartId, userId);
  const account = await db.selectFrom("users").select("language").where("id", "=", userId).executeTakeFirst();
  return {
    setCookie: await startSession(db, userId, input.client),
    redirectTo: await landingAfterSignIn(db, userId, input.redirectTo),
    setLanguage: account?.language ? await languageCookieHeader(account.language, input.secure) : undefined,
  };
}

export async function startOperatorSignedIn(
  db: PlatformDb,
  operatorId: string,
  input: { client: ClientInfo; redirectTo: string },
): Promise<{ setCookie: string; redirectTo: string }> {
  return {
    setCookie: await startOperatorSession(db, operatorId, input.client),
    redirectTo: await operatorLanding(db, operatorId, input.redirectTo),
  };
}

export type CodeStep =
  /** No live pending sign-in on this host: back to the password. */
  | { kind: "expired"; clear: string }
  | { kind: "refused"; message: string; limited?: Limited }
  | { kind: "signed_in"; headers: Headers; redirectTo: string };

/** Signed in with a recovery code and only a few are left: their settings page says so first. */
function landing(redirectTo: string, settingsPage: string, via: "app" | "recovery_code", codesLeft: number): string {
  return via === "recovery_code" && codesLeft <= FEW_RECOVERY_CODES ? `${settingsPage}?codes-left=${codesLeft}` : redirectTo;
}

export async function userCodeStep(request: Request, code: string): Promise<CodeStep> {
  const tenant = await requireTenant(request);
  const pending = await readPending("user", request, tenant.id);
  if (!pending) return { kind: "expired", clear: await clearPending("user") };
  const counted = await countRequest("sign_in", tenant.id, clientOf(request));
  if (counted.limited) return { kind: "refused", message: tryAgainMessage(counted), limited: counted };
  const client = clientInfo(request);
  const cartId = await readCartId(request);
  const result = await withTenant(tenant.id, async (db) => {
    const check = await finishSignIn(db, tenant, pending.accountId, code, { ip: client.ip, origin: new URL(request.url).origin });
    if (check.result !== "ok") return { ok: false as const, message: secondFactorMessage(check) };
    const started = await startUserSession(db, pending.accountId, {
      client,
      cartId,
      redirectTo: pending.redirectTo,
      secure: new URL(request.url).protocol === "https:",
    });
    return { ok: true as const, ...started, via: check.via, codesLeft: check.codesLeft };
  });
  if (!result.ok) return { kind: "refused", message: result.message };
  await forgive(counted);
  const headers = new Headers({ "Set-Cookie": result.setCookie });
  headers.append("Set-Cookie", await clearPending("user"));
  if (cartId) headers.append("Set-Cookie", await clearCartCookie());
  if (result.setLanguage) headers.append("Set-Cookie", result.setLanguage);
  return { kind: "signed_in", headers, redirectTo: landing(result.redirectTo, TWO_FACTOR_PAGE, result.via, result.codesLeft) };
}

export async function operatorCodeStep(request: Request, code: string): Promise<CodeStep> {
  await requirePlatformSite(request);
  const pending = await readPending("operator", request, "platform");
  if (!pending) return { kind: "expired", clear: await clearPending("operator") };
  const counted = await countRequest("sign_in", "platform", clientOf(request));
  if (counted.limited) return { kind: "refused", message: tryAgainMessage(counted), limited: counted };
  const client = clientInfo(request);
  const result = await withPlatform(async (db) => {
    const check = await finishOperatorSignIn(db, pending.accountId, code, client);
    if (check.result !== "ok") return { ok: false as const, message: secondFactorMessage(check) };
    const started = await startOperatorSignedIn(db, pending.accountId, { client, redirectTo: pending.redirectTo });
    return { ok: true as const, ...started, via: check.via, codesLeft: check.codesLeft };
  });
  if (!result.ok) return { kind: "refused", message: result.message };
  await forgive(counted);
  const headers = new Headers({ "Set-Cookie": result.setCookie });
  headers.append("Set-Cookie", await clearPending("operator"));
  return { kind: "signed_in", headers, redirectTo: landing(result.redirectTo, OPERATOR_TWO_FACTOR_PAGE, result.via, result.codesLeft) };
}
