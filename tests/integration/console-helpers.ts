import { expect, inject } from "vitest";
import { DEMO_OPERATOR } from "~db/seed";
import { hashPassword } from "~/modules/auth/password.server";
import { ownerDb, uniqueSlug } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";

/** Helpers for the operator console tests (not a test file: vitest collects *.test.ts only). */

export const port = () => inject("appPort");

/** A platform-host browser signed in as an operator (the seeded one unless told otherwise). */
export async function operatorBrowser(credentials: { email: string; password: string } = DEMO_OPERATOR): Promise<Browser> {
  const browser = new Browser("localhost");
  const res = await browser.post("/console/login", { email: credentials.email, password: credentials.password });
  expect(res.status, res.text.slice(0, 500)).toBe(302);
  expect(res.location).toBe("/console");
  return browser;
}

/** A fresh operator, so lockout and password tests never touch the seeded one. */
export async function createOperator(password = "Operator#2026pw") {
  const email = `${uniqueSlug("op")}@covera.test`;
  const passwordHash = await hashPassword(password);
  const op = await ownerDb()
    .insertInto("platform_operators")
    .values({ email, name: "Test Operator", password_hash: passwordHash })
    .returning("id")
    .executeTakeFirstOrThrow();
  await ownerDb().insertInto("platform_operator_password_history").values({ operator_id: op.id, password_hash: passwordHash }).execute();
  return { id: op.id, email, password };
}

/** The opening tag of the form control with this name (input, select or textarea). */
export function controlTag(html: string, name: string): string {
  const match = html.match(new RegExp(`<(?:input|select|textarea)\\b[^>]*\\bname="${name}"[^>]*>`));
  if (!match) throw new Error(`No control named ${name}`);
  return match[0];
}

/** Asserts a 400 with the message on the named field (aria-invalid and its error text). */
export function expectFieldError(res: HttpResponse, name: string, message: string | RegExp) {
  expect(res.status).toBe(400);
  const tag = controlTag(res.text, name);
  expect(tag).toContain('aria-invalid="true"');
  const id = tag.match(/\bid="([^"]+)"/)?.[1];
  expect(id).toBeTruthy();
  const error = res.text.match(new RegExp(`<p[^>]*id="${id}-error"[^>]*>([^<]*)</p>`))?.[1];
  expect(error, `error text for ${name}`).toBeDefined();
  if (typeof message === "string") expect(error).toContain(message);
  else expect(error).toMatch(message);
}

/** The table row (<tr>…</tr>) that contains `marker`. */
export function rowWith(html: string, marker: string): string {
  const row = html.split("<tr").find((chunk) => chunk.includes(marker));
  if (!row) throw new Error(`No row with ${marker}`);
  return row.slice(0, row.indexOf("</tr>"));
}

export function decode(html: string): string {
  return html
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
