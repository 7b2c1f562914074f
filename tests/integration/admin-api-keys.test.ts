import { beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "~/modules/auth/tokens.server";
import { createTenant, createUser, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";

/** /admin/api-keys: partners' keys and the agency's API settings (issue 15, decision 045). */
let tenant: { id: string; slug: string };
let admin: Browser;

beforeAll(async () => {
  tenant = await createTenant();
  const person = await createUser(tenant.id, { roles: ["admin"] });
  admin = await signIn(hostOf(tenant), person.email);
});

const keysOf = (tenantId: string) => ownerDb().selectFrom("api_keys").selectAll().where("tenant_id", "=", tenantId).execute();
const code = (text: string) => (JSON.parse(text) as { code: string }).code;

describe("API keys", () => {
  it("shows a new key once, stores only its hash, and the key then works", async () => {
    const created = await admin.post("/admin/api-keys", {
      intent: "create-key",
      name: "Broker portal",
      scopes: ["catalogue:read", "quotes:write"],
    });
    expect(created.status, textOf(created.text).slice(0, 300)).toBe(200);
    const key = /data-testid="new-api-key"[^>]*value="(cvk_[^"]+)"/.exec(created.text)?.[1];
    expect(key, "the key shown").toBeTruthy();

    const [row] = (await keysOf(tenant.id)).filter((k) => k.name === "Broker portal");
    expect(row).toMatchObject({ key_hash: sha256(key!), prefix: key!.slice(0, 12), scopes: ["catalogue:read", "quotes:write"] });
    expect(JSON.stringify(row)).not.toContain(key!);
    expect(await auditRows(tenant.id, "api.key_created", row!.id)).toHaveLength(1);

    const page = await admin.get("/admin/api-keys");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(key!);
    expect(textOf(page.text)).toContain("Broker portal");
    expect(page.text).toContain(row!.prefix);

    // Accepted as a key (a person-only route refuses it with 403, an unknown key would be a 401).
    expect((await new Browser(hostOf(tenant)).get("/api/v1/me", { "x-api-key": key! })).status).toBe(403);
  });

  it("refuses a key without a name or scope, and creates nothing", async () => {
    const before = (await keysOf(tenant.id)).length;
    const res = await admin.post("/admin/api-keys", { intent: "create-key", name: "No scopes" });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("Choose at least one thing the key may do");
    const unnamed = await admin.post("/admin/api-keys", { intent: "create-key", name: "", scopes: "catalogue:read" });
    expect(unnamed.status).toBe(400);
    expect(textOf(unnamed.text)).toContain("Name the key after the partner or integration");
    expect((await keysOf(tenant.id)).length).toBe(before);
  });

  it("revokes a key: it stops working at once", async () => {
    const created = await admin.post("/admin/api-keys", { intent: "create-key", name: "Old partner", scopes: "claims:read" });
    const key = /data-testid="new-api-key"[^>]*value="(cvk_[^"]+)"/.exec(created.text)![1]!;
    const row = (await keysOf(tenant.id)).find((k) => k.name === "Old partner")!;
    const revoked = await admin.post("/admin/api-keys", { intent: "revoke-key", keyId: row.id });
    expect(revoked.status).toBe(302);
    const res = await new Browser(hostOf(tenant)).get("/api/v1/me", { "x-api-key": key });
    expect(res.status).toBe(401);
    expect(code(res.text)).toBe("INVALID_API_KEY");
    expect((await keysOf(tenant.id)).find((k) => k.id === row.id)?.revoked_at).not.toBeNull();
    expect(await auditRows(tenant.id, "api.key_revoked", row.id)).toHaveLength(1);
    const again = await admin.post("/admin/api-keys", { intent: "revoke-key", keyId: row.id });
    expect(again.status).toBe(404);
  });

  it("is for admins only", async () => {
    const staff = await createUser(tenant.id, { roles: ["staff"] });
    const browser = await signIn(hostOf(tenant), staff.email);
    expect((await browser.get("/admin/api-keys")).status).toBe(403);
    const before = (await keysOf(tenant.id)).length;
    const post = await browser.post("/admin/api-keys", { intent: "create-key", name: "Sneaky", scopes: "catalogue:read" });
    expect(post.status).toBe(403);
    expect((await keysOf(tenant.id)).length).toBe(before);
    expect((await admin.get("/admin")).text).toContain('href="/admin/api-keys"');
  });
});

describe("API settings", () => {
  const settingsOf = () => ownerDb().selectFrom("api_settings").selectAll().where("tenant_id", "=", tenant.id).executeTakeFirst();

  it("refuses origins that are not https origins, or too many, and saves nothing", async () => {
    const bad = async (origins: string, message: string) => {
      const res = await admin.post("/admin/api-keys", {
        intent: "save-settings",
        origins,
        anonymousPerHour: "50",
        authenticatedPerHour: "500",
      });
      expect(res.status).toBe(400);
      expect(textOf(res.text)).toContain(message);
    };
    await bad("https://app.example.com/path", "must be only the website's origin, such as https://app.example.com");
    await bad("http://app.example.com", "must start with https://");
    await bad("not a url", "is not a web address");
    await bad(Array.from({ length: 21 }, (_, i) => `https://a${i}.example.com`).join("\n"), "Allow at most 20 websites");
    const zero = await admin.post("/admin/api-keys", {
      intent: "save-settings",
      origins: "",
      anonymousPerHour: "0",
      authenticatedPerHour: "500",
    });
    expect(textOf(zero.text)).toContain("Allow at least 1 call an hour");
    expect(await settingsOf()).toBeUndefined();
  });

  it("lets the allowed origins call the API from a browser, and no others", async () => {
    const saved = await admin.post("/admin/api-keys", {
      intent: "save-settings",
      origins: "https://app.example.com\r\nhttp://localhost:5173\n",
      anonymousPerHour: "50",
      authenticatedPerHour: "500",
    });
    expect(saved.status).toBe(302);
    expect(await settingsOf()).toMatchObject({
      allowed_origins: ["https://app.example.com", "http://localhost:5173"],
      anonymous_per_hour: 50,
      authenticated_per_hour: 500,
    });
    expect(await auditRows(tenant.id, "api.settings_saved")).toHaveLength(1);
    const api = new Browser(hostOf(tenant));
    const preflight = (origin: string) =>
      api.send("OPTIONS", "/api/v1/auth/token", undefined, { origin, "access-control-request-method": "POST" });
    const allowed = await preflight("https://app.example.com");
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    expect(allowed.headers["access-control-allow-methods"]).toContain("POST");
    const other = await preflight("https://evil.example.com");
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    // A write from a site not allowed is refused before anything runs.
    const write = await api.send("POST", "/api/v1/auth/token", JSON.stringify({ email: "a@example.com", password: "x" }), {
      "content-type": "application/json",
      origin: "https://evil.example.com",
    });
    expect(write.status).toBe(403);
    expect(code(write.text)).toBe("ORIGIN_NOT_ALLOWED");
  });
});
