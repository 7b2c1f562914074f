import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { decryptBankAccount } from "~/modules/network/agents.server";
import { PHONE_CODE_ATTEMPTS } from "~/modules/auth/phone-codes.server";
import { sendPhoneCode, verifyPhoneCode } from "~/modules/network/phone.server";
import { createTenant, createUser, ownerDb, uniqueSlug } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, hostOf, messagesTo, rolesOf, signIn, textOf } from "./accounts-support";
import { addAgent, addChain, agentNetworkTenant, expectClosureMatchesSponsors } from "./network-support";

/** Agents over HTTP: joining by referral code, the admin's status and sponsor changes, the agent's own profile. */
const PASSWORD = "Selangor#2026";
let tenant: { id: string; slug: string; name: string };
let admin: { id: string; email: string };
let staff: { id: string; email: string };
let sponsor: Awaited<ReturnType<typeof addAgent>>;

beforeAll(async () => {
  tenant = await agentNetworkTenant();
  [admin, staff] = await Promise.all([createUser(tenant.id, { roles: ["admin"] }), createUser(tenant.id, { roles: ["staff"] })]);
  sponsor = await addAgent(tenant.id, { name: "Aminah binti Yusof" });
});

const agentRow = (id: string) => ownerDb().selectFrom("agents").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const stateChanges = (id: string) =>
  ownerDb()
    .selectFrom("state_changes")
    .selectAll()
    .where("entity", "=", "agent")
    .where("entity_id", "=", id)
    .orderBy("created_at")
    .execute();

function joinForm(email: string, overrides: Record<string, string> = {}) {
  return {
    name: "Farid bin Ismail",
    email,
    phone: "+60 12-345 6789",
    password: PASSWORD,
    confirmPassword: PASSWORD,
    acceptTerms: "on",
    ...overrides,
  };
}

/** Someone joins under `code` through the real form; answers their browser and agent. */
async function join(code: string) {
  const browser = new Browser(hostOf(tenant));
  const email = `${uniqueSlug("join")}@example.com`;
  const res = await browser.post(`/join/${code}`, joinForm(email));
  expect(res.status, textOf(res.text).slice(0, 300)).toBe(200);
  expect(textOf(res.text)).toContain("Check your email");
  // The answer signs no one in (it is the same for an address that already has an account): the new agent signs in.
  expect(browser.cookies.has("covera_session")).toBe(false);
  const signedIn = await browser.post("/login", { email, password: PASSWORD, redirectTo: "/agent/profile?joined=1" });
  expect(signedIn.status).toBe(302);
  const user = await ownerDb()
    .selectFrom("users")
    .select("id")
    .where("tenant_id", "=", tenant.id)
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
  const agent = await ownerDb()
    .selectFrom("agents")
    .selectAll()
    .where("tenant_id", "=", tenant.id)
    .where("user_id", "=", user.id)
    .executeTakeFirstOrThrow();
  return { browser, email, res: signedIn, user, agent };
}

describe("joining through a referral code", () => {
  it("shows the sponsor and creates a pending agent under them, with an agent account", async () => {
    const page = await new Browser(hostOf(tenant)).get(`/join/${sponsor.referralCode}`);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toMatch(new RegExp(`Your sponsor: Aminah ?, agent ${sponsor.agentNumber}`));
    expect(text).not.toContain("Yusof");

    const { browser, email, res, user, agent } = await join(sponsor.referralCode);
    expect(res.location).toBe("/agent/profile?joined=1");
    expect(agent).toMatchObject({ sponsor_id: sponsor.id, status: "pending", phone: "+60123456789", approved_at: null });
    expect(agent.agent_number).toMatch(/^\d{5,6}$/);
    expect(await rolesOf(tenant.id, user.id)).toEqual(["agent"]);
    expect(await ownerDb().selectFrom("agent_uplines").select(["upline_id", "depth"]).where("agent_id", "=", agent.id).execute()).toEqual([
      { upline_id: sponsor.id, depth: 1 },
    ]);
    expect((await stateChanges(agent.id)).map((s) => [s.from_state, s.to_state, s.event])).toEqual([[null, "pending", "create"]]);
    expect(await auditRows(tenant.id, "agent.joined", agent.id)).toHaveLength(1);
    expect((await messagesTo(tenant.id, email)).map((m) => m.template)).toContain("verify_email");

    const profile = textOf((await browser.get("/agent/profile?joined=1")).text);
    expect(profile).toContain("Your application is waiting for the agency's approval");
    expect(profile).toContain(agent.referral_code);
    expect(profile).toContain("Not confirmed");
  });

  it("answers a known address exactly as a new one, makes no agent of it, and tells its owner by email", async () => {
    const customer = await createUser(tenant.id, { name: "Existing Customer" });
    const fresh = await new Browser(hostOf(tenant)).post(`/join/${sponsor.referralCode}`, joinForm(`${uniqueSlug("j")}@example.com`));
    const known = await new Browser(hostOf(tenant)).post(`/join/${sponsor.referralCode}`, joinForm(customer.email));
    expect(known.status).toBe(200);
    expect(known.headers["set-cookie"]).toBeUndefined();
    const strip = (text: string) => textOf(text).replace(/We sent a message to \S+\./, "");
    expect(strip(known.text)).toBe(strip(fresh.text));
    expect(await rolesOf(tenant.id, customer.id)).toEqual(["customer"]);
    expect(
      await ownerDb().selectFrom("agents").select("id").where("tenant_id", "=", tenant.id).where("user_id", "=", customer.id).execute(),
    ).toEqual([]);
    expect((await messagesTo(tenant.id, customer.email)).map((m) => m.template)).toEqual(["account_exists"]);
  });

  it("normalises a typed code and shows field errors", async () => {
    const typed = await new Browser(hostOf(tenant)).get(
      `/join?code=${sponsor.referralCode.toLowerCase().slice(0, 4)}-${sponsor.referralCode.slice(4).toLowerCase()}`,
    );
    expect(typed.status).toBe(302);
    expect(typed.location).toBe(`/join/${sponsor.referralCode}`);
    expect((await new Browser(hostOf(tenant)).get(`/join/${sponsor.referralCode.toLowerCase()}`)).location).toBe(
      `/join/${sponsor.referralCode}`,
    );
    const bad = await new Browser(hostOf(tenant)).get("/join?code=no!");
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("A referral code has 6 to 12 letters and digits");

    const res = await new Browser(hostOf(tenant)).post(
      `/join/${sponsor.referralCode}`,
      joinForm("not-an-email", { phone: "12", password: "short" }),
    );
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain("Enter a valid email");
    expect(text).toContain("Enter a phone number in digits");
    expect(text).toContain("Use at least 8 characters");
  });

  it("answers 404 with a clear page for an unknown or inactive code, and where there is no network", async () => {
    const unknown = await new Browser(hostOf(tenant)).get("/join/ZZZZ2345");
    expect(unknown.status).toBe(404);
    expect(textOf(unknown.text)).toContain("This referral link does not work");
    const pending = await addAgent(tenant.id, { status: "pending" });
    expect((await new Browser(hostOf(tenant)).get(`/join/${pending.referralCode}`)).status).toBe(404);
    const suspended = await addAgent(tenant.id, { status: "suspended" });
    expect((await new Browser(hostOf(tenant)).get(`/join/${suspended.referralCode}`)).status).toBe(404);
    const post = await new Browser(hostOf(tenant)).post(`/join/${suspended.referralCode}`, joinForm(`${uniqueSlug("j")}@example.com`));
    expect(post.status).toBe(404);
    expect(textOf(post.text)).toContain("This referral link does not work");
    expect(
      await ownerDb().selectFrom("agents").select("id").where("tenant_id", "=", tenant.id).where("sponsor_id", "=", suspended.id).execute(),
    ).toEqual([]);

    const plain = await createTenant();
    const code = sponsor.referralCode;
    expect((await new Browser(hostOf(plain)).get(`/join/${code}`)).status).toBe(404);
    expect((await new Browser(hostOf(plain)).get("/join")).status).toBe(404);
    // Another agency's code means nothing here.
    const other = await agentNetworkTenant();
    expect((await new Browser(hostOf(other)).get(`/join/${code}`)).status).toBe(404);
  });
});

describe("admin: agent statuses", () => {
  it("approves a pending agent over HTTP: status, approved_at, timeline, audit and an email", async () => {
    const { agent, email } = await join(sponsor.referralCode);
    const browser = await signIn(hostOf(tenant), admin.email);
    const list = textOf((await browser.get("/admin/agents?status=pending")).text);
    expect(list).toContain("Farid bin Ismail");
    expect(list).toContain("Pending approval");

    const res = await browser.post(`/admin/agents/${agent.id}`, { event: "approve" });
    expect(res.status).toBe(302);
    const row = await agentRow(agent.id);
    expect(row.status).toBe("active");
    expect(row.approved_at).toBeInstanceOf(Date);
    expect((await stateChanges(agent.id)).map((s) => [s.from_state, s.to_state, s.event, s.actor_user_id])).toEqual([
      [null, "pending", "create", expect.any(String)],
      ["pending", "active", "approve", admin.id],
    ]);
    expect(await auditRows(tenant.id, "agent.approve", agent.id)).toHaveLength(1);
    expect((await messagesTo(tenant.id, email)).map((m) => m.template)).toContain("agent_approve");
    const page = textOf((await browser.get(`/admin/agents/${agent.id}`)).text);
    expect(page).toContain("pending → active");

    // Approving twice is refused by the machine.
    const again = await browser.post(`/admin/agents/${agent.id}`, { event: "approve" });
    expect(again.status).toBe(409);
    expect(textOf(again.text)).toContain("An agent who is active cannot be approved");
  });

  it("needs a reason to reject, suspend or terminate, and tells the agent", async () => {
    const { agent, email } = await join(sponsor.referralCode);
    const browser = await signIn(hostOf(tenant), admin.email);
    const blank = await browser.post(`/admin/agents/${agent.id}`, { event: "reject", reason: "  " });
    expect(blank.status).toBe(400);
    expect(textOf(blank.text)).toContain("Rejecting an agent needs a reason");
    expect((await agentRow(agent.id)).status).toBe("pending");

    const res = await browser.post(`/admin/agents/${agent.id}`, { event: "reject", reason: "Incomplete documents" });
    expect(res.status).toBe(302);
    expect(await agentRow(agent.id)).toMatchObject({ status: "rejected", status_reason: "Incomplete documents" });
    const mail = (await messagesTo(tenant.id, email)).find((m) => m.template === "agent_reject");
    expect(mail?.body_text).toContain("Incomplete documents");

    const active = await addAgent(tenant.id);
    expect((await browser.post(`/admin/agents/${active.id}`, { event: "suspend" })).status).toBe(400);
    expect((await browser.post(`/admin/agents/${active.id}`, { event: "suspend", reason: "Complaint under review" })).status).toBe(302);
    expect((await browser.post(`/admin/agents/${active.id}`, { event: "reinstate" })).status).toBe(302);
    expect((await browser.post(`/admin/agents/${active.id}`, { event: "terminate", reason: "Left the agency" })).status).toBe(302);
    expect((await stateChanges(active.id)).map((s) => s.to_state)).toEqual(["pending", "active", "suspended", "active", "terminated"]);
  });

  it("lets staff look but not change; an agent cannot open the back office", async () => {
    const target = await addAgent(tenant.id, { status: "pending" });
    const staffBrowser = await signIn(hostOf(tenant), staff.email);
    expect((await staffBrowser.get("/admin/agents")).status).toBe(200);
    expect((await staffBrowser.get(`/admin/agents/${target.id}`)).status).toBe(200);
    expect((await staffBrowser.post(`/admin/agents/${target.id}`, { event: "approve" })).status).toBe(403);
    expect((await staffBrowser.get("/admin/agents/new")).status).toBe(403);
    expect((await staffBrowser.get("/admin/agents/settings")).status).toBe(403);
    expect((await agentRow(target.id)).status).toBe("pending");

    const agentBrowser = await signIn(hostOf(tenant), sponsor.email);
    for (const path of ["/admin/agents", `/admin/agents/${target.id}`, "/admin/agents/network", "/admin/agents/settings"]) {
      expect((await agentBrowser.get(path)).status, path).toBe(403);
    }
    expect((await agentBrowser.post(`/admin/agents/${target.id}`, { event: "approve" })).status).toBe(403);
  });

  it("answers 404 for another tenant's agent, exactly like a missing one", async () => {
    const other = await agentNetworkTenant();
    const foreign = await addAgent(other.id, { status: "pending" });
    const browser = await signIn(hostOf(tenant), admin.email);
    expect((await browser.get(`/admin/agents/${foreign.id}`)).status).toBe(404);
    expect((await browser.post(`/admin/agents/${foreign.id}`, { event: "approve" })).status).toBe(404);
    expect((await browser.post(`/admin/agents/${foreign.id}`, { intent: "move", reason: "x" })).status).toBe(404);
    expect((await browser.get(`/admin/agents/network?under=${foreign.id}`)).status).toBe(404);
    expect((await browser.get("/admin/agents/not-a-uuid")).status).toBe(404);
    expect((await agentRow(foreign.id)).status).toBe("pending");
    const list = textOf((await browser.get(`/admin/agents?q=${foreign.agentNumber}`)).text);
    expect(list).not.toContain(foreign.referralCode);
  });

  it("is not there for an agency without the network", async () => {
    const plain = await createTenant();
    const plainAdmin = await createUser(plain.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(plain), plainAdmin.email);
    expect((await browser.get("/admin/agents")).status).toBe(404);
  });
});

describe("admin: the tree", () => {
  it("moves an agent to another sponsor by number, and refuses a loop with the reason", async () => {
    const t = tenant;
    const [top, mid, low] = await addChain(t.id, 3);
    const other = await addAgent(t.id);
    const browser = await signIn(hostOf(t), admin.email);

    const loop = await browser.post(`/admin/agents/${top!.id}`, { intent: "move", sponsorNumber: low!.agentNumber, reason: "Try" });
    expect(loop.status).toBe(400);
    expect(textOf(loop.text)).toContain("The new sponsor is in this agent's own downline: the move would create a loop");
    const missing = await browser.post(`/admin/agents/${mid!.id}`, { intent: "move", sponsorNumber: "999998", reason: "Try" });
    expect(textOf(missing.text)).toContain("There is no agent number 999998");
    const noReason = await browser.post(`/admin/agents/${mid!.id}`, { intent: "move", sponsorNumber: other.agentNumber, reason: "" });
    expect(noReason.status).toBe(400);

    const ok = await browser.post(`/admin/agents/${mid!.id}`, {
      intent: "move",
      sponsorNumber: other.agentNumber,
      reason: "Regional team",
    });
    expect(ok.status).toBe(302);
    expect((await agentRow(mid!.id)).sponsor_id).toBe(other.id);
    await expectClosureMatchesSponsors(t.id);
    const page = textOf((await browser.get(`/admin/agents/${mid!.id}`)).text);
    expect(page).toContain("Regional team");
    expect(page).toMatch(new RegExp(`Moved from Chain 0 \\(${top!.agentNumber}\\) to Test Agent \\(${other.agentNumber}\\)`));
    expect(await auditRows(t.id, "agent.moved", mid!.id)).toHaveLength(1);

    // The network view: the new sponsor's recruits, one level at a time.
    const view = textOf((await browser.get(`/admin/agents/network?under=${other.id}`)).text);
    expect(view).toContain("Chain 1");
    expect(view).not.toContain("Chain 2 (");
    expect(textOf((await browser.get("/admin/agents/network")).text)).toContain("at the top of the network");
  });

  it("adds an agent: a new person is invited, an existing customer gains the agent role", async () => {
    const browser = await signIn(hostOf(tenant), admin.email);
    const email = `${uniqueSlug("new")}@example.com`;
    const nameless = await browser.post("/admin/agents/new", { email, sponsorNumber: sponsor.agentNumber, approve: "on" });
    expect(nameless.status).toBe(400);
    expect(textOf(nameless.text)).toContain("Enter the new agent's full name");

    const res = await browser.post("/admin/agents/new", {
      email,
      name: "Lim Chee Keong",
      sponsorNumber: sponsor.agentNumber,
      approve: "on",
    });
    expect(res.status).toBe(302);
    const agentId = res.location!.match(/\/admin\/agents\/([0-9a-f-]{36})/)![1]!;
    expect(await agentRow(agentId)).toMatchObject({ status: "active", sponsor_id: sponsor.id });
    expect((await messagesTo(tenant.id, email)).map((m) => m.template).sort()).toEqual(["agent_approve", "invite"]);

    const customer = await createUser(tenant.id, { roles: ["customer"] });
    const existing = await browser.post("/admin/agents/new", { email: customer.email });
    expect(existing.status).toBe(302);
    expect(await rolesOf(tenant.id, customer.id)).toEqual(["agent", "customer"]);
    const again = await browser.post("/admin/agents/new", { email: customer.email });
    expect(textOf(again.text)).toContain("This person is already an agent");
  });

  it("searches by number and code, pending first, 25 a page", async () => {
    for (let i = 0; i < 26; i++) await addAgent(tenant.id, { name: `Filler ${i}` });
    const browser = await signIn(hostOf(tenant), admin.email);
    const byNumber = textOf((await browser.get(`/admin/agents?q=${sponsor.agentNumber}`)).text);
    expect(byNumber).toContain("Aminah binti Yusof");
    expect(byNumber).toContain("1 agent matches these filters");
    const byCode = textOf((await browser.get(`/admin/agents?q=${sponsor.referralCode.toLowerCase()}`)).text);
    expect(byCode).toContain("Aminah binti Yusof");
    const all = await browser.get("/admin/agents");
    expect(all.text).toContain('rel="next"');
    const firstRow = textOf(all.text.split("<tbody>")[1]!.split("</tr>")[0]!);
    expect(firstRow).toContain("Pending approval");
  });
});

describe("network settings", () => {
  it("shows the defaults, refuses bad values and saves", async () => {
    const t = await agentNetworkTenant();
    const a = await createUser(t.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(t), a.email);
    const page = await browser.get("/admin/agents/settings");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/value="10"/);
    const bad = await browser.post("/admin/agents/settings", { tiers: "11", unqualifiedShare: "keep", closeDay: "31" });
    expect(bad.status).toBe(400);
    const text = textOf(bad.text);
    expect(text).toContain("At most 10 tiers");
    expect(text).toContain("A day from 1 to 28");
    const ok = await browser.post("/admin/agents/settings", { tiers: "5", unqualifiedShare: "pass_up", closeDay: "3" });
    expect(ok.status).toBe(302);
    expect(await ownerDb().selectFrom("network_settings").selectAll().where("tenant_id", "=", t.id).executeTakeFirst()).toMatchObject({
      tiers: 5,
      unqualified_share: "pass_up",
      close_day: 3,
      auto_close: false,
    });
  });

  it("saves compress and shows who earns each tier of the worked example under all three ways", async () => {
    const t = await agentNetworkTenant();
    const a = await createUser(t.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(t), a.email);
    const ok = await browser.post("/admin/agents/settings", { tiers: "10", unqualifiedShare: "compress", closeDay: "1" });
    expect(ok.status).toBe(302);
    expect(
      await ownerDb().selectFrom("network_settings").select("unqualified_share").where("tenant_id", "=", t.id).executeTakeFirst(),
    ).toEqual({
      unqualified_share: "compress",
    });
    const page = await browser.get("/admin/agents/settings");
    expect(page.text).toMatch(/id="share-compress"[^>]*checked|checked[^>]*id="share-compress"/);
    const table = page.text.split('id="share-preview-title"')[1]!.split("</table>")[0]!;
    expect(textOf(table.split("</thead>")[0]!)).toContain("Tier Skip Pass up Compress (saved)");
    const rows = table.split("<tr>").map((r) => textOf(r).trim());
    const row = (tier: number) => rows.find((r) => r.startsWith(`Tier ${tier} (`));
    // A8 (tier 3's place) is suspended: skipped, passed up to A7, or the chain closes up.
    expect(row(2)).toMatch(/^Tier 2 \(9%\) A9 earns .+ A9 earns .+ A9 earns [^(]+$/);
    expect(row(3)).toMatch(/^Tier 3 \(8%\) Nobody A7 earns .+ \(moved past A8\) A7 earns .+ \(moved past A8\)$/);
    expect(row(4)).toMatch(/^Tier 4 \(7%\) A7 earns .+ A7 earns .+ A6 earns .+ \(moved past A8\)$/);
    expect(row(10)).toMatch(/^Tier 10 \(1%\) A1 earns .+ A1 earns .+ Nobody$/);
  });
});

describe("the agent's own profile", () => {
  it("stores the bank account encrypted and only ever shows it masked", async () => {
    const me = await addAgent(tenant.id);
    const browser = await signIn(hostOf(tenant), me.email);
    const bad = await browser.post("/agent/profile", { intent: "bank", bankName: "Maybank", accountNumber: "12ab", accountHolder: "X" });
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("A bank account number has only digits");

    const res = await browser.post("/agent/profile", {
      intent: "bank",
      bankName: "Maybank",
      accountNumber: "5140 1234 5678",
      accountHolder: "TEST AGENT",
    });
    expect(res.status).toBe(302);
    const row = await agentRow(me.id);
    expect(row.bank_account_ciphertext).toMatch(/^v1\./);
    expect(row.bank_account_ciphertext).not.toContain("514012345678");
    expect(row.bank_account_blind_index).toMatch(/^[0-9a-f]{64}$/);
    expect(row.bank_account_masked).toBe("•••• 5678");
    expect(decryptBankAccount(tenant.id, row.bank_account_ciphertext!)).toBe("514012345678");

    const own = await browser.get("/agent/profile");
    expect(own.text).toContain("•••• 5678");
    expect(own.text).not.toContain("514012345678");
    const adminPage = await (await signIn(hostOf(tenant), admin.email)).get(`/admin/agents/${me.id}`);
    expect(adminPage.text).toContain("•••• 5678");
    expect(adminPage.text).not.toContain("514012345678");
    const audit = await auditRows(tenant.id, "agent.bank_updated", me.id);
    expect(JSON.stringify(audit)).not.toContain("514012345678");
  });

  it("confirms the phone with an SMS code; a wrong code counts", async () => {
    const me = await addAgent(tenant.id);
    const browser = await signIn(hostOf(tenant), me.email);
    const phone = `+6019${String(Date.now()).slice(-7)}`;
    expect((await browser.post("/agent/profile", { intent: "send-code", phone })).status).toBe(302);
    const sms = (await messagesTo(tenant.id, phone)).at(-1)!;
    expect(sms).toMatchObject({ channel: "sms", template: "phone_code", status: "outbox" });
    const code = sms.body_text.match(/\b(\d{6})\b/)![1]!;
    const stored = await ownerDb().selectFrom("phone_verifications").selectAll().where("agent_id", "=", me.id).executeTakeFirstOrThrow();
    expect(stored.code_hash).not.toContain(code);

    expect(textOf((await browser.get("/agent/profile")).text)).toContain(`Code sent to ${phone}`);
    const again = await browser.post("/agent/profile", { intent: "send-code", phone });
    expect(again.status).toBe(429);
    expect(textOf(again.text)).toContain("less than a minute ago");

    const wrong = await browser.post("/agent/profile", { intent: "verify-code", code: code === "000000" ? "111111" : "000000" });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.text)).toContain(`${PHONE_CODE_ATTEMPTS - 1} tries left`);
    expect(
      (await ownerDb().selectFrom("phone_verifications").select("attempts").where("id", "=", stored.id).executeTakeFirstOrThrow()).attempts,
    ).toBe(1);
    expect((await agentRow(me.id)).phone_verified_at).toBeNull();

    expect((await browser.post("/agent/profile", { intent: "verify-code", code })).status).toBe(302);
    const row = await agentRow(me.id);
    expect(row.phone).toBe(phone);
    expect(row.phone_verified_at).toBeInstanceOf(Date);
    expect(await auditRows(tenant.id, "agent.phone_verified", me.id)).toHaveLength(1);
  });

  it("expires codes after 10 minutes, locks one after 5 wrong tries, limits resends", async () => {
    const me = await addAgent(tenant.id);
    const t0 = new Date();
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const send = (now: Date) =>
      withTenant(tenant.id, (db) => sendPhoneCode(db, tenant, { agentId: me.id, phone: "+60111111111" }, {}, now));
    const verify = (code: string, now: Date) => withTenant(tenant.id, (db) => verifyPhoneCode(db, { agentId: me.id, code }, {}, now));
    const lastCode = async () => (await messagesTo(tenant.id, "+60111111111")).at(-1)!.body_text.slice(0, 6);

    expect(await send(t0)).toEqual({ ok: true });
    const first = await lastCode();
    expect(await verify(first, at(10.5))).toEqual({ ok: false, errors: { code: ["This code has expired. Ask for a new one."] } });

    expect((await send(at(0.5))).ok).toBe(false); // within the minute
    expect(await send(at(11))).toEqual({ ok: true });
    const second = await lastCode();
    const wrong = second === "000000" ? "999999" : "000000";
    for (let i = 0; i < PHONE_CODE_ATTEMPTS; i++) expect((await verify(wrong, at(12))).ok).toBe(false);
    expect(await verify(second, at(12))).toEqual({
      ok: false,
      errors: { code: ["Too many wrong tries for this code. Ask for a new one."] },
    });
    expect((await agentRow(me.id)).phone_verified_at).toBeNull();

    for (const minute of [13, 15, 17]) expect((await send(at(minute))).ok).toBe(true);
    // Five codes in the hour: the sixth waits.
    const sixth = await send(at(19));
    expect(sixth).toEqual({ ok: false, errors: { phone: ["Too many codes asked for in the last hour. Try again later."] } });
    const last = await lastCode();
    expect(await verify(last, at(18))).toEqual({ ok: true });
    expect((await agentRow(me.id)).phone_verified_at).toBeInstanceOf(Date);
  });
});
