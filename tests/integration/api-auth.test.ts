import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "~/modules/auth/api-keys.server";
import { signAccessToken } from "~/modules/auth/api-tokens.server";
import { withTenant } from "~db/client";
import { createTenant, createUser, ownerDb, TEST_PASSWORD } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { auditRows, hostOf, messagesTo, signIn } from "./accounts-support";
import { enrol, freshCode } from "./two-factor-support";

/** Apps sign in, refresh, sign out and see their sessions over /api/v1 (issue 15, decision 045). */
let tenant: { id: string; slug: string };
let other: { id: string; slug: string };

beforeAll(async () => {
  [tenant, other] = await Promise.all([createTenant(), createTenant()]);
});

const json = (res: HttpResponse) => JSON.parse(res.text) as Record<string, unknown>;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function postJson(api: Browser, path: string, body: unknown, headers: Record<string, string> = {}) {
  return api.send("POST", path, JSON.stringify(body), { "content-type": "application/json", ...headers });
}

interface Pair {
  accessToken: string;
  refreshToken: string;
}

async function tokensFor(api: Browser, email: string, extra: Record<string, string> = {}): Promise<Pair> {
  const res = await postJson(api, "/api/v1/auth/token", { email, password: TEST_PASSWORD, ...extra });
  expect(res.status, res.text).toBe(200);
  return json(res) as unknown as Pair;
}

async function familiesOf(userId: string) {
  return ownerDb().selectFrom("api_token_families").selectAll().where("user_id", "=", userId).orderBy("created_at").execute();
}

const me = (api: Browser, token: string) => api.get("/api/v1/me", bearer(token));

describe("POST /api/v1/auth/token", () => {
  it("gives a working pair for the right password, names the app and is audited", async () => {
    const user = await createUser(tenant.id);
    const api = new Browser(hostOf(tenant));
    const res = await postJson(api, "/api/v1/auth/token", {
      email: user.email.toUpperCase(),
      password: TEST_PASSWORD,
      clientName: "Covera Android 2.1",
    });
    expect(res.status, res.text).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    const pair = json(res);
    expect(pair).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
    expect(pair.refreshToken).toMatch(/^cvr_/);
    const who = await me(api, pair.accessToken as string);
    expect(who.status, who.text).toBe(200);
    expect((json(who).me as { id: string }).id).toBe(user.id);
    const [family] = await familiesOf(user.id);
    expect(family).toMatchObject({ client_name: "Covera Android 2.1", revoked_at: null });
    expect(await auditRows(tenant.id, "api.signed_in", family!.id)).toHaveLength(1);
  });

  it("refuses a wrong password, then locks the account like the web form, and issues nothing", async () => {
    const user = await createUser(tenant.id);
    const api = new Browser(hostOf(tenant), { localAddress: "127.0.0.31" });
    const wrong = await postJson(api, "/api/v1/auth/token", { email: user.email, password: "Not#the1password" });
    expect(wrong.status).toBe(401);
    expect(json(wrong)).toMatchObject({ status: "error", code: "INVALID_CREDENTIALS" });
    const unknown = await postJson(api, "/api/v1/auth/token", { email: "nobody@example.com", password: "Not#the1password" });
    expect(json(unknown).code).toBe("INVALID_CREDENTIALS");
    for (let i = 0; i < 4; i++) await postJson(api, "/api/v1/auth/token", { email: user.email, password: "Not#the1password" });
    const locked = await postJson(api, "/api/v1/auth/token", { email: user.email, password: TEST_PASSWORD });
    expect(locked.status, locked.text).toBe(423);
    expect(json(locked).code).toBe("ACCOUNT_LOCKED");
    // The same lock holds on the web sign-in from that network.
    const web = await new Browser(hostOf(tenant), { localAddress: "127.0.0.31" }).post("/login", {
      email: user.email,
      password: TEST_PASSWORD,
    });
    expect(web.status).toBe(400);
    expect(await familiesOf(user.id)).toHaveLength(0);
    const invalid = await postJson(api, "/api/v1/auth/token", { email: "not an email", password: "" });
    expect(invalid.status).toBe(400);
    expect(json(invalid).code).toBe("VALIDATION_ERROR");
  });

  it("refuses unconfirmed and suspended accounts clearly", async () => {
    const unverified = await createUser(tenant.id, { verified: false });
    const suspended = await createUser(tenant.id);
    await ownerDb().updateTable("users").set({ status: "suspended" }).where("id", "=", suspended.id).execute();
    const api = new Browser(hostOf(tenant));
    const a = await postJson(api, "/api/v1/auth/token", { email: unverified.email, password: TEST_PASSWORD });
    expect(a.status).toBe(403);
    expect(json(a).code).toBe("EMAIL_NOT_VERIFIED");
    const b = await postJson(api, "/api/v1/auth/token", { email: suspended.email, password: TEST_PASSWORD });
    expect(b.status).toBe(403);
    expect(json(b).code).toBe("ACCOUNT_SUSPENDED");
    expect([...(await familiesOf(unverified.id)), ...(await familiesOf(suspended.id))]).toHaveLength(0);
  });

  it("asks an account with two-factor sign-in for its code, and takes the right one", async () => {
    const user = await createUser(tenant.id);
    const { secret } = await enrol(await signIn(hostOf(tenant), user.email));
    const api = new Browser(hostOf(tenant));
    const without = await postJson(api, "/api/v1/auth/token", { email: user.email, password: TEST_PASSWORD });
    expect(without.status).toBe(401);
    expect(json(without).code).toBe("TWO_FACTOR_REQUIRED");
    const wrong = await postJson(api, "/api/v1/auth/token", { email: user.email, password: TEST_PASSWORD, otp: "000000" });
    expect(wrong.status).toBe(401);
    expect(json(wrong).code).toBe("INVALID_OTP");
    expect(await familiesOf(user.id)).toHaveLength(0);
    const pair = await tokensFor(api, user.email, { otp: await freshCode(secret, { userId: user.id }) });
    expect((await me(api, pair.accessToken)).status).toBe(200);
  });
});

describe("access tokens that no longer work", () => {
  it("answers 401 with its code for an expired, tampered, other agency's or signed-out token", async () => {
    const user = await createUser(tenant.id);
    const api = new Browser(hostOf(tenant));
    const pair = await tokensFor(api, user.email);
    const [family] = await familiesOf(user.id);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = signAccessToken({ t: tenant.id, u: user.id, f: family!.id, iat: past - 900, exp: past });
    expect(json(await me(api, expired)).code).toBe("TOKEN_EXPIRED");
    const tampered = `${pair.accessToken.slice(0, -3)}${pair.accessToken.endsWith("AAA") ? "BBB" : "AAA"}`;
    expect(json(await me(api, tampered)).code).toBe("INVALID_TOKEN");
    const elsewhere = await me(new Browser(hostOf(other)), pair.accessToken);
    expect(elsewhere.status).toBe(401);
    expect(json(elsewhere).code).toBe("INVALID_TOKEN");

    const out = await postJson(api, "/api/v1/auth/sign-out", {}, bearer(pair.accessToken));
    expect(out.status, out.text).toBe(204);
    const after = await me(api, pair.accessToken);
    expect(after.status).toBe(401);
    expect(json(after).code).toBe("TOKEN_REVOKED");
    expect((await familiesOf(user.id))[0]).toMatchObject({ revoked_reason: "sign_out" });
    expect(await auditRows(tenant.id, "api.signed_out", family!.id)).toHaveLength(1);
    // Its refresh token is spent with it, and a revoked token changes nothing.
    const refreshed = await postJson(api, "/api/v1/auth/refresh", { refreshToken: pair.refreshToken });
    expect(json(refreshed).code).toBe("TOKEN_REVOKED");
    const web = await signIn(hostOf(tenant), user.email);
    const sessionsBefore = await ownerDb()
      .selectFrom("sessions")
      .select("id_hash")
      .where("user_id", "=", user.id)
      .where("revoked_at", "is", null)
      .execute();
    const del = await api.send("DELETE", `/api/v1/me/sessions/${sessionsBefore[0]!.id_hash}`, undefined, bearer(pair.accessToken));
    expect(del.status).toBe(401);
    expect((await web.get("/account")).status).toBe(200);
  });

  it("ends every app of a person who changes their password on the web", async () => {
    const user = await createUser(tenant.id);
    const api = new Browser(hostOf(tenant));
    const pair = await tokensFor(api, user.email);
    const web = await signIn(hostOf(tenant), user.email);
    const changed = await web.post("/account/security", {
      intent: "change-password",
      currentPassword: TEST_PASSWORD,
      newPassword: "Brand#new2password",
      confirmPassword: "Brand#new2password",
    });
    expect(changed.status).toBe(200);
    expect(json(await me(api, pair.accessToken)).code).toBe("TOKEN_REVOKED");
    expect((await familiesOf(user.id))[0]).toMatchObject({ revoked_reason: "password_change" });
  });

  it("signs out with the refresh token alone, once the access token has expired", async () => {
    const user = await createUser(tenant.id);
    const api = new Browser(hostOf(tenant));
    const pair = await tokensFor(api, user.email);
    expect((await postJson(api, "/api/v1/auth/sign-out", {})).status).toBe(401);
    expect((await postJson(api, "/api/v1/auth/sign-out", { refreshToken: "cvr_nothing" })).status).toBe(401);
    expect((await postJson(api, "/api/v1/auth/sign-out", { refreshToken: pair.refreshToken })).status).toBe(204);
    expect(json(await me(api, pair.accessToken)).code).toBe("TOKEN_REVOKED");
  });
});

describe("POST /api/v1/auth/refresh", () => {
  it("rotates: the new pair works and the old refresh token, used again, ends the family", async () => {
    const user = await createUser(tenant.id);
    const api = new Browser(hostOf(tenant));
    const first = await tokensFor(api, user.email);
    const res = await postJson(api, "/api/v1/auth/refresh", { refreshToken: first.refreshToken });
    expect(res.status, res.text).toBe(200);
    const second = json(res) as unknown as Pair;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await me(api, second.accessToken)).status).toBe(200);

    const reused = await postJson(api, "/api/v1/auth/refresh", { refreshToken: first.refreshToken });
    expect(reused.status).toBe(401);
    expect(json(reused).code).toBe("REFRESH_TOKEN_REUSED");
    expect(json(await me(api, second.accessToken)).code).toBe("TOKEN_REVOKED");
    expect(json(await postJson(api, "/api/v1/auth/refresh", { refreshToken: second.refreshToken })).code).toBe("TOKEN_REVOKED");
    const [family] = await familiesOf(user.id);
    expect(family).toMatchObject({ revoked_reason: "refresh_reuse" });
    expect(await auditRows(tenant.id, "api.token_refreshed", family!.id)).toHaveLength(1);
    expect(await auditRows(tenant.id, "api.refresh_reused", family!.id)).toHaveLength(1);
    expect(json(await postJson(api, "/api/v1/auth/refresh", { refreshToken: "cvr_unknown" })).code).toBe("INVALID_REFRESH_TOKEN");
  });

  it("tells the person once, naming the app, when a reused refresh token ends its sign-in", async () => {
    const user = await createUser(tenant.id);
    const api = new Browser(hostOf(tenant));
    const first = await tokensFor(api, user.email, { clientName: "Covera Android 2.1" });
    expect((await postJson(api, "/api/v1/auth/refresh", { refreshToken: first.refreshToken })).status).toBe(200);
    const notices = async () => (await messagesTo(tenant.id, user.email)).filter((m) => m.template === "api_session_revoked");
    expect(await notices()).toEqual([]);

    expect(json(await postJson(api, "/api/v1/auth/refresh", { refreshToken: first.refreshToken })).code).toBe("REFRESH_TOKEN_REUSED");
    const [family] = await familiesOf(user.id);
    expect(family).toMatchObject({ revoked_reason: "refresh_reuse" });
    const [notice, ...more] = await notices();
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ channel: "email" });
    expect(notice!.subject).toContain("Covera Android 2.1");
    expect(notice!.body_text).toContain("change your password");
    expect(notice!.body_text).toContain("/account/security");

    // Used again, the same token (or the family's last one) finds the family ended: nobody is told twice.
    expect(json(await postJson(api, "/api/v1/auth/refresh", { refreshToken: first.refreshToken })).code).toBe("TOKEN_REVOKED");
    expect(await notices()).toHaveLength(1);
  });
});

describe("/api/v1/me/sessions", () => {
  it("lists web sessions and apps, and ends one of one's own but never another person's", async () => {
    const user = await createUser(tenant.id);
    const stranger = await createUser(tenant.id);
    const api = new Browser(hostOf(tenant));
    const phone = await tokensFor(api, user.email, { clientName: "Phone" });
    const tablet = await tokensFor(api, user.email, { clientName: "Tablet" });
    const theirs = await tokensFor(api, stranger.email);
    const web = await signIn(hostOf(tenant), user.email);

    const list = await api.get("/api/v1/me/sessions", bearer(phone.accessToken));
    expect(list.status, list.text).toBe(200);
    const results = json(list).results as { id: string; kind: string; clientName: string | null; current: boolean }[];
    expect(
      results
        .filter((r) => r.kind === "app")
        .map((r) => r.clientName)
        .sort(),
    ).toEqual(["Phone", "Tablet"]);
    expect(results.filter((r) => r.kind === "web")).toHaveLength(1);
    expect(results.find((r) => r.current)?.clientName).toBe("Phone");

    const strangerFamily = (await familiesOf(stranger.id))[0]!.id;
    const notMine = await api.send("DELETE", `/api/v1/me/sessions/${strangerFamily}`, undefined, bearer(phone.accessToken));
    expect(notMine.status).toBe(404);
    expect((await me(api, theirs.accessToken)).status).toBe(200);

    const tabletId = results.find((r) => r.clientName === "Tablet")!.id;
    const ended = await api.send("DELETE", `/api/v1/me/sessions/${tabletId}`, undefined, bearer(phone.accessToken));
    expect(ended.status, ended.text).toBe(204);
    expect(json(await me(api, tablet.accessToken)).code).toBe("TOKEN_REVOKED");
    expect(await auditRows(tenant.id, "api.app_revoked", tabletId)).toHaveLength(1);

    const webId = results.find((r) => r.kind === "web")!.id;
    expect((await api.send("DELETE", `/api/v1/me/sessions/${webId}`, undefined, bearer(phone.accessToken))).status).toBe(204);
    expect((await web.get("/account")).status).toBe(302);
    expect((await me(api, phone.accessToken)).status).toBe(200);
  });
});

describe("API keys on person-only routes", () => {
  it("refuses a key on /me with 403, and a revoked key with 401", async () => {
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const created = await withTenant(tenant.id, (db) =>
      createApiKey(db, { name: "Partner", scopes: ["catalogue:read"], createdBy: admin.id }),
    );
    const api = new Browser(hostOf(tenant));
    const forbidden = await api.get("/api/v1/me", { "x-api-key": created.key });
    expect(forbidden.status).toBe(403);
    await withTenant(tenant.id, (db) => revokeApiKey(db, created.id, admin.id));
    const revoked = await api.get("/api/v1/me", { "x-api-key": created.key });
    expect(revoked.status).toBe(401);
    expect(json(revoked).code).toBe("INVALID_API_KEY");
  });
});

describe("the account's security page", () => {
  it("lists signed-in apps and signs one out, but not another person's", async () => {
    const user = await createUser(tenant.id);
    const stranger = await createUser(tenant.id);
    const api = new Browser(hostOf(tenant));
    const pair = await tokensFor(api, user.email, { clientName: "Covera iPhone" });
    await tokensFor(api, stranger.email);
    const web = await signIn(hostOf(tenant), user.email);
    const page = await web.get("/account/security");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Covera iPhone");
    expect(page.text).toContain('aria-label="Sign out Covera iPhone"');

    const strangerFamily = (await familiesOf(stranger.id))[0]!;
    const notMine = await web.post("/account/security", { intent: "revoke-app", appId: strangerFamily.id });
    expect(notMine.status).toBe(404);
    expect((await familiesOf(stranger.id))[0]!.revoked_at).toBeNull();

    const family = (await familiesOf(user.id))[0]!;
    const ended = await web.post("/account/security", { intent: "revoke-app", appId: family.id });
    expect(ended.status).toBe(200);
    expect(json(await me(api, pair.accessToken)).code).toBe("TOKEN_REVOKED");
    expect((await familiesOf(user.id))[0]).toMatchObject({ revoked_reason: "revoked_by_user" });
    expect((await web.get("/account/security")).text).not.toContain("Covera iPhone");
  });
});
