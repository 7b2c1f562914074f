import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { createTenant, createUser, eventually, latestMessage, ownerDb, tokenFrom, uniqueSlug } from "../support/db";
import { Browser } from "../support/http";
import { controlTag, decode, expectFieldError, operatorBrowser, port, rowWith } from "./console-helpers";

let operator: Browser;
beforeAll(async () => {
  operator = await operatorBrowser();
});

async function userCount(slug: string): Promise<number> {
  const row = await ownerDb()
    .selectFrom("users")
    .innerJoin("tenants", "tenants.id", "users.tenant_id")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("tenants.slug", "=", slug)
    .executeTakeFirstOrThrow();
  return row.n;
}

const validOnboarding = () => ({
  slug: uniqueSlug("ob"),
  name: "Harbour Cover",
  currency: "UGX",
  locale: "en-KE",
  timeZone: "Africa/Kampala",
  marketplace: "on",
  adminName: "Grace Admin",
  adminEmail: `${uniqueSlug("admin")}@example.com`,
});

const brandingFields = (overrides: Record<string, string> = {}) => ({
  intent: "branding",
  name: "Renamed Agency",
  tagline: "Cover for the whole family",
  logoUrl: "",
  primary: "#a1b2c3",
  primaryContrast: "#ffffff",
  accent: "#d4e5f6",
  surface: "#fafafa",
  text: "#111111",
  contactEmail: "help@renamed.example",
  contactPhone: "+254 700 000 000",
  contactAddress: "1 Harbour Road",
  ...overrides,
});

describe("agencies list", () => {
  it("lists both seeded agencies with their addresses and user counts", async () => {
    const before = { bowman: await userCount("bowman"), kh: await userCount("khholdings") };
    const res = await operator.get("/console");
    const after = { bowman: await userCount("bowman"), kh: await userCount("khholdings") };
    expect(res.status).toBe(200);
    const tenants = await ownerDb().selectFrom("tenants").select(["id", "slug"]).where("slug", "in", ["bowman", "khholdings"]).execute();
    for (const t of tenants) {
      const row = rowWith(res.text, `/console/tenants/${t.id}"`);
      expect(row).toContain(`http://${t.slug}.localhost:${port()}`);
      expect(row).toContain("badge-active");
      const users = Number(row.match(/data-label="Users"[^>]*>(\d+)</)?.[1]);
      const [lo, hi] = t.slug === "bowman" ? [before.bowman, after.bowman] : [before.kh, after.kh];
      // Other test files may add users meanwhile: the count is between the two reads.
      expect(users).toBeGreaterThanOrEqual(lo);
      expect(users).toBeLessThanOrEqual(hi);
      expect(users).toBeGreaterThan(0);
    }
    const bowmanRow = rowWith(res.text, `/console/tenants/${tenants.find((t) => t.slug === "bowman")!.id}"`);
    expect(bowmanRow).toContain("Bowman Insurance");
    expect(bowmanRow).toContain("KES");
    expect(bowmanRow).toContain("Africa/Nairobi");
    expect(res.text).toContain("KHHoldings");
    expect(res.text).toContain('href="/console/tenants/new"');
  });
});

describe("onboarding", () => {
  it("shows the form with the storefront address preview", async () => {
    const res = await operator.get("/console/tenants/new");
    expect(res.status).toBe(200);
    expect(res.text).toContain(`.localhost:${port()}`);
    expect(controlTag(res.text, "marketplace")).toContain("checked");
    expect(controlTag(res.text, "agentNetwork")).not.toContain("checked");
    expect(res.text).toMatch(/<option value="KES" selected/);
  });

  it("puts each problem on its field, and keeps what was typed", async () => {
    const badSlug = await operator.post("/console/tenants/new", { ...validOnboarding(), slug: "Bad Slug!", name: "Kept Name" });
    expectFieldError(badSlug, "slug", "lowercase letters");
    expect(controlTag(badSlug.text, "name")).toContain('value="Kept Name"');
    expect(controlTag(badSlug.text, "marketplace")).toContain("checked");

    expectFieldError(await operator.post("/console/tenants/new", { ...validOnboarding(), slug: "console" }), "slug", "reserved");
    expectFieldError(await operator.post("/console/tenants/new", { ...validOnboarding(), slug: "bowman" }), "slug", "already uses");
    expectFieldError(
      await operator.post("/console/tenants/new", { ...validOnboarding(), adminEmail: "not-an-email" }),
      "adminEmail",
      "valid email",
    );
    expectFieldError(await operator.post("/console/tenants/new", { ...validOnboarding(), currency: "ABC" }), "currency", "ISO 4217");
    expectFieldError(
      await operator.post("/console/tenants/new", { ...validOnboarding(), timeZone: "Mars/Olympus" }),
      "timeZone",
      "time zone",
    );
    expectFieldError(await operator.post("/console/tenants/new", { ...validOnboarding(), locale: "english" }), "locale", "locale");

    // An unticked box stays unticked on the re-shown form.
    const unticked = await operator.post("/console/tenants/new", { ...validOnboarding(), marketplace: [], adminEmail: "x" });
    expect(controlTag(unticked.text, "marketplace")).not.toContain("checked");
  });

  it("onboards a third agency end to end: storefront, invitation, first sign-in", async () => {
    const input = { ...validOnboarding(), marketplace: [] as string[], agentNetwork: "on" };
    const res = await operator.post("/console/tenants/new", input);
    expect(res.status, res.text.slice(0, 300)).toBe(302);
    const tenantId = res.location!.match(/^\/console\/tenants\/([0-9a-f-]{36})\?notice=onboarded$/)?.[1];
    expect(tenantId).toBeTruthy();

    const tenant = await ownerDb().selectFrom("tenants").selectAll().where("id", "=", tenantId!).executeTakeFirstOrThrow();
    expect(tenant).toMatchObject({
      slug: input.slug,
      name: "Harbour Cover",
      currency: "UGX",
      locale: "en-KE",
      time_zone: "Africa/Kampala",
    });
    expect(tenant.features).toEqual({ marketplace: false, agentNetwork: true });

    const admin = await withTenant(tenantId!, (db) =>
      db
        .selectFrom("users")
        .innerJoin("user_roles", "user_roles.user_id", "users.id")
        .select(["users.id", "users.email", "users.password_hash", "users.email_verified_at", "user_roles.role"])
        .executeTakeFirstOrThrow(),
    );
    expect(admin).toMatchObject({ email: input.adminEmail, role: "admin", password_hash: null, email_verified_at: null });

    const invite = await eventually(async () => {
      const m = await latestMessage(tenantId!, input.adminEmail, "invite");
      return m?.status === "outbox" ? m : undefined;
    });
    expect(invite.subject).toContain("Harbour Cover");
    const origin = `http://${input.slug}.localhost:${port()}`;
    expect(invite.body_text).toContain(`${origin}/reset-password?token=`);

    const audit = await ownerDb()
      .selectFrom("platform_audit_log")
      .selectAll()
      .where("subject_tenant", "=", tenantId!)
      .where("action", "=", "tenant.onboarded")
      .execute();
    expect(audit).toHaveLength(1);

    // The detail page says where the invitation went.
    const detail = await operator.get(res.location!);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain("Agency onboarded.");
    expect(detail.text).toContain(input.adminEmail);
    expect(detail.text).toContain("Invitation pending");

    // The storefront exists at once, with no code change.
    const storefront = new Browser(`${input.slug}.localhost`);
    const home = await storefront.get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Harbour Cover");

    // The invited admin follows the link, sets a password and signs in.
    const token = tokenFrom(invite.body_text);
    const form = await storefront.get(`/reset-password?token=${token}`);
    expect(form.status).toBe(200);
    const password = "First#admin2026";
    const set = await storefront.post("/reset-password", { token, password, confirmPassword: password });
    expect(set.status, set.text.slice(0, 300)).toBe(302);
    const signIn = await storefront.post("/login", { email: input.adminEmail, password });
    expect(signIn.status).toBe(302);
    expect(storefront.cookies.size).toBeGreaterThan(0);
    const after = await withTenant(tenantId!, (db) =>
      db.selectFrom("users").select(["password_hash", "email_verified_at"]).where("id", "=", admin.id).executeTakeFirstOrThrow(),
    );
    expect(after.password_hash).toBeTruthy();
    expect(after.email_verified_at).toBeTruthy();
    // The link works once.
    expect((await storefront.get(`/reset-password?token=${token}`)).status).toBe(400);
  });
});

describe("agency detail", () => {
  it("answers 404 for an unknown or malformed id", async () => {
    for (const id of [randomUUID(), "not-a-uuid", "00000000-0000-0000-0000-00000000000g"]) {
      expect((await operator.get(`/console/tenants/${id}`)).status, id).toBe(404);
      expect((await operator.post(`/console/tenants/${id}`, { intent: "reactivate" })).status, id).toBe(404);
    }
  });

  it("shows the agency's identity, people and recent activity", async () => {
    const tenant = await createTenant({ name: "Detail Agency" });
    await createUser(tenant.id, { roles: ["admin"], name: "Ada Admin", email: `${uniqueSlug("ada")}@example.com` });
    await createUser(tenant.id);
    const res = await operator.get(`/console/tenants/${tenant.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Detail Agency");
    expect(res.text).toContain(`http://${tenant.slug}.localhost:${port()}`);
    expect(res.text).toContain("Ada Admin");
    expect(res.text).toContain("2 accounts in this agency");
    expect(res.text).toContain("No operator activity for this agency yet.");
    expect(controlTag(res.text, "primary")).toContain('value="#123456"');
    // Without JavaScript the suspend button posts its form (the confirmation needs JavaScript).
    const suspendButton = res.text.match(/<button[^>]*>Suspend agency<\/button>/)?.[0];
    expect(suspendButton).toContain('type="submit"');
  });

  it("updates the branding the storefront shows, and audits it", async () => {
    const tenant = await createTenant({ name: "Before Agency" });
    const res = await operator.post(`/console/tenants/${tenant.id}`, brandingFields());
    expect(res.status, res.text.slice(0, 300)).toBe(302);
    expect(res.location).toBe(`/console/tenants/${tenant.id}?notice=branding`);

    const home = await new Browser(`${tenant.slug}.localhost`).get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Renamed Agency");
    expect(home.text).toContain("Cover for the whole family");
    expect(home.text).toContain("--brand:#a1b2c3");
    expect(home.text).toContain("--accent:#d4e5f6");
    expect(home.text).toContain("help@renamed.example");
    expect(home.text).not.toContain("Before Agency");

    const audit = await ownerDb()
      .selectFrom("platform_audit_log")
      .selectAll()
      .where("subject_tenant", "=", tenant.id)
      .where("action", "=", "tenant.branding_updated")
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ previousName: "Before Agency" });
    expect(audit.details.changed).toEqual(expect.arrayContaining(["name", "primary", "accent", "tagline"]));

    const detail = await operator.get(res.location!);
    expect(detail.text).toContain("Branding saved.");
    expect(detail.text).toContain("Updated branding");
  });

  it("refuses an invalid colour on its field and changes nothing", async () => {
    const tenant = await createTenant({ name: "Steady Agency" });
    const res = await operator.post(`/console/tenants/${tenant.id}`, brandingFields({ primary: "blue", logoUrl: "javascript:alert(1)" }));
    expectFieldError(res, "primary", "Use a colour like #0a4d68");
    expectFieldError(res, "logoUrl", "https://");
    // What was typed is shown again, for correcting.
    expect(controlTag(res.text, "primary")).toContain('value="blue"');
    const home = await new Browser(`${tenant.slug}.localhost`).get("/");
    expect(home.text).toContain("Steady Agency");
    expect(home.text).toContain("--brand:#123456");
  });

  it("suspends an agency with a reason, and reactivates it", async () => {
    const tenant = await createTenant({ name: "Pausable Agency" });
    const customer = await createUser(tenant.id);
    const storefront = new Browser(`${tenant.slug}.localhost`);
    expect((await storefront.get("/")).status).toBe(200);

    const noReason = await operator.post(`/console/tenants/${tenant.id}`, { intent: "suspend", reason: "  " });
    expectFieldError(noReason, "reason", "Say why");
    expect((await storefront.get("/")).status).toBe(200);

    const res = await operator.post(`/console/tenants/${tenant.id}`, { intent: "suspend", reason: "Unpaid invoices" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/console/tenants/${tenant.id}?notice=suspended`);

    for (const path of ["/", "/login", "/account"]) {
      const page = await storefront.get(path);
      expect(page.status, path).toBe(503);
      expect(page.text).toContain("Pausable Agency is unavailable");
      expect(page.text).not.toContain("--brand:#123456");
      expect(page.text).not.toContain(customer.email);
      expect(page.text).not.toContain('name="password"');
    }

    const tenantAudit = await ownerDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("tenant_id", "=", tenant.id)
      .where("action", "=", "tenant.suspended")
      .executeTakeFirstOrThrow();
    expect(tenantAudit.details).toEqual({ reason: "Unpaid invoices" });
    expect(tenantAudit.actor_operator_id).toBeTruthy();

    const detail = await operator.get(res.location!);
    expect(detail.text).toContain("This agency is suspended");
    expect(detail.text).toContain("Unpaid invoices");
    expect(detail.text).toContain('value="reactivate"');
    expect(detail.text).not.toContain('value="suspend"');

    const list = await operator.get("/console");
    expect(rowWith(list.text, `/console/tenants/${tenant.id}"`)).toContain("badge-suspended");

    const back = await operator.post(`/console/tenants/${tenant.id}`, { intent: "reactivate" });
    expect(back.status).toBe(302);
    expect(back.location).toBe(`/console/tenants/${tenant.id}?notice=reactivated`);
    const home = await storefront.get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("--brand:#123456");
    const reactivated = await ownerDb()
      .selectFrom("audit_log")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("action", "=", "tenant.reactivated")
      .execute();
    expect(reactivated).toHaveLength(1);
  });

  it("refuses an unknown action", async () => {
    const tenant = await createTenant();
    expect((await operator.post(`/console/tenants/${tenant.id}`, { intent: "delete" })).status).toBe(400);
  });
});

describe("outbox", () => {
  async function addMessage(tenantId: string, fields: { subject: string; status?: "outbox" | "sent"; body?: string }) {
    await withTenant(tenantId, (db) =>
      db
        .insertInto("messages")
        .values({
          template: "test",
          recipient: `${uniqueSlug("to")}@example.com`,
          subject: fields.subject,
          body_text: fields.body ?? `Hello.\n\nOpen: http://example.localhost:3000/verify-email?token=abc${fields.subject}\n\nBye.`,
          status: fields.status ?? "outbox",
          // A minute ahead, so the newest page shows them whatever other tests send meanwhile.
          created_at: new Date(Date.now() + 60_000),
        })
        .execute(),
    );
  }

  it("lists messages from every agency, with clickable links, and filters by agency", async () => {
    const a = await createTenant({ name: "Outbox Alpha" });
    const b = await createTenant({ name: "Outbox Beta" });
    const subjectA = `alpha${uniqueSlug()}`;
    const subjectB = `beta${uniqueSlug()}`;
    await addMessage(a.id, { subject: subjectA });
    await addMessage(b.id, { subject: subjectB });

    const all = await operator.get("/console/outbox");
    expect(all.status).toBe(200);
    expect(all.text).toContain(subjectA);
    expect(all.text).toContain(subjectB);
    expect(rowWith(all.text, subjectA)).toContain("Outbox Alpha");
    expect(rowWith(all.text, subjectB)).toContain("Outbox Beta");
    expect(all.text).toContain(`<a href="http://example.localhost:3000/verify-email?token=abc${subjectA}"`);
    expect(all.text).toContain("<details>");

    const onlyA = await operator.get(`/console/outbox?tenant=${a.id}`);
    expect(onlyA.text).toContain(subjectA);
    expect(onlyA.text).not.toContain(subjectB);
    expect(onlyA.text).toMatch(new RegExp(`<option value="${a.id}" selected`));

    // A malformed filter is ignored rather than an error.
    expect((await operator.get("/console/outbox?tenant=nope")).status).toBe(200);
  });

  it("pages 25 at a time and hides the text of delivered messages", async () => {
    const tenant = await createTenant({ name: "Busy Agency" });
    for (let i = 0; i < 26; i++) await addMessage(tenant.id, { subject: `busy-${i}` });
    await addMessage(tenant.id, { subject: "delivered-one", status: "sent", body: "secret http://x.localhost/reset-password?token=zzz" });
    const first = await operator.get(`/console/outbox?tenant=${tenant.id}`);
    expect(first.text.match(/class="message-row"/g)).toHaveLength(25);
    expect(first.text).toContain('rel="next"');
    const second = await operator.get(`/console/outbox?tenant=${tenant.id}&page=2`);
    expect(second.text.match(/class="message-row"/g)).toHaveLength(2);
    expect(second.text).not.toContain('rel="next"');
    const all = first.text + second.text;
    expect(all).toContain("delivered-one");
    expect(all).not.toContain("token=zzz");
  });

  it("shows an empty state", async () => {
    const tenant = await createTenant({ name: "Quiet Agency" });
    const res = await operator.get(`/console/outbox?tenant=${tenant.id}`);
    expect(decode(res.text)).toContain("Quiet Agency has not sent any email yet.");
  });
});

describe("platform audit log", () => {
  it("lists operator actions with operator, agency, IP and time, and filters them", async () => {
    const tenant = await createTenant({ name: "Audited Agency" });
    await operator.post(`/console/tenants/${tenant.id}`, { intent: "suspend", reason: "Audit check" });
    await operator.post(`/console/tenants/${tenant.id}`, { intent: "reactivate" });

    const res = await operator.get(`/console/audit?tenant=${tenant.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Time (UTC)");
    const suspended = rowWith(res.text, "Suspended an agency</td>");
    expect(suspended).toContain("operator@covera.demo");
    expect(suspended).toContain("Audited Agency");
    expect(suspended).toContain("Reason: Audit check");
    expect(suspended).toMatch(/data-label="IP address"[^>]*>[0-9a-f:.]+</);
    expect(res.text).toContain("Reactivated an agency");

    const filtered = await operator.get(`/console/audit?tenant=${tenant.id}&action=tenant.reactivated`);
    expect(filtered.text).toContain("Reactivated an agency");
    expect(filtered.text).not.toContain("Suspended an agency</td>");

    const signIns = await operator.get("/console/audit?action=auth.sign_in");
    expect(signIns.text).toContain("Signed in");
    expect(signIns.text).not.toContain("Suspended an agency</td>");

    const none = await operator.get(`/console/audit?tenant=${tenant.id}&action=tenant.onboarded`);
    expect(none.text).toContain("No entries match these filters.");
  });
});
