import { expect } from "vitest";
import { withTenant } from "~db/client";
import { createTenant, createUser, ownerDb, TEST_PASSWORD } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";

/** Shared steps for the account and back-office tests (not a test file itself). */

export const hostOf = (tenant: { slug: string }) => `${tenant.slug}.localhost`;

/** A page's visible text: tags dropped, React's entities decoded, whitespace collapsed. */
export function textOf(html: string): string {
  return (
    html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<style[\s\S]*?<\/style>/g, " ")
      // React separates adjacent text nodes with empty comments: they are not spaces.
      .replace(/<!-- -->/g, "")
      .replace(/<[^>]+>/g, " ")
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
      .replace(/\s+/g, " ")
  );
}

export interface MenuGroup {
  group: string;
  links: { href: string; label: string; current: boolean }[];
}

/** The back office's menu as a page renders it: each group's name and links (none when there is no menu). */
export function backOfficeMenuOf(html: string): MenuGroup[] {
  const nav = /<nav class="backoffice-nav" aria-label="Back office">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? "";
  return [...nav.matchAll(/<span class="backoffice-nav-heading"[^>]*>([\s\S]*?)<\/span><ul[^>]*>([\s\S]*?)<\/ul>/g)].map(
    ([, group, list]) => ({
      group: textOf(group!).trim(),
      links: [...list!.matchAll(/<a ([^>]*)>([\s\S]*?)<\/a>/g)].map(([, attributes, label]) => ({
        href: /href="([^"]*)"/.exec(attributes!)?.[1] ?? "",
        label: textOf(label!).trim(),
        current: attributes!.includes('aria-current="page"'),
      })),
    }),
  );
}

/**
 * Back office pages of issue 12 that are linked in the menu but built in parallel with it: until
 * a page exists (an admin gets 404), the menu tests leave its link out. Delete this once they land.
 */
export const PAGES_TO_COME = ["/admin/claims"];

export const REGISTRATION_PASSWORD = "Savanna#2026";

/** The storefront's registration form, filled in as a person would. */
export function registrationForm(email: string, overrides: Record<string, string> = {}) {
  return {
    name: "Njeri Wambui",
    email,
    phone: "+254 712 345 678",
    password: REGISTRATION_PASSWORD,
    confirmPassword: REGISTRATION_PASSWORD,
    acceptTerms: "on",
    ...overrides,
  };
}

/** Signs in through the real form and checks it worked. */
export async function signIn(host: string, email: string, password = TEST_PASSWORD): Promise<Browser> {
  const browser = new Browser(host);
  const res = await browser.post("/login", { email, password });
  expect(res.status, textOf(res.text).slice(0, 400)).toBe(302);
  expect(browser.cookies.has("covera_session")).toBe(true);
  return browser;
}

/** Whether this browser's cookie still names a live session on its host. */
export async function isSignedIn(browser: Browser): Promise<boolean> {
  const res = await browser.get("/account");
  if (res.status === 200) return true;
  expect(res.status).toBe(302);
  expect(res.location).toMatch(/^\/login\?redirectTo=/);
  return false;
}

/** A copy of a browser's cookies on another (or the same) host: a stolen or replayed cookie. */
export function cloneTo(browser: Browser, host = browser.host): Browser {
  const copy = new Browser(host);
  for (const [k, v] of browser.cookies) copy.cookies.set(k, v);
  return copy;
}

export async function auditRows(tenantId: string, action: string, targetId?: string) {
  let q = ownerDb().selectFrom("audit_log").selectAll().where("tenant_id", "=", tenantId).where("action", "=", action);
  if (targetId) q = q.where("target_id", "=", targetId);
  return q.orderBy("id").execute();
}

export async function messagesTo(tenantId: string, recipient: string) {
  return ownerDb()
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("recipient", "=", recipient)
    .orderBy("created_at")
    .execute();
}

/** A fresh agency with one account, signed in. */
export async function tenantWithUser(options: Parameters<typeof createUser>[1] = {}) {
  const tenant = await createTenant();
  const user = await createUser(tenant.id, options);
  return { tenant, user, host: hostOf(tenant) };
}

export async function rolesOf(tenantId: string, userId: string) {
  return withTenant(tenantId, async (db) =>
    (await db.selectFrom("user_roles").select("role").where("user_id", "=", userId).orderBy("role").execute()).map((r) => r.role),
  );
}

export function expectFieldError(res: HttpResponse, message: string | RegExp) {
  expect(res.status).toBe(400);
  const text = textOf(res.text);
  if (typeof message === "string") expect(text).toContain(message);
  else expect(text).toMatch(message);
}
