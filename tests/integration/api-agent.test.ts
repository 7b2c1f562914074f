import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { createApiKey, type ApiScope } from "~/modules/auth/api-keys.server";
import { issueTokens } from "~/modules/auth/api-tokens.server";
import { addMonthsTo, monthOf } from "~/modules/commissions/months";
import { fileKey } from "~/modules/files/storage.server";
import { createUser, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { hostOf } from "./accounts-support";
import { insertOrder, insertProduct } from "./admin-payments-fixtures";
import { freshNric, memberForm } from "./members-support";
import { addAgent, agentNetworkTenant } from "./network-support";

/**
 * The agent app's /api/v1/agent/* (issue 15) over real HTTP with real tokens: each endpoint answers
 * the caller's own agent and nobody else's, keys read what their scope allows, lists page by cursor,
 * and registering a member keeps the portal's rules and honours Idempotency-Key.
 */

type Tenant = Awaited<ReturnType<typeof agentNetworkTenant>>;
type Agent = Awaited<ReturnType<typeof addAgent>>;

const TZ = "Asia/Kuala_Lumpur";
const MONTH = monthOf(new Date(), TZ);
const OLD = addMonthsTo(MONTH, -3);
const PENDING = addMonthsTo(MONTH, -2);

let tenant: Tenant;
let other: Tenant;
let sponsor: Agent;
let me: Agent;
let stranger: Agent;
let api: Browser;
const bearer = {} as Record<"me" | "stranger" | "customer", Record<string, string>>;
const body = (text: string) => JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function tokenFor(tenantId: string, userId: string) {
  const { tokens } = await withTenant(tenantId, (db) => issueTokens(db, tenantId, userId, { name: "agent app test" }));
  return { authorization: `Bearer ${tokens.accessToken}` };
}

async function keyWith(scopes: ApiScope[]) {
  const { key } = await withTenant(tenant.id, (db) => createApiKey(db, { name: "partner", scopes, createdBy: sponsor.userId }));
  return { authorization: `Bearer ${key}` };
}

const postJson = (path: string, value: unknown, headers: Record<string, string>) =>
  api.send("POST", path, JSON.stringify(value), { "content-type": "application/json", ...headers });

async function addEntry(agentId: string, amountMinor: number, month: string, earnedAt: Date) {
  await withTenant(tenant.id, (db) =>
    db
      .insertInto("commission_entries")
      .values({ kind: "adjustment", agent_id: agentId, month, amount_minor: amountMinor, currency: "MYR", tier: 1, earned_at: earnedAt })
      .execute(),
  );
}

async function addStatement(agentId: string, month: string, ready: boolean) {
  await withTenant(tenant.id, async (db) => {
    await db
      .insertInto("commission_months")
      .values({ month, entries_count: 1, agents_count: 1, total_minor: 5000, currency: "MYR" })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await db
      .insertInto("commission_statements")
      .values({
        month,
        agent_id: agentId,
        earned_minor: 12_345,
        payable_minor: 12_000,
        entries_count: 7,
        file_key: ready ? fileKey(tenant.id, "statements", "statement.pdf") : null,
      })
      .execute();
  });
}

beforeAll(async () => {
  [tenant, other] = await Promise.all([agentNetworkTenant(), agentNetworkTenant()]);
  sponsor = await addAgent(tenant.id, { name: "Siti Sponsor" });
  me = await addAgent(tenant.id, { sponsorId: sponsor.id, name: "Aminah Api" });
  for (const name of ["Alif Recruit", "Badrul Recruit", "Chong Recruit"]) await addAgent(tenant.id, { sponsorId: me.id, name });
  stranger = await addAgent(tenant.id, { sponsorId: sponsor.id, name: "Farid Stranger" });
  const customer = await createUser(tenant.id, { roles: ["customer"], name: "Nur Customer" });
  api = new Browser(hostOf(tenant));
  bearer.me = await tokenFor(tenant.id, me.userId);
  bearer.stranger = await tokenFor(tenant.id, stranger.userId);
  bearer.customer = await tokenFor(tenant.id, customer.id);

  // Three ledger lines of mine, a second apart; one of the stranger's.
  for (const [i, amount] of [1000, 2000, 3000].entries()) await addEntry(me.id, amount, MONTH, new Date(Date.now() - (3 - i) * 1000));
  await addEntry(me.id, 500, addMonthsTo(MONTH, -1), new Date(Date.now() - 40 * 86_400_000));
  await addEntry(stranger.id, 987_654, MONTH, new Date());

  // A paid sale of mine and one of the stranger's.
  const product = await insertProduct(tenant.id, { name: "Hibah Gold 270" });
  for (const agent of [me, stranger]) {
    const order = await insertOrder(tenant.id, customer.id, product.id, { firstPaymentMinor: 15_000 });
    await ownerDb().updateTable("orders").set({ agent_id: agent.id, paid_at: new Date() }).where("id", "=", order.orderId).execute();
  }

  await addStatement(me.id, OLD, true);
  await addStatement(me.id, PENDING, false);
  await addStatement(stranger.id, addMonthsTo(MONTH, -4), true);
});

describe("GET /api/v1/agent/me", () => {
  it("answers the agent's number, referral code, rank, sponsor and status", async () => {
    const res = await api.get("/api/v1/agent/me", bearer.me);
    expect(res.status, res.text).toBe(200);
    expect(body(res.text).agent).toMatchObject({
      id: me.id,
      status: "active",
      name: "Aminah Api",
      rank: { id: "agent", name: "Agent" },
      sponsor: { id: sponsor.id, name: "Siti Sponsor", status: "active" },
      downline: expect.arrayContaining([{ level: 1, agents: 3 }]),
    });
    expect(body(res.text).agent.agentNumber).toEqual(expect.any(String));
    expect(body(res.text).agent.referralCode).toEqual(expect.any(String));
  });

  it("refuses a customer (403), another agency's token (401) and an API key (403)", async () => {
    const customer = await api.get("/api/v1/agent/me", bearer.customer);
    expect(customer.status).toBe(403);
    expect(body(customer.text)).toMatchObject({ status: "error", code: "FORBIDDEN" });
    const elsewhere = await new Browser(hostOf(other)).get("/api/v1/agent/me", bearer.me);
    expect(elsewhere.status).toBe(401);
    expect(body(elsewhere.text).code).toBe("INVALID_TOKEN");
    const key = await api.get("/api/v1/agent/me", await keyWith(["network:read", "members:read"]));
    expect(key.status).toBe(403);
  });
});

describe("GET /api/v1/agent/downline", () => {
  it("pages through a level by cursor without repeating or skipping anyone, and never shows agents beside or above", async () => {
    const first = await api.get("/api/v1/agent/downline?limit=2", bearer.me);
    expect(first.status, first.text).toBe(200);
    const page1 = body(first.text);
    expect(page1.results.map((r: { name: string }) => r.name)).toEqual(["Alif Recruit", "Badrul Recruit"]);
    expect(page1.nextCursor).toEqual(expect.any(String));
    expect(page1.next).toContain(`cursor=${page1.nextCursor}`);
    const second = body((await api.get(`/api/v1/agent/downline?limit=2&cursor=${page1.nextCursor}`, bearer.me)).text);
    expect(second.results.map((r: { name: string }) => r.name)).toEqual(["Chong Recruit"]);
    expect(second).toMatchObject({ nextCursor: null, next: null });
    expect(second.results[0]).toMatchObject({ level: 1, status: "active", sponsor: { name: "Aminah Api" }, downlineSize: 0 });

    const searched = body((await api.get("/api/v1/agent/downline?q=Stranger", bearer.me)).text);
    expect(searched.results).toEqual([]);
    const sponsorView = body((await api.get("/api/v1/agent/downline?level=2", await tokenFor(tenant.id, sponsor.userId))).text);
    expect(sponsorView.results).toHaveLength(3);
  });

  it("answers a tampered cursor or a bad level with a 400 naming the field", async () => {
    const tampered = await api.get(`/api/v1/agent/downline?cursor=${Buffer.from('[1,"x","not-a-uuid"]').toString("base64url")}`, bearer.me);
    expect(tampered.status).toBe(400);
    expect(body(tampered.text)).toMatchObject({ code: "VALIDATION_ERROR", errors: { cursor: expect.any(Array) } });
    const level = await api.get("/api/v1/agent/downline?level=99", bearer.me);
    expect(level.status).toBe(400);
    expect(body(level.text).errors.level).toBeDefined();
  });
});

describe("members", () => {
  let memberId: string;
  let nric: string;

  it("registers a member with the portal's rules, and refuses bad fields in the API's error shape", async () => {
    const bad = await postJson("/api/v1/agent/members", memberForm({ nric: "123", email: "not-an-email" }), bearer.me);
    expect(bad.status).toBe(400);
    expect(body(bad.text)).toMatchObject({ status: "error", code: "VALIDATION_ERROR" });
    expect(Object.keys(body(bad.text).errors)).toEqual(expect.arrayContaining(["nric", "email"]));

    const form = memberForm();
    nric = form.nric;
    const res = await postJson("/api/v1/agent/members", form, bearer.me);
    expect(res.status, res.text).toBe(201);
    memberId = body(res.text).member.id;
    expect(new URL(res.headers.location as string).pathname).toBe(`/api/v1/agent/members/${memberId}`);
    expect(body(res.text)).toMatchObject({
      linkedExistingAccount: false,
      member: { name: form.name, email: form.email, status: "active" },
    });
    expect(body(res.text).member.nric).toBe(`******-**-${form.nric.slice(-4)}`);

    // The same MyKad number again: refused on its field, nothing saved.
    const again = await postJson("/api/v1/agent/members", memberForm({ nric }), bearer.me);
    expect(again.status).toBe(400);
    expect(body(again.text).errors.nric).toEqual(["This MyKad (NRIC) number is already registered."]);
  });

  it("replays a repeated Idempotency-Key instead of registering twice, and refuses the key with another body", async () => {
    const form = memberForm();
    const headers = { ...bearer.me, "idempotency-key": `member-${form.nric}` };
    const first = await postJson("/api/v1/agent/members", form, headers);
    expect(first.status, first.text).toBe(201);
    const replay = await postJson("/api/v1/agent/members", form, headers);
    expect(replay.status).toBe(201);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(body(replay.text).member.id).toBe(body(first.text).member.id);
    const rows = await ownerDb()
      .selectFrom("members")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("name", "=", form.name)
      .execute();
    expect(rows.filter((r) => r.id === body(first.text).member.id)).toHaveLength(1);
    const changed = await postJson("/api/v1/agent/members", { ...form, nric: freshNric().nric }, headers);
    expect(changed.status).toBe(422);
  });

  it("refuses a suspended agent and a customer", async () => {
    const suspended = await addAgent(tenant.id, { sponsorId: sponsor.id, status: "suspended" });
    const res = await postJson("/api/v1/agent/members", memberForm(), await tokenFor(tenant.id, suspended.userId));
    expect(res.status).toBe(403);
    expect(body(res.text).code).toBe("AGENT_NOT_ACTIVE");
    expect((await postJson("/api/v1/agent/members", memberForm(), bearer.customer)).status).toBe(403);
  });

  it("lists and shows only the agent's own members; another agent's member is 404", async () => {
    const list = body((await api.get("/api/v1/agent/members?limit=1", bearer.me)).text);
    expect(list.results).toHaveLength(1);
    expect(list.nextCursor).toEqual(expect.any(String));
    const searched = body((await api.get(`/api/v1/agent/members?q=${encodeURIComponent(nric)}`, bearer.me)).text);
    expect(searched.results.map((m: { id: string }) => m.id)).toEqual([memberId]);
    const one = await api.get(`/api/v1/agent/members/${memberId}`, bearer.me);
    expect(one.status, one.text).toBe(200);
    expect(body(one.text).member).toMatchObject({ id: memberId, invitationPending: true });
    const theirs = await api.get(`/api/v1/agent/members/${memberId}`, bearer.stranger);
    expect(theirs.status).toBe(404);
    expect(body(theirs.text).code).toBe("NOT_FOUND");
    expect(body((await api.get("/api/v1/agent/members", bearer.stranger)).text).results).toEqual([]);
  });

  it("lets a key with members:read read the whole agency's members, and refuses a key without it", async () => {
    const key = await keyWith(["members:read"]);
    const list = body((await api.get("/api/v1/agent/members", key)).text);
    expect(list.results.map((m: { id: string }) => m.id)).toContain(memberId);
    expect((await api.get(`/api/v1/agent/members/${memberId}`, key)).status).toBe(200);
    const wrong = await api.get("/api/v1/agent/members", await keyWith(["claims:read"]));
    expect(wrong.status).toBe(403);
    expect(body(wrong.text).code).toBe("INSUFFICIENT_SCOPE");
    // A key reads, it never registers.
    expect((await postJson("/api/v1/agent/members", memberForm(), key)).status).toBe(403);
  });
});

describe("money", () => {
  it("pages through the commission ledger newest first, with the filter's totals", async () => {
    const first = await api.get(`/api/v1/agent/commissions?month=${MONTH.slice(0, 7)}&limit=2`, bearer.me);
    expect(first.status, first.text).toBe(200);
    const page1 = body(first.text);
    expect(page1.results.map((e: { amountMinor: number }) => e.amountMinor)).toEqual([3000, 2000]);
    expect(page1.totals).toEqual({ count: 3, amountMinor: 6000, currency: "MYR" });
    const page2 = body(
      (await api.get(`/api/v1/agent/commissions?month=${MONTH.slice(0, 7)}&limit=2&cursor=${page1.nextCursor}`, bearer.me)).text,
    );
    expect(page2.results.map((e: { amountMinor: number }) => e.amountMinor)).toEqual([1000]);
    expect(page2.nextCursor).toBeNull();
    const all = body((await api.get("/api/v1/agent/commissions", bearer.me)).text);
    expect(all.totals.amountMinor).toBe(6500);
    expect(all.results.map((e: { amountMinor: number }) => e.amountMinor)).not.toContain(987_654);
    expect((await api.get("/api/v1/agent/commissions?month=2026-13", bearer.me)).status).toBe(400);
  });

  it("lists the agent's own sales in a date range", async () => {
    const res = await api.get("/api/v1/agent/sales", bearer.me);
    expect(res.status, res.text).toBe(200);
    expect(body(res.text).results).toHaveLength(1);
    expect(body(res.text).results[0]).toMatchObject({ product: "Hibah Gold 270", firstPaymentMinor: 15_000, customer: "Nur Customer" });
    expect(body((await api.get("/api/v1/agent/sales?to=2020-01-31", bearer.me)).text).results).toEqual([]);
    const backwards = await api.get("/api/v1/agent/sales?from=2026-02-01&to=2026-01-01", bearer.me);
    expect(backwards.status).toBe(400);
    expect(body(backwards.text).errors.to).toBeDefined();
  });

  it("lists statements and gives one month's with a short-lived PDF link; another agent's month is 404", async () => {
    const list = body((await api.get("/api/v1/agent/statements", bearer.me)).text);
    expect(list.results.map((s: { month: string }) => s.month)).toEqual([PENDING.slice(0, 7), OLD.slice(0, 7)]);
    const ready = await api.get(`/api/v1/agent/statements/${OLD.slice(0, 7)}`, bearer.me);
    expect(ready.status, ready.text).toBe(200);
    const statement = body(ready.text).statement;
    expect(statement).toMatchObject({ earnedMinor: 12_345, payableMinor: 12_000, ready: true, currency: "MYR" });
    expect(new URL(statement.pdf.url).pathname).toMatch(/^\/files\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(Date.parse(statement.pdf.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
    expect(body((await api.get(`/api/v1/agent/statements/${PENDING.slice(0, 7)}`, bearer.me)).text).statement.pdf).toBeNull();
    const theirs = await api.get(`/api/v1/agent/statements/${addMonthsTo(MONTH, -4).slice(0, 7)}`, bearer.me);
    expect(theirs.status).toBe(404);
    expect((await api.get(`/api/v1/agent/statements/${OLD.slice(0, 7)}`, bearer.customer)).status).toBe(403);
  });
});
