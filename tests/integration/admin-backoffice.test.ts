import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, createUser, ownerDb, uniqueSlug } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, hostOf, rolesOf, signIn, textOf } from "./accounts-support";

let tenant: { id: string; slug: string; name: string };
let other: { id: string; slug: string };
let admin: { id: string; email: string };
let staff: { id: string; email: string };
let customer: { id: string; email: string };
let foreigner: { id: string; email: string };
let asAdmin: Browser;
let asStaff: Browser;
let asCustomer: Browser;

const PAGES = ["/admin", "/admin/users", "/admin/audit", "/admin/outbox"];

beforeAll(async () => {
  tenant = await createTenant();
  other = await createTenant();
  admin = await createUser(tenant.id, { roles: ["admin"], name: "Wanjiru Admin", email: `${uniqueSlug("admin")}@example.com` });
  staff = await createUser(tenant.id, { roles: ["staff"], name: "Otieno Staff" });
  customer = await createUser(tenant.id, { roles: ["customer"], name: "Amina Customer", email: `${uniqueSlug("amina")}@example.com` });
  foreigner = await createUser(other.id, { roles: ["customer"], name: "Other Agency Customer" });
  [asAdmin, asStaff, asCustomer] = await Promise.all([
    signIn(hostOf(tenant), admin.email),
    signIn(hostOf(tenant), staff.email),
    signIn(hostOf(tenant), customer.email),
  ]);
});

describe("back office permissions", () => {
  it("sends an anonymous visitor to sign in, and refuses a customer with 403", async () => {
    for (const path of [...PAGES, `/admin/users/${customer.id}`]) {
      const anonymous = await new Browser(hostOf(tenant)).get(path);
      expect(anonymous.status, path).toBe(302);
      expect(anonymous.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
      const res = await asCustomer.get(path);
      expect(res.status, path).toBe(403);
      expect(textOf(res.text)).toContain("No access");
    }
    expect((await asCustomer.post(`/admin/users/${customer.id}`, { roles: ["admin"] })).status).toBe(403);
    expect(await rolesOf(tenant.id, customer.id)).toEqual(["customer"]);
  });

  it("lets staff look up users but not change roles, read the audit log or the outbox", async () => {
    const overview = await asStaff.get("/admin");
    expect(overview.status).toBe(200);
    const nav = textOf(overview.text);
    expect(nav).toContain("Users");
    expect(nav).not.toContain("Audit log");
    expect((await asStaff.get("/admin/users")).status).toBe(200);
    const detail = await asStaff.get(`/admin/users/${customer.id}`);
    expect(detail.status).toBe(200);
    expect(textOf(detail.text)).toContain("Amina Customer");
    expect(detail.text).not.toContain("Save roles");

    const post = await asStaff.post(`/admin/users/${customer.id}`, { roles: ["customer", "admin"] });
    expect(post.status).toBe(403);
    expect(await rolesOf(tenant.id, customer.id)).toEqual(["customer"]);
    expect((await asStaff.get("/admin/audit")).status).toBe(403);
    expect((await asStaff.get("/admin/outbox")).status).toBe(403);
  });

  it("lets an admin change roles, audited with before and after", async () => {
    const target = await createUser(tenant.id, { roles: ["customer"], name: "Role Target" });
    const page = await asAdmin.get(`/admin/users/${target.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Save roles");
    const checkbox = (role: string) => page.text.match(new RegExp(`<input[^>]*id="role-${role}"[^>]*>`))?.[0];
    expect(checkbox("customer")).toContain('checked=""');
    expect(checkbox("agent")).not.toContain("checked");

    const res = await asAdmin.post(`/admin/users/${target.id}`, { roles: ["customer", "agent"] });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("Roles saved.");
    expect(await rolesOf(tenant.id, target.id)).toEqual(["agent", "customer"]);
    const [entry, ...more] = await auditRows(tenant.id, "user.roles_changed", target.id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actor_user_id: admin.id,
      target_type: "user",
      details: { before: ["customer"], after: ["agent", "customer"] },
    });

    // One role, sent as a single value, is still a list.
    expect((await asAdmin.post(`/admin/users/${target.id}`, { roles: "staff" })).status).toBe(200);
    expect(await rolesOf(tenant.id, target.id)).toEqual(["staff"]);

    const none = await asAdmin.post(`/admin/users/${target.id}`, {});
    expect(none.status).toBe(400);
    expect(textOf(none.text)).toContain("Keep at least one role.");
    expect((await asAdmin.post(`/admin/users/${target.id}`, { roles: ["superuser"] })).status).toBe(400);
    const self = await asAdmin.post(`/admin/users/${admin.id}`, { roles: ["staff"] });
    expect(self.status).toBe(400);
    expect(textOf(self.text)).toContain("You cannot remove your own administrator role.");
    expect(await rolesOf(tenant.id, admin.id)).toEqual(["admin"]);
    expect(await rolesOf(tenant.id, target.id)).toEqual(["staff"]);
  });
});

describe("back office and other tenants", () => {
  it("answers 404 for another agency's user id and for a malformed id, reading or writing", async () => {
    for (const id of [foreigner.id, "not-a-uuid", "00000000-0000-0000-0000-000000000000", "1%27%20or%201=1"]) {
      const res = await asAdmin.get(`/admin/users/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.text).not.toContain("Other Agency Customer");
      expect((await asAdmin.post(`/admin/users/${id}`, { roles: ["admin"] })).status, id).toBe(404);
    }
    expect(await rolesOf(other.id, foreigner.id)).toEqual(["customer"]);
    // And the list never shows them.
    expect((await asAdmin.get("/admin/users?q=Other%20Agency")).text).not.toContain("Other Agency Customer");
  });

  it("treats an admin's cookie as anonymous on another agency's host", async () => {
    const replayed = new Browser(hostOf(other));
    for (const [k, v] of asAdmin.cookies) replayed.cookies.set(k, v);
    const res = await replayed.get("/admin/users");
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/login/);
  });
});

describe("back office pages", () => {
  it("shows counts by role and recent activity on the overview", async () => {
    const res = await asAdmin.get("/admin");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain("Overview");
    expect(text).toMatch(/\d+ Accounts/);
    expect(text).toContain("Administrator");
    expect(text).toContain("Recent activity");
    expect(text).toContain("Signed in");
    expect(res.text).toMatch(/<title>Back office · /);
  });

  it("searches users by name or email, filters by role, and pages by 25", async () => {
    const bySearch = textOf((await asAdmin.get("/admin/users?q=amina")).text);
    expect(bySearch).toContain("Amina Customer");
    expect(bySearch).not.toContain("Otieno Staff");
    const byEmail = textOf((await asAdmin.get(`/admin/users?q=${encodeURIComponent(customer.email.slice(0, 8))}`)).text);
    expect(byEmail).toContain("Amina Customer");
    const byRole = textOf((await asAdmin.get("/admin/users?role=staff")).text);
    expect(byRole).toContain("Otieno Staff");
    expect(byRole).not.toContain("Amina Customer");
    // LIKE wildcards are literal; an unknown role is ignored, not an error.
    expect(textOf((await asAdmin.get("/admin/users?q=%25")).text)).toContain("No user matches these filters.");
    expect((await asAdmin.get("/admin/users?role=emperor")).status).toBe(200);

    const crowd = await createTenant();
    const crowdAdmin = await createUser(crowd.id, { roles: ["admin"] });
    await ownerDb()
      .insertInto("users")
      .values(Array.from({ length: 26 }, (_, i) => ({ tenant_id: crowd.id, email: `bulk${i}@example.com`, name: `Bulk Person ${i}` })))
      .execute();
    const browser = await signIn(hostOf(crowd), crowdAdmin.email);
    const first = await browser.get("/admin/users");
    expect(textOf(first.text)).toContain("27 accounts");
    expect(first.text).toContain('rel="next"');
    expect([...first.text.matchAll(/href="\/admin\/users\/[0-9a-f-]{36}"/g)]).toHaveLength(25);
    const second = await browser.get("/admin/users?page=2");
    expect([...second.text.matchAll(/href="\/admin\/users\/[0-9a-f-]{36}"/g)]).toHaveLength(2);
    expect(second.text).not.toContain('rel="next"');
  });

  it("lists the audit log with an action filter, actors and tenant-time timestamps", async () => {
    const all = await asAdmin.get("/admin/audit");
    expect(all.status).toBe(200);
    const text = textOf(all.text);
    expect(text).toContain("auth.sign_in");
    expect(text).toContain(admin.email);
    expect(text).toContain("Times in Africa/Nairobi");

    await asAdmin.post(`/admin/users/${staff.id}`, { roles: ["staff", "underwriter"] });
    const filtered = textOf((await asAdmin.get("/admin/audit?action=user.")).text);
    expect(filtered).toContain("user.roles_changed");
    expect(filtered).toContain("before: staff");
    expect(filtered).toContain("after: staff, underwriter");
    expect(filtered).not.toContain("auth.sign_in");
    expect(textOf((await asAdmin.get("/admin/audit?action=nothing.like.this")).text)).toContain("No entries start with");
    // A malformed filter is ignored rather than sent to the database.
    expect((await asAdmin.get("/admin/audit?action=%25'%3B")).status).toBe(200);
  });

  it("shows the outbox with clickable links, and an empty state", async () => {
    const register = await new Browser(hostOf(tenant)).post("/register", {
      name: "Outbox Person",
      email: `${uniqueSlug("outbox")}@example.com`,
      password: "Outbox#2026",
      confirmPassword: "Outbox#2026",
      acceptTerms: "on",
    });
    expect(register.status).toBe(200);
    const res = await asAdmin.get("/admin/outbox");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain(`Confirm your email for ${tenant.name}`);
    expect(text).toContain("verify_email");
    expect(res.text).toMatch(/<a href="http:\/\/[^"]+\/verify-email\?token=[A-Za-z0-9_-]+" rel="noreferrer">/);

    const empty = await createTenant();
    const emptyAdmin = await createUser(empty.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(empty), emptyAdmin.email);
    expect(textOf((await browser.get("/admin/outbox")).text)).toContain("No messages yet.");
    expect(textOf((await browser.get("/admin/audit?action=account.")).text)).toContain("No entries start with");
  });
});
