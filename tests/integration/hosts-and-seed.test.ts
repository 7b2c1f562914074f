import { describe, expect, it } from "vitest";
import { withPlatform } from "~db/client";
import { DEMO_OPERATOR, seed } from "~db/seed";
import { resolveHost } from "~/modules/tenancy/resolve.server";
import { createTenant, ownerDb } from "../support/db";
import { Browser } from "../support/http";

describe("host resolution", () => {
  it("maps <slug>.localhost to that tenant", async () => {
    const site = await resolveHost("bowman.localhost");
    expect(site.kind).toBe("tenant");
    expect(site.kind === "tenant" && site.tenant.name).toBe("Bowman Insurance");
    const kh = await resolveHost("khholdings.localhost");
    expect(kh.kind === "tenant" && kh.tenant.currency).toBe("MYR");
  });

  it("maps a tenant's own domain from tenant_domains", async () => {
    const tenant = await createTenant();
    const host = `insure-${tenant.slug}.example.com`;
    await withPlatform((db) => db.insertInto("tenant_domains").values({ tenant_id: tenant.id, host, is_primary: true }).execute());
    const site = await resolveHost(host);
    expect(site.kind === "tenant" && site.tenant.id).toBe(tenant.id);
  });

  it("treats the bare host as the platform and anything else as unknown", async () => {
    expect((await resolveHost("localhost")).kind).toBe("platform");
    expect((await resolveHost("nobody.localhost")).kind).toBe("unknown");
    expect((await resolveHost("evil.example.com")).kind).toBe("unknown");
    // A deeper name is not a slug.
    expect((await resolveHost("x.bowman.localhost")).kind).toBe("unknown");
  });

  it("reports a suspended tenant as suspended", async () => {
    const tenant = await createTenant({ status: "suspended" });
    expect((await resolveHost(`${tenant.slug}.localhost`)).kind).toBe("suspended");
  });
});

describe("storefronts over HTTP", () => {
  it("serves each agency in its own branding and currency, and nothing of the other", async () => {
    const bowman = await new Browser("bowman.localhost").get("/");
    expect(bowman.status).toBe(200);
    expect(bowman.text).toContain("Bowman Insurance");
    expect(bowman.text).toContain("#0b5d4b");
    expect(bowman.text).toMatch(/Kenyan shilling/i);
    expect(bowman.text.toLowerCase()).not.toContain("khholdings");

    const kh = await new Browser("khholdings.localhost").get("/");
    expect(kh.status).toBe(200);
    expect(kh.text).toContain("KHHoldings");
    expect(kh.text).toContain("#7a1f2b");
    expect(kh.text).toMatch(/Malaysian ringgit/i);
    expect(kh.text.toLowerCase()).not.toContain("bowman");
  });

  it("answers an unknown host with a clear 404 page", async () => {
    const res = await new Browser("nobody.localhost").get("/");
    expect(res.status).toBe(404);
    expect(res.text).toContain("We don&#x27;t know this address");
  });

  it("answers a suspended agency with 503 and none of its data", async () => {
    const tenant = await createTenant({ status: "suspended", name: "Paused Agency" });
    const res = await new Browser(`${tenant.slug}.localhost`).get("/login");
    expect(res.status).toBe(503);
    expect(res.text).toContain("Paused Agency is unavailable");
    expect(res.text).not.toContain('name="password"');
  });

  it("has a liveness check that needs no database, and a readiness check that asks it", async () => {
    const live = await new Browser("bowman.localhost").get("/healthz");
    expect(live.status).toBe(200);
    expect(JSON.parse(live.text)).toEqual({ status: "ok" });
    const ready = await new Browser("bowman.localhost").get("/readyz");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ status: "ok", checks: { database: "ok", jobQueue: "ok" } });
  });

  it("refuses a form posted from another host", async () => {
    const res = await new Browser("bowman.localhost").post(
      "/login",
      { email: "a@b.co", password: "x" },
      { origin: "http://khholdings.localhost:3000" },
    );
    expect(res.status).toBe(403);
  });
});

describe("seeding", () => {
  it("changes nothing when run again", async () => {
    // Only what the seed owns: other test files create tenants and users in parallel.
    const snapshot = async () => {
      const db = ownerDb();
      const tenants = await db.selectFrom("tenants").selectAll().where("slug", "in", ["bowman", "khholdings"]).orderBy("slug").execute();
      const ids = tenants.map((t) => t.id);
      const users = await db
        .selectFrom("users")
        .select(["id", "email", "password_hash", "updated_at"])
        .where("tenant_id", "in", ids)
        .orderBy("id")
        .execute();
      const roles = await db
        .selectFrom("user_roles")
        .select(["user_id", "role"])
        .where("tenant_id", "in", ids)
        .orderBy("user_id")
        .orderBy("role")
        .execute();
      const history = await db.selectFrom("password_history").select("id").where("tenant_id", "in", ids).orderBy("id").execute();
      const domains = await db.selectFrom("tenant_domains").selectAll().where("tenant_id", "in", ids).orderBy("host").execute();
      const operator = await db.selectFrom("platform_operators").selectAll().where("email", "=", DEMO_OPERATOR.email).execute();
      return { tenants, users, roles, history, domains, operator };
    };
    const before = await snapshot();
    await seed();
    await seed();
    expect(await snapshot()).toEqual(before);
  });
});
