import { z } from "zod";
import { withTenant } from "~db/client";
import { lineText, secretText } from "~/lib/text";
import { retryAfterHeaders } from "~/modules/abuse/rate-limit.server";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { ApiProblem, notFound } from "~/modules/api/problem.server";
import { requireApiUser } from "~/modules/api/principal.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { endSignedIn, refreshForApp, signedInEverywhere, signInForTokens, signOutApp, type TokenSignIn } from "./api-sign-in.server";
import { clientInfo } from "./guards.server";

/** /api/v1/auth/* and /api/v1/me/sessions: apps sign in, refresh, sign out, and see where one is signed in (decision 045). */
const tokenPairSchema = z.object({
  accessToken: answerText().describe("Send as Authorization: Bearer <accessToken>; lives 15 minutes."),
  refreshToken: answerText().describe("Exchange once at /auth/refresh for a new pair; lives 7 days."),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number().int().describe("Seconds until the access token expires."),
  refreshExpiresAt: answerText().datetime(),
});

const SIGN_IN_PROBLEMS: Record<Exclude<TokenSignIn, { ok: true }>["reason"], { status: number; code: string }> = {
  rate_limited: { status: 429, code: "RATE_LIMITED" },
  invalid: { status: 401, code: "INVALID_CREDENTIALS" },
  locked: { status: 423, code: "ACCOUNT_LOCKED" },
  suspended: { status: 403, code: "ACCOUNT_SUSPENDED" },
  unverified: { status: 403, code: "EMAIL_NOT_VERIFIED" },
  two_factor_required: { status: 401, code: "TWO_FACTOR_REQUIRED" },
  two_factor_failed: { status: 401, code: "INVALID_OTP" },
};

export const signIn = endpoint({
  method: "POST",
  path: "/auth/token",
  operationId: "signIn",
  summary: "Sign in with email and password",
  description:
    "Starts a signed-in app (a token family). Wrong passwords count towards the same lockout as the web sign-in. " +
    "An account with two-factor sign-in sends its code as `otp` (else 401 TWO_FACTOR_REQUIRED).",
  tags: ["Authentication"],
  auth: "public",
  body: z.object({
    email: lineText("Enter your email").toLowerCase().email("Enter a valid email"),
    password: secretText("Enter your password"),
    otp: lineText().max(40).optional(),
    clientName: lineText().max(100).optional().describe('What the app is, shown in the person\'s sessions ("Covera Android 2.1").'),
  }),
  responses: { 200: { description: "A new token pair.", schema: tokenPairSchema } },
  errors: [403, 423],
  async handler({ request, tenant, body }) {
    const result = await signInForTokens(request, tenant, body);
    if (!result.ok) {
      const problem = SIGN_IN_PROBLEMS[result.reason];
      const headers: Record<string, string> = result.limited ? retryAfterHeaders(result.limited) : {};
      throw new ApiProblem(problem.status, problem.code, result.message, {}, headers);
    }
    return { body: result.tokens, headers: { "Cache-Control": "no-store" } };
  },
});

const REFRESH_PROBLEMS = {
  unknown: { code: "INVALID_REFRESH_TOKEN", message: "This refresh token is not valid here" },
  expired: { code: "REFRESH_TOKEN_EXPIRED", message: "This refresh token has expired; sign in again" },
  reused: { code: "REFRESH_TOKEN_REUSED", message: "This refresh token was already used; the sign-in has been ended for safety" },
  revoked: { code: "TOKEN_REVOKED", message: "This sign-in has ended; sign in again" },
} as const;

export const refresh = endpoint({
  method: "POST",
  path: "/auth/refresh",
  operationId: "refreshTokens",
  summary: "Exchange a refresh token for a new pair",
  description: "Each refresh token works once. Presenting one a second time ends the whole sign-in (401 REFRESH_TOKEN_REUSED).",
  tags: ["Authentication"],
  auth: "public",
  body: z.object({ refreshToken: secretText("Send the refresh token") }),
  responses: { 200: { description: "A new token pair; the old refresh token is spent.", schema: tokenPairSchema } },
  async handler({ request, tenant, body }) {
    const result = await refreshForApp(request, tenant, body.refreshToken);
    if (!result.ok) {
      const problem = REFRESH_PROBLEMS[result.reason];
      throw new ApiProblem(401, problem.code, problem.message, {}, { "WWW-Authenticate": 'Bearer realm="api"' });
    }
    return { body: result.tokens, headers: { "Cache-Control": "no-store" } };
  },
});

export const signOut = endpoint({
  method: "POST",
  path: "/auth/sign-out",
  operationId: "signOut",
  summary: "Sign this app out",
  description: "Ends the sign-in of the access token sent, or of the refresh token in the body (when the access token has expired).",
  tags: ["Authentication"],
  auth: "public",
  body: z.object({ refreshToken: secretText().optional() }),
  responses: { 204: { description: "Signed out; its access and refresh tokens no longer work." } },
  async handler({ request, tenant, principal, body }) {
    const caller = principal.kind === "user" && principal.familyId ? { userId: principal.user.id, familyId: principal.familyId } : null;
    if (!(await signOutApp(request, tenant, caller, body.refreshToken))) {
      throw new ApiProblem(401, "UNAUTHENTICATED", "Send the app's access token, or its refresh token in the body");
    }
    return { status: 204, body: undefined };
  },
});

const signedInSchema = z.object({
  id: answerText().describe("Pass to DELETE /me/sessions/{sessionId} to end it."),
  kind: z.enum(["web", "app"]),
  clientName: answerText().nullable(),
  userAgent: answerText().nullable(),
  ip: answerText().nullable(),
  signedInAt: answerText().datetime(),
  lastUsedAt: answerText().datetime(),
  current: z.boolean().describe("The session or app making this request."),
});

export const listMySessions = endpoint({
  method: "GET",
  path: "/me/sessions",
  operationId: "listMySessions",
  summary: "Where you are signed in: web sessions and apps",
  tags: ["Account"],
  auth: "user",
  responses: { 200: { description: "Live sessions, most recently used first.", schema: z.object({ results: z.array(signedInSchema) }) } },
  async handler({ tenant, principal }) {
    const user = requireApiUser(principal);
    const familyId = principal.kind === "user" ? principal.familyId : null;
    const all = await withTenant(tenant.id, (db) => signedInEverywhere(db, user.id, { familyId }));
    return {
      body: {
        results: all.map((s) => ({ ...s, signedInAt: s.signedInAt.toISOString(), lastUsedAt: s.lastUsedAt.toISOString() })),
      },
    };
  },
});

export const endMySession = endpoint({
  method: "DELETE",
  path: "/me/sessions/{sessionId}",
  operationId: "endMySession",
  summary: "End one of your web sessions or apps",
  tags: ["Account"],
  auth: "user",
  params: z.object({ sessionId: lineText("Name a session").max(100) }),
  responses: { 204: { description: "Ended." } },
  errors: [404],
  async handler({ request, tenant, principal, params }) {
    const user = requireApiUser(principal);
    const ctx = { ip: clientInfo(request).ip, origin: originOf(request) };
    const ended = await withTenant(tenant.id, (db) => endSignedIn(db, user.id, params.sessionId, ctx));
    if (!ended) throw notFound("Session");
    return { status: 204, body: undefined };
  },
});

export const authEndpoints = [signIn, refresh, signOut, listMySessions, endMySession];
