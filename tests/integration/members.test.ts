import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { registerMember } from "~/modules/members/members.server";
import { memberSchema } from "~/modules/members/schemas";
import { createUser, latestMessage, ownerDb, tokenFrom } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, rolesOf, signIn, textOf } from "./accounts-support";
import { agentWithLogin, memberForm, memberRow, memberTenant, registerThroughPage } from "./members-support";

/**
 * Members (issue 5 §3): an agent registers a policyholder with a MyKad number that is format-checked,
 * unique per agency, encrypted with a blind index and shown masked everywhere; the member gets an
 * account (invited to set a password) or their existing account is linked; an agent sees only
 * their own members; only an active agent registers.
 */
describe("registering members", () => {
  it("checks the MyKad number's format on its field", async () => {
    const tenant = await memberTenant();
    const { browser } = await agentWithLogin(tenant);
    for (const [nric, message] of [
      ["85041210123", "A MyKad number has 12 digits"],
      ["851332-10-1234", "The first six digits of a MyKad number are a date of birth"],
      ["850412-00-1234", "not a valid place-of-birth code"],
    ] as const) {
      const res = await browser.post("/agent/members/new", memberForm({ nric }));
      expect(res.status).toBe(400);
      expect(textOf(res.text)).toContain(message);
    }
    const missing = await browser.post("/agent/members/new", memberForm({ race: "", emergencyContactPhone: "call me" }));
    expect(missing.status).toBe(400);
    expect(textOf(missing.text)).toContain("Choose the member's race");
    expect(textOf(missing.text)).toContain("Enter a phone number in digits");
    const count = await ownerDb().selectFrom("members").select("id").where("tenant_id", "=", tenant.id).execute();
    expect(count).toHaveLength(0);
  });

  it("creates the member's account, invites them, and stores the MyKad number encrypted and masked", async () => {
    const tenant = await memberTenant();
    const { agent, user: agentUser, browser } = await agentWithLogin(tenant);
    const form = memberForm({ nric: "880215-14-5678" });
    const memberId = await registerThroughPage(browser, form);

    const row = await memberRow(memberId);
    expect(row.agent_id).toBe(agent.id);
    expect(row.nric_masked).toBe("******-**-5678");
    // Ciphertext at rest: neither the digits nor their formatted form appear in it.
    expect(row.nric_ciphertext).not.toContain("880215145678");
    expect(row.nric_ciphertext).not.toContain("880215-14-5678");
    expect(row.nric_blind_index).toMatch(/^[0-9a-f]{64}$/);
    expect(row.race).toBe("malay");
    expect(row.relationship_with_agent).toBe("friend");
    expect(row.emergency_contact_name).toBe("Yusof bin Ali");

    const account = await ownerDb().selectFrom("users").selectAll().where("id", "=", row.user_id).executeTakeFirstOrThrow();
    expect(account.email).toBe(form.email);
    expect(account.phone).toBe(form.phone);
    expect(account.password_hash).toBeNull();
    expect(await rolesOf(tenant.id, row.user_id)).toEqual(["customer"]);
    expect(await auditRows(tenant.id, "member.registered", memberId)).toHaveLength(1);
    const timeline = await ownerDb().selectFrom("state_changes").selectAll().where("entity_id", "=", memberId).execute();
    expect(timeline.map((t) => [t.to_state, t.event, t.actor_user_id])).toEqual([["active", "register", agentUser.id]]);

    // The pages show the mask only, never the number.
    const page = await browser.get(`/agent/members/${memberId}?registered=invited`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("******-**-5678");
    expect(textOf(page.text)).toContain(`We emailed ${form.email} a link to set a password`);
    const list = await browser.get("/agent/members");
    expect(textOf(list.text)).toContain("******-**-5678");
    for (const html of [page.text, list.text]) {
      expect(html).not.toContain("880215");
      expect(html).not.toContain("145678");
    }

    // The invitation sets a password; the member then signs in and sees their (empty) policies.
    const message = await latestMessage(tenant.id, form.email, "member_invite");
    expect(message?.body_text).toContain("registered you as a member");
    const member = new Browser(tenant.host);
    const token = tokenFrom(message!.body_text);
    const set = await member.post("/reset-password", { token, password: "Member#2026pass", confirmPassword: "Member#2026pass" });
    expect(set.status).toBe(302);
    const signedIn = await signIn(tenant.host, form.email, "Member#2026pass");
    expect((await signedIn.get("/account/policies")).status).toBe(200);
  });

  it("refuses a MyKad number already registered in the agency, however it is typed, but not one from another agency", async () => {
    const tenant = await memberTenant();
    const { browser } = await agentWithLogin(tenant);
    await registerThroughPage(browser, memberForm({ nric: "900101-10-2468" }));

    const again = await browser.post("/agent/members/new", memberForm({ nric: "900101102468" }));
    expect(again.status).toBe(400);
    expect(textOf(again.text)).toContain("already registered");
    // Another agent of the same agency cannot register the same person either.
    const other = await agentWithLogin(tenant);
    const byOther = await other.browser.post("/agent/members/new", memberForm({ nric: "900101 10 2468" }));
    expect(byOther.status).toBe(400);
    expect(textOf(byOther.text)).toContain("already registered");
    const count = await ownerDb().selectFrom("members").select("id").where("tenant_id", "=", tenant.id).execute();
    expect(count).toHaveLength(1);

    // Another agency: a separate blind index (keyed per tenant), and the number is free there.
    const elsewhere = await memberTenant();
    const theirs = await agentWithLogin(elsewhere);
    const id = await registerThroughPage(theirs.browser, memberForm({ nric: "900101-10-2468" }));
    const mine = await ownerDb()
      .selectFrom("members")
      .select("nric_blind_index")
      .where("tenant_id", "=", tenant.id)
      .executeTakeFirstOrThrow();
    expect((await memberRow(id)).nric_blind_index).not.toBe(mine.nric_blind_index);
  });

  it("links an existing account (saying so), and refuses someone who is already a member", async () => {
    const tenant = await memberTenant();
    const { browser } = await agentWithLogin(tenant);
    const existing = await createUser(tenant.id, { roles: ["customer"] });
    const before = await ownerDb().selectFrom("users").select("password_hash").where("id", "=", existing.id).executeTakeFirstOrThrow();

    const res = await browser.post("/agent/members/new", memberForm({ email: existing.email.toUpperCase() }));
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/\?registered=linked$/);
    const memberId = /members\/([0-9a-f-]{36})/.exec(res.location!)![1]!;
    expect((await memberRow(memberId)).user_id).toBe(existing.id);
    const after = await ownerDb().selectFrom("users").select("password_hash").where("id", "=", existing.id).executeTakeFirstOrThrow();
    expect(after.password_hash).toBe(before.password_hash);
    expect(await latestMessage(tenant.id, existing.email, "member_invite")).toBeUndefined();
    const told = await latestMessage(tenant.id, existing.email, "member_linked");
    expect(told?.body_text).toContain("has registered you as their member");
    const page = await browser.get(res.location!);
    expect(textOf(page.text)).toContain("already had an account with this agency");

    const twice = await browser.post("/agent/members/new", memberForm({ email: existing.email }));
    expect(twice.status).toBe(400);
    expect(textOf(twice.text)).toContain("already one of your members");
    const other = await agentWithLogin(tenant);
    const byOther = await other.browser.post("/agent/members/new", memberForm({ email: existing.email }));
    expect(textOf(byOther.text)).toContain("already registered as a member of another agent");
  });

  it("edits a member's details but never their MyKad number", async () => {
    const tenant = await memberTenant();
    const { browser } = await agentWithLogin(tenant);
    const memberId = await registerThroughPage(browser, memberForm({ nric: "750630-08-1357" }));
    const before = await memberRow(memberId);
    const res = await browser.post(`/agent/members/${memberId}`, {
      intent: "update",
      name: "Aminah binti Yusof Ahmad",
      phone: "+60 19-876 5432",
      race: "other",
      relationshipWithAgent: "colleague",
      emergencyContactName: "Ahmad bin Yusof",
      emergencyContactPhone: "+60 13-444 5555",
      emergencyContactRelationship: "sibling",
      nric: "750630-08-9999",
    });
    expect(res.status).toBe(302);
    const after = await memberRow(memberId);
    expect(after.name).toBe("Aminah binti Yusof Ahmad");
    expect(after.race).toBe("other");
    expect(after.emergency_contact_relationship).toBe("sibling");
    expect(after.nric_ciphertext).toBe(before.nric_ciphertext);
    expect(after.nric_masked).toBe("******-**-1357");
    const account = await ownerDb().selectFrom("users").select("phone").where("id", "=", after.user_id).executeTakeFirstOrThrow();
    expect(account.phone).toBe("+60 19-876 5432");
    expect(await auditRows(tenant.id, "member.updated", memberId)).toHaveLength(1);

    const bad = await browser.post(`/agent/members/${memberId}`, { intent: "update", name: "" });
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("Enter the member's full name");
  });

  it("shows an agent only their own members: another agent's member is not found", async () => {
    const tenant = await memberTenant();
    const a = await agentWithLogin(tenant);
    const b = await agentWithLogin(tenant);
    const memberOfA = await registerThroughPage(a.browser, memberForm({ name: "Member Of Agent A" }));

    expect((await b.browser.get(`/agent/members/${memberOfA}`)).status).toBe(404);
    expect((await b.browser.get(`/agent/members/${memberOfA}/sell`)).status).toBe(404);
    const edit = await b.browser.post(`/agent/members/${memberOfA}`, { ...memberForm(), intent: "update" });
    expect(edit.status).toBe(404);
    expect((await memberRow(memberOfA)).name).toBe("Member Of Agent A");
    expect(textOf((await b.browser.get("/agent/members")).text)).not.toContain("Member Of Agent A");
    expect(textOf((await a.browser.get("/agent/members")).text)).toContain("Member Of Agent A");
    // A malformed id answers as a missing one.
    expect((await a.browser.get("/agent/members/not-a-uuid")).status).toBe(404);

    // Another agency's agent, with the same id in the URL: not found either.
    const elsewhere = await memberTenant();
    const c = await agentWithLogin(elsewhere);
    expect((await c.browser.get(`/agent/members/${memberOfA}`)).status).toBe(404);
  });

  it("lists members 25 a page and searches them by name, email and full MyKad number", async () => {
    const tenant = await memberTenant();
    const { agent, user, browser } = await agentWithLogin(tenant);
    const forms = Array.from({ length: 26 }, (_, i) => memberForm({ name: `Listed Member ${String(i).padStart(2, "0")}` }));
    // One transaction each: registered one after another, as an agent would (the list is newest first).
    for (const form of forms) {
      const value = memberSchema.parse(form);
      const done = await withTenant(tenant.id, (db) =>
        registerMember(db, tenant, { id: agent.id, userId: user.id, name: "Agent" }, value, { origin: "http://x", ip: null }),
      );
      if (!done.ok) throw new Error(JSON.stringify(done.errors));
    }
    const first = textOf((await browser.get("/agent/members")).text);
    expect(first).toContain("26 in all");
    expect(first.match(/Listed Member \d\d/g)).toHaveLength(25);
    expect(first).toContain("Next");
    const second = textOf((await browser.get("/agent/members?page=2")).text);
    expect(second.match(/Listed Member \d\d/g)).toEqual(["Listed Member 00"]);

    const byName = textOf((await browser.get("/agent/members?q=member+07")).text);
    expect(byName.match(/Listed Member \d\d/g)).toEqual(["Listed Member 07"]);
    const byEmail = textOf((await browser.get(`/agent/members?q=${encodeURIComponent(forms[3]!.email)}`)).text);
    expect(byEmail.match(/Listed Member \d\d/g)).toEqual(["Listed Member 03"]);
    const nric = forms[12]!.nric.replace(/-/g, "");
    const byNric = textOf((await browser.get(`/agent/members?q=${nric}`)).text);
    expect(byNric.match(/Listed Member \d\d/g)).toEqual(["Listed Member 12"]);
    const none = textOf((await browser.get("/agent/members?q=nobody-like-this")).text);
    expect(none).toContain("No member matches");
  });

  it("lets only an active agent register: a pending or suspended agent sees why, and a customer is refused", async () => {
    const tenant = await memberTenant();
    for (const status of ["pending", "suspended"] as const) {
      const { browser } = await agentWithLogin(tenant, status);
      const page = await browser.get("/agent/members/new");
      expect(page.status).toBe(200);
      expect(textOf(page.text)).toContain("You cannot register members now");
      expect(page.text).not.toContain('name="nric"');
      const post = await browser.post("/agent/members/new", memberForm());
      expect(post.status).toBe(403);
    }
    const count = await ownerDb().selectFrom("members").select("id").where("tenant_id", "=", tenant.id).execute();
    expect(count).toHaveLength(0);

    const customer = await createUser(tenant.id, { roles: ["customer"] });
    const asCustomer = await signIn(tenant.host, customer.email);
    expect((await asCustomer.get("/agent/members")).status).toBe(403);
    expect((await asCustomer.post("/agent/members/new", memberForm())).status).toBe(403);
  });
});
