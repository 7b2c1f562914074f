import { beforeAll, describe, expect, it } from "vitest";
import { issueTokens, refreshTokens, revokeFamily } from "~/modules/auth/api-tokens.server";
import { withTenant } from "~db/client";
import { createTenant, createUser } from "../support/db";
import { Browser } from "../support/http";

/** The /api/v1 plumbing every endpoint shares (decision 045), through GET /api/v1/me. */
let tenant: { id: string; slug: string };
let other: { id: string; slug: string };
let user: { id: string; email: string };

beforeAll(async () => {
  [tenant, other] = await Promise.all([createTenant(), createTenant()]);
  user = await createUser(tenant.id);
});

const host = (t: { slug: string }) => `${t.slug}.localhost`;
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe("GET /api/v1/me with bearer tokens", () => {
  it("answers the person for a valid token, with an ETag that revalidates to 304", async () => {
    const { tokens } = await withTenant(tenant.id, (db) => issueTokens(db, tenant.id, user.id, { name: "test" }));
    const api = new Browser(host(tenant));
    const res = await api.get("/api/v1/me", { authorization: `Bearer ${tokens.accessToken}` });
    expect(res.status, res.text).toBe(200);
    expect(json(res.text).me).toMatchObject({ id: user.id, email: user.email, roles: ["customer"] });
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await api.get("/api/v1/me", { authorization: `Bearer ${tokens.accessToken}`, "if-none-match": etag });
    expect(again.status).toBe(304);
  });

  it("refuses no token, a tampered one, another agency's and a revoked family with 401 in the error shape", async () => {
    const { familyId, tokens } = await withTenant(tenant.id, (db) => issueTokens(db, tenant.id, user.id, {}));
    const api = new Browser(host(tenant));
    const none = await api.get("/api/v1/me");
    expect(none.status).toBe(401);
    expect(json(none.text)).toMatchObject({ status: "error", code: "UNAUTHENTICATED", errors: {} });
    const [head, payload, sig] = tokens.accessToken.split(".");
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), u: "00000000-0000-0000-0000-000000000000" })).toString("base64url")}.${sig}`;
    expect((await api.get("/api/v1/me", { authorization: `Bearer ${forged}` })).status).toBe(401);
    const elsewhere = await new Browser(host(other)).get("/api/v1/me", { authorization: `Bearer ${tokens.accessToken}` });
    expect(elsewhere.status).toBe(401);
    expect(json(elsewhere.text).code).toBe("INVALID_TOKEN");
    await withTenant(tenant.id, (db) => revokeFamily(db, familyId, "sign_out"));
    const revoked = await api.get("/api/v1/me", { authorization: `Bearer ${tokens.accessToken}` });
    expect(revoked.status).toBe(401);
    expect(json(revoked.text).code).toBe("TOKEN_REVOKED");
  });

  it("gives a new access token on a refresh in the same second as the sign-in (each token is its own)", async () => {
    const now = new Date();
    const first = await withTenant(tenant.id, (db) => issueTokens(db, tenant.id, user.id, {}, now));
    const next = await withTenant(tenant.id, (db) => refreshTokens(db, tenant.id, first.tokens.refreshToken, now));
    if (!next.ok) throw new Error(next.reason);
    expect(next.tokens.accessToken).not.toBe(first.tokens.accessToken);
    expect(next.tokens.refreshToken).not.toBe(first.tokens.refreshToken);
  });
});
