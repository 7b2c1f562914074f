import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant, createUser, ownerDb, TEST_PASSWORD, uniqueSlug } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { hostOf, textOf } from "./accounts-support";
import { createOperator } from "./console-helpers";
import { createStoreTenant } from "./quotes-support";

/**
 * Issue 11, abuse protection (decision 012), with the production limits: this file runs two app
 * instances of its own on the suite's database (the shared app is generous, so the rest of the
 * suite can sign in from 127.0.0.1 as often as it likes). Each client is a different loopback
 * address, so one test can be an attacker and an account's owner on two networks.
 */
process.env.RATE_LIMIT_MULTIPLIER = "1";

const servers: Server[] = [];
let ports: number[] = [];

beforeAll(async () => {
  const { createApp, loadBuild } = await import("../../server/app");
  const build = await loadBuild();
  for (let i = 0; i < 2; i++) {
    servers.push(
      await new Promise<Server>((resolve) => {
        const server = createApp(build).listen(0, "127.0.0.1", () => resolve(server));
      }),
    );
  }
  ports = servers.map((s) => (s.address() as AddressInfo).port);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

let nextAddress = 10;
/** A client on a network of its own, talking to instance A or B of the app. */
function client(host: string) {
  const localAddress = `127.0.0.${nextAddress++}`;
  return { localAddress, a: new Browser(host, { port: ports[0], localAddress }), b: new Browser(host, { port: ports[1], localAddress }) };
}

function expectRefused(res: HttpResponse, windowSeconds: number) {
  expect(res.status, textOf(res.text).slice(0, 300)).toBe(429);
  const retryAfter = Number(res.headers["retry-after"]);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

const signInFails = (res: HttpResponse) => {
  expect(res.status).toBe(400);
  expect(textOf(res.text)).toContain("do not match");
};

describe("rate limits, shared by every app instance", () => {
  it("stops one network trying passwords across accounts after 10 failures, on either instance, and nobody else", async () => {
    const tenant = await createTenant();
    const owner = await createUser(tenant.id);
    const attacker = client(hostOf(tenant));
    // 10 different accounts (some real), alternating between the two instances: each one counts.
    for (let i = 0; i < 10; i++) {
      const email = i % 3 === 0 ? (await createUser(tenant.id)).email : `${uniqueSlug("spray")}@example.com`;
      signInFails(await (i % 2 ? attacker.b : attacker.a).post("/login", { email, password: "Summer#2026" }));
    }
    for (const browser of [attacker.a, attacker.b]) {
      const refused = await browser.post("/login", { email: owner.email, password: "Summer#2026" });
      expectRefused(refused, 600);
      expect(textOf(refused.text)).toMatch(/Too many attempts\. Please wait and try again in (a minute|\d+ minutes)\./);
    }
    // Refused before the password is looked at: even the right one.
    expectRefused(await attacker.a.post("/login", { email: owner.email, password: TEST_PASSWORD }), 600);
    expect(attacker.a.cookies.has("covera_session")).toBe(false);

    // The owner, on another network, is not affected; nor is the attacker's network at another agency.
    const home = client(hostOf(tenant));
    expect((await home.b.post("/login", { email: owner.email, password: TEST_PASSWORD })).status).toBe(302);
    const elsewhere = await createTenant();
    const there = new Browser(hostOf(elsewhere), { port: ports[0], localAddress: attacker.localAddress });
    signInFails(await there.post("/login", { email: owner.email, password: "Summer#2026" }));

    // The shared table names neither the network nor the agency.
    const keys = await ownerDb().selectFrom("rate_limit_buckets").select("key_hash").execute();
    for (const { key_hash } of keys) expect(key_hash).not.toMatch(/127\.0\.0|[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  it("counts failed sign-ins only: a successful one gives its try back", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id);
    const office = client(hostOf(tenant));
    for (let i = 0; i < 9; i++) signInFails(await office.a.post("/login", { email: `${uniqueSlug("typo")}@example.com`, password: "x" }));
    for (let i = 0; i < 3; i++)
      expect(
        (
          await new Browser(hostOf(tenant), { port: ports[1], localAddress: office.localAddress }).post("/login", {
            email: user.email,
            password: TEST_PASSWORD,
          })
        ).status,
      ).toBe(302);
    signInFails(await office.b.post("/login", { email: user.email, password: "Wrong#pass1" }));
    expectRefused(await office.a.post("/login", { email: user.email, password: "Wrong#pass2" }), 600);
  });

  it("locks only the network that failed five times out of an account; its owner signs in from another", async () => {
    const tenant = await createTenant();
    const owner = await createUser(tenant.id);
    const attacker = client(hostOf(tenant));
    for (let i = 1; i <= 4; i++) signInFails(await attacker.a.post("/login", { email: owner.email, password: `Guess#${i}aaaa` }));
    const fifth = await attacker.b.post("/login", { email: owner.email, password: "Guess#5aaaa" });
    expect(textOf(fifth.text)).toContain("This account is locked for 15 minutes");
    const locked = await attacker.a.post("/login", { email: owner.email, password: TEST_PASSWORD });
    expect(locked.status).toBe(400);
    expect(textOf(locked.text)).toMatch(/Try again in 1[45] minutes/);

    // The owner, elsewhere, on either instance.
    const home = client(hostOf(tenant));
    const signedIn = await home.b.post("/login", { email: owner.email, password: TEST_PASSWORD });
    expect(signedIn.status).toBe(302);
    expect(home.b.cookies.has("covera_session")).toBe(true);
    // … which does not unlock the attacker.
    expect(textOf((await attacker.a.post("/login", { email: owner.email, password: TEST_PASSWORD })).text)).toMatch(/Try again in/);
    const rows = await ownerDb()
      .selectFrom("sign_in_failures")
      .select(["client", "locked_until"])
      .where("user_id", "=", owner.id)
      .execute();
    expect(rows).toEqual([{ client: attacker.localAddress, locked_until: expect.any(Date) }]);
    // The agency's admin sees the lock, and where it holds.
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const office = client(hostOf(tenant));
    expect((await office.a.post("/login", { email: admin.email, password: TEST_PASSWORD })).status).toBe(302);
    expect(textOf((await office.a.get(`/admin/users/${owner.id}`)).text)).toMatch(/Sign-in lock Locked until .+ from one network/);
  });

  it("does the same for operators on the console", async () => {
    const op = await createOperator();
    const attacker = client("localhost");
    for (let i = 1; i <= 5; i++) await attacker.a.post("/console/login", { email: op.email, password: `Guess#${i}aaaa` });
    expect((await attacker.b.post("/console/login", { email: op.email, password: op.password })).status).toBe(400);
    expect((await client("localhost").a.post("/console/login", { email: op.email, password: op.password })).status).toBe(302);
    for (let i = 0; i < 5; i++) await attacker.b.post("/console/login", { email: `${uniqueSlug("op")}@covera.test`, password: "x" });
    expectRefused(await attacker.a.post("/console/login", { email: op.email, password: op.password }), 600);
  });

  it("limits password reset requests and registrations per network, with the form kept and the wait said", async () => {
    const tenant = await createTenant();
    const visitor = client(hostOf(tenant));
    for (let i = 0; i < 10; i++) {
      const res = await (i % 2 ? visitor.b : visitor.a).post("/forgot-password", { email: `${uniqueSlug("r")}@example.com` });
      expect(res.status).toBe(200);
    }
    const refused = await visitor.b.post("/forgot-password", { email: "last@example.com" });
    expectRefused(refused, 3600);
    expect(textOf(refused.text)).toContain("Too many attempts");
    expect(refused.text).toContain('value="last@example.com"');

    for (let i = 0; i < 10; i++) {
      const res = await (i % 2 ? visitor.a : visitor.b).post("/register", { name: "Spam Bot" });
      expect(res.status).toBe(400);
    }
    const registration = await visitor.a.post("/register", { name: "Njeri Wambui", email: "njeri@example.com" });
    expectRefused(registration, 3600);
    expect(textOf(registration.text)).toContain("Too many attempts");
    expect(registration.text).toContain('value="Njeri Wambui"');
    expect(await ownerDb().selectFrom("users").select("id").where("tenant_id", "=", tenant.id).execute()).toEqual([]);
  });

  it("limits referral-code look-ups and joins, with a page that says when to come back", async () => {
    const { agentNetworkTenant, addAgent } = await import("./network-support");
    const tenant = await agentNetworkTenant();
    const sponsor = await addAgent(tenant.id);
    const guesser = client(hostOf(tenant));
    for (let i = 0; i < 30; i++) {
      const res = await (i % 2 ? guesser.a : guesser.b).get(i % 3 ? `/join/ZZ${String(i).padStart(6, "0")}` : `/join?code=ZZZ${i}ZZZZ`);
      expect([302, 400, 404]).toContain(res.status);
    }
    const refused = await guesser.a.get(`/join/${sponsor.referralCode}`);
    expectRefused(refused, 600);
    expect(textOf(refused.text)).toContain("Too many attempts");
    expectRefused(await guesser.b.post(`/join/${sponsor.referralCode}`, { name: "Farid" }), 600);
    // Another network still joins.
    expect((await client(hostOf(tenant)).a.get(`/join/${sponsor.referralCode}`)).status).toBe(200);
  });

  it("limits quotes across the storefront's form and the API together, per network or account", async () => {
    const agency = await createStoreTenant();
    const quoter = client(agency.host);
    const api = (browser: Browser, body: string) =>
      browser.send("POST", "/api/v1/quotes", body, { "content-type": "application/json", accept: "application/json" });
    // Malformed bodies are refused by the API, but each is a quote asked for.
    for (let i = 0; i < 30; i++) expect((await api(i % 2 ? quoter.a : quoter.b, "{not json")).status).toBe(400);
    for (let i = 0; i < 30; i++)
      expect([302, 400]).toContain((await (i % 2 ? quoter.b : quoter.a).post("/products/home-cover/quote", { intent: "quote" })).status);

    const fromApi = await api(quoter.a, "{not json");
    expectRefused(fromApi, 600);
    expect(fromApi.headers["content-type"]).toMatch(/application\/json/);
    expect(JSON.parse(fromApi.text)).toEqual({
      status: "error",
      code: "RATE_LIMITED",
      message: expect.stringMatching(/Too many attempts/),
      errors: {},
    });
    const fromForm = await quoter.b.post("/products/home-cover/quote", { intent: "quote" });
    expectRefused(fromForm, 600);
    expect(textOf(fromForm.text)).toContain("Too many attempts");

    // A signed-in customer on that network has an allowance of their own.
    const customer = await createUser(agency.id);
    const signedIn = new Browser(agency.host, { port: ports[0], localAddress: quoter.localAddress });
    expect((await signedIn.post("/login", { email: customer.email, password: TEST_PASSWORD })).status).toBe(302);
    expect((await api(signedIn, "{not json")).status).toBe(400);
  });

  it("allows /api/v1 100 calls an hour without a credential and 1,000 with one, per agency unless it sets its own, in the API's error shape", async () => {
    const agency = await createStoreTenant();
    const app = client(agency.host);
    const paths = ["/api/v1/openapi.json", "/api/v1/products?pageSize=1", "/api/v1/products/no-such-product"];
    /** `count` calls, ten at a time, alternating instances and paths: each is answered, none refused. */
    const calls = async (browser: { a: Browser; b: Browser }, count: number, headers: Record<string, string> = {}) => {
      for (let done = 0; done < count; done += 10) {
        const answers = await Promise.all(
          Array.from({ length: Math.min(10, count - done) }, (_, i) =>
            (i % 2 ? browser.a : browser.b).get(paths[(done + i) % paths.length]!, { accept: "application/json", ...headers }),
          ),
        );
        for (const res of answers) expect([200, 404], res.text.slice(0, 200)).toContain(res.status);
      }
    };
    const expectApiRefused = (res: HttpResponse) => {
      expectRefused(res, 3600);
      expect(res.headers["content-type"]).toMatch(/application\/json/);
      expect(JSON.parse(res.text)).toEqual({
        status: "error",
        code: "RATE_LIMITED",
        message: expect.stringMatching(/Too many attempts/),
        errors: {},
      });
    };
    await calls(app, 100);
    expectApiRefused(await app.a.get("/api/v1/openapi.json", { accept: "application/json" }));
    // Another network is not affected; nor is a signed-in app on this one, which has 1,000 of its own.
    expect((await client(agency.host).b.get("/api/v1/openapi.json")).status).toBe(200);
    const { issueTokens } = await import("~/modules/auth/api-tokens.server");
    const { withTenant } = await import("~db/client");
    const person = await createUser(agency.id);
    const { tokens } = await withTenant(agency.id, (db) => issueTokens(db, agency.id, person.id, {}));
    const bearer = { authorization: `Bearer ${tokens.accessToken}` };
    await calls(app, 1000, bearer);
    expectApiRefused(await app.b.get("/api/v1/products?pageSize=1", bearer));

    // An agency that sets its own allowances gets them: here 5 and 8 an hour.
    const strict = await createStoreTenant();
    await ownerDb().insertInto("api_settings").values({ tenant_id: strict.id, anonymous_per_hour: 5, authenticated_per_hour: 8 }).execute();
    const visitor = client(strict.host);
    await calls(visitor, 5);
    expectApiRefused(await visitor.a.get("/api/v1/openapi.json"));
    const member = await createUser(strict.id);
    const signedIn = await withTenant(strict.id, (db) => issueTokens(db, strict.id, member.id, {}));
    const strictBearer = { authorization: `Bearer ${signedIn.tokens.accessToken}` };
    await calls(visitor, 8, strictBearer);
    expectApiRefused(await visitor.b.get("/api/v1/openapi.json", strictBearer));
    // The first agency's visitors still have the default there.
    expect((await client(agency.host).a.get("/api/v1/openapi.json")).status).toBe(200);
    // 1,100 calls: room for a busy two-core machine.
  }, 180_000);

  it("limits phone codes per agent account", async () => {
    const { agentNetworkTenant, addAgent } = await import("./network-support");
    const tenant = await agentNetworkTenant();
    const agent = await addAgent(tenant.id);
    const phone = client(hostOf(tenant));
    expect((await phone.a.post("/login", { email: agent.email, password: TEST_PASSWORD })).status).toBe(302);
    const other = new Browser(hostOf(tenant), { port: ports[1], localAddress: `127.0.0.${nextAddress++}` });
    expect((await other.post("/login", { email: agent.email, password: TEST_PASSWORD })).status).toBe(302);
    // Wrong codes from two networks: the account's allowance is one.
    for (let i = 0; i < 20; i++) {
      const res = await (i % 2 ? other : phone.a).post("/agent/profile", { intent: "verify-code", code: "000000" });
      expect(res.status).toBe(400);
    }
    const refused = await phone.a.post("/agent/profile", { intent: "send-code", phone: "+60 12-345 6789" });
    expectRefused(refused, 3600);
    expect(textOf(refused.text)).toContain("Too many attempts");
  });
});

describe("the hourly sweep", () => {
  it("deletes ended windows, day-old sign-in failures and day-old API idempotency answers, and keeps the rest", async () => {
    const { sweepAbuseRecordsTask, sweepSignInFailuresTask } = await import("~/jobs/abuse");
    const tenant = await createTenant();
    const [user, other] = [await createUser(tenant.id), await createUser(tenant.id)];
    const op = await createOperator();
    const hour = 3_600_000;
    const [ended, current] = [`ended-${uniqueSlug()}`, `current-${uniqueSlug()}`];
    const ago = (ms: number) => new Date(Date.now() - ms);
    await ownerDb()
      .insertInto("rate_limit_buckets")
      .values([
        { limit_name: "api_anonymous", key_hash: ended, window_start: ago(2 * hour), window_end: ago(hour), hits: 3 },
        { limit_name: "api_anonymous", key_hash: current, window_start: ago(1000), window_end: new Date(Date.now() + hour), hits: 3 },
      ])
      .execute();
    await ownerDb()
      .insertInto("sign_in_failures")
      .values([
        { tenant_id: tenant.id, user_id: user.id, client: "198.51.100.1", failed_count: 2, updated_at: ago(25 * hour) },
        { tenant_id: tenant.id, user_id: other.id, client: "198.51.100.1", failed_count: 2, updated_at: ago(hour) },
      ])
      .execute();
    await ownerDb()
      .insertInto("platform_sign_in_failures")
      .values([
        { operator_id: op.id, client: "198.51.100.1", failed_count: 1, updated_at: ago(25 * hour) },
        { operator_id: op.id, client: "198.51.100.2", failed_count: 1, updated_at: ago(hour) },
      ])
      .execute();

    const answer = { principal: "anon:x", method: "POST", path: "/api/v1/quotes", request_hash: "h", status: 201, body: "{}" };
    await ownerDb()
      .insertInto("api_idempotency")
      .values([
        { ...answer, tenant_id: tenant.id, idempotency_key: "day-old", created_at: ago(25 * hour) },
        { ...answer, tenant_id: tenant.id, idempotency_key: "recent", created_at: ago(hour) },
      ])
      .execute();

    await sweepAbuseRecordsTask({}, {} as never);
    await sweepSignInFailuresTask({ tenantId: tenant.id }, {} as never);

    const buckets = await ownerDb().selectFrom("rate_limit_buckets").select("key_hash").where("key_hash", "in", [ended, current]).execute();
    expect(buckets).toEqual([{ key_hash: current }]);
    const failures = await ownerDb().selectFrom("sign_in_failures").select("user_id").where("tenant_id", "=", tenant.id).execute();
    expect(failures).toEqual([{ user_id: other.id }]);
    const operators = await ownerDb().selectFrom("platform_sign_in_failures").select("client").where("operator_id", "=", op.id).execute();
    expect(operators).toEqual([{ client: "198.51.100.2" }]);
    const kept = await ownerDb().selectFrom("api_idempotency").select("idempotency_key").where("tenant_id", "=", tenant.id).execute();
    expect(kept).toEqual([{ idempotency_key: "recent" }]);
  });
});
