import { parseWithZod } from "@conform-to/zod";
import type { SubmissionResult } from "@conform-to/react";
import { Authenticator } from "remix-auth";
import { replyErrors, withoutForgedIntent } from "~/lib/forms";
import { FormStrategy } from "remix-auth-form";
import { withPlatform, withTenant } from "~db/client";
import { clearCartCookie, readCartId } from "~/modules/cart/cookie.server";
import { authenticateOperator } from "~/modules/platform/operators.server";
import { requirePlatformSite, requireTenant } from "~/modules/tenancy/resolve.server";
import { countRequest, clientOf, forgive, tryAgainMessage, type Limited } from "~/modules/abuse/rate-limit.server";
import { authenticate } from "./accounts.server";
import { clientInfo, safeRedirect } from "./guards.server";
import { signInSchema } from "./schemas";
import { twoFactorOn } from "./two-factor.server";
import { startPending } from "./two-factor-pending.server";
import { userFactorStore } from "./two-factor-users.server";
import { operatorFactorStore } from "./two-factor-operators.server";
import { OPERATOR_TWO_FACTOR_SIGN_IN, startOperatorSignedIn, startUserSession, TWO_FACTOR_SIGN_IN } from "./two-factor-sign-in.server";

// Shared with the sign-in page component (the browser cannot import this *.server module).
export { signInSchema };

/**
 * What a sign-in attempt produced: a session cookie and where to go, or the form's errors (with
 * `limited` when the client has failed too often, decision 012: answer 429 with Retry-After).
 */
export type SignInResult =
  | {
      ok: true;
      setCookie: string;
      redirectTo: string;
      /** Clears the anonymous cart cookie once merged. */
      clearCart?: string;
      /** The `lng` cookie of the account's language, when it has one (decision 037). */
      setLanguage?: string;
    }
  | { ok: false; reply: SubmissionResult<string[]>; limited?: Limited };

const HIDDEN = ["password"];

/**
 * Counts a sign-in attempt against the client's allowance of failures on this site (a success
 * gives it back): one client cannot try passwords across any number of accounts.
 */
async function countAttempt(request: Request, scope: string, reply: (message: string) => SubmissionResult<string[]>) {
  const counted = await countRequest("sign_in", scope, clientOf(request));
  if (!counted.limited) return { counted };
  return { refused: { ok: false as const, reply: reply(tryAgainMessage(counted)), limited: counted } };
}

/**
 * remix-auth's form strategy, twice: tenant accounts on a storefront host, operators on the
 * platform host. Each parses the form with zod, checks credentials inside the right database
 * path and starts a database session.
 */
export const authenticator = new Authenticator<SignInResult>();

authenticator.use(
  new FormStrategy(async ({ form, request }) => {
    const tenant = await requireTenant(request);
    const submission = parseWithZod(withoutForgedIntent(form), { schema: signInSchema });
    if (submission.status !== "success") return { ok: false, reply: submission.reply({ hideFields: HIDDEN }) };
    // Decided before anything is written: a session must never be started for an answer that then fails.
    const redirectTo = safeRedirect(request, submission.value.redirectTo, "/account");
    const attempt = await countAttempt(request, tenant.id, (message) => submission.reply({ formErrors: [message], hideFields: HIDDEN }));
    if (attempt.refused) return attempt.refused;
    const client = clientInfo(request);
    const cartId = await readCartId(request);
    const result = await withTenant(tenant.id, async (db) => {
      const outcome = await authenticate(db, submission.value, { ip: client.ip, origin: new URL(request.url).origin });
      if (!outcome.ok) return outcome;
      // With two-factor sign-in on, the password only earns the code form (decision 033): no session yet.
      if (await twoFactorOn(userFactorStore(db, tenant.id, outcome.userId))) {
        const pending = { accountId: outcome.userId, scope: tenant.id, redirectTo };
        return { ok: true as const, setCookie: await startPending("user", pending), redirectTo: TWO_FACTOR_SIGN_IN, pending: true };
      }
      const secure = new URL(request.url).protocol === "https:";
      return { ok: true as const, ...(await startUserSession(db, outcome.userId, { client, cartId, redirectTo, secure })) };
    });
    if (!result.ok) return { ok: false, reply: submission.reply({ ...replyErrors(result.errors), hideFields: HIDDEN }) };
    await forgive(attempt.counted);
    return {
      ok: true,
      setCookie: result.setCookie,
      clearCart: cartId && !("pending" in result) ? await clearCartCookie() : undefined,
      setLanguage: "setLanguage" in result ? result.setLanguage : undefined,
      redirectTo: result.redirectTo,
    };
  }),
  "tenant-password",
);

authenticator.use(
  new FormStrategy(async ({ form, request }) => {
    await requirePlatformSite(request);
    const submission = parseWithZod(withoutForgedIntent(form), { schema: signInSchema });
    if (submission.status !== "success") return { ok: false, reply: submission.reply({ hideFields: HIDDEN }) };
    const redirectTo = safeRedirect(request, submission.value.redirectTo, "/console");
    const attempt = await countAttempt(request, "platform", (message) => submission.reply({ formErrors: [message], hideFields: HIDDEN }));
    if (attempt.refused) return attempt.refused;
    const client = clientInfo(request);
    const result = await withPlatform(async (db) => {
      const outcome = await authenticateOperator(db, submission.value, client);
      if (!outcome.ok) return outcome;
      if (await twoFactorOn(operatorFactorStore(db, outcome.operatorId))) {
        const pending = { accountId: outcome.operatorId, scope: "platform", redirectTo };
        return { ok: true as const, setCookie: await startPending("operator", pending), redirectTo: OPERATOR_TWO_FACTOR_SIGN_IN };
      }
      return { ok: true as const, ...(await startOperatorSignedIn(db, outcome.operatorId, { client, redirectTo })) };
    });
    if (!result.ok) return { ok: false, reply: submission.reply({ formErrors: result.errors.form, hideFields: HIDDEN }) };
    await forgive(attempt.counted);
    return { ok: true, setCookie: result.setCookie, redirectTo: result.redirectTo };
  }),
  "operator-password",
);
