import { expect } from "vitest";
import { base32Decode, hotp, timeStep } from "~/modules/auth/two-factor-totp.server";
import { ownerDb } from "../support/db";
import type { Browser, HttpResponse } from "../support/http";
import { textOf } from "./accounts-support";

/** Shared steps for the two-factor tests (not a test file itself). */

/** The key the setup page shows, as the person would type it into their app. */
export function secretOn(html: string): Buffer {
  const shown = /data-testid="two-factor-secret"[^>]*>([A-Z2-7 ]+)</.exec(html)?.[1];
  expect(shown, "the key shown on the page").toBeTruthy();
  return base32Decode(shown!);
}

export function recoveryCodesOn(html: string): string[] {
  return [...html.matchAll(/<code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})<\/code>/g)].map((m) => m[1]!);
}

/** The app's code `offset` 30-second steps from now. */
export const codeAt = (secret: Buffer, offset = 0) => hotp(secret, timeStep(new Date()) + offset);

/**
 * The app's code now, for an account whose last code was (as if) a minute ago: each code signs in
 * once, so a test that needs several moves the account's last used step back instead of waiting
 * thirty seconds for the next one (tests move time, never sleep).
 */
export async function freshCode(secret: Buffer, account: { userId: string } | { operatorId: string }): Promise<string> {
  const earlier = timeStep(new Date()) - 2;
  if ("userId" in account) {
    await ownerDb().updateTable("user_two_factor").set({ last_used_step: earlier }).where("user_id", "=", account.userId).execute();
  } else {
    await ownerDb()
      .updateTable("platform_operator_two_factor")
      .set({ last_used_step: earlier })
      .where("operator_id", "=", account.operatorId)
      .execute();
  }
  return codeAt(secret);
}

/** Sets up two-factor sign-in through the account page, as a person does; returns the key and the codes shown. */
export async function enrol(browser: Browser, page = "/account/two-factor"): Promise<{ secret: Buffer; codes: string[] }> {
  const start = await browser.post(page, { intent: "start" });
  expect(start.status, textOf(start.text).slice(0, 300)).toBe(302);
  const setup = await browser.get(page);
  expect(setup.status).toBe(200);
  expect(setup.text).toMatch(/<img[^>]+src="data:image\/png;base64,/);
  const secret = secretOn(setup.text);
  const confirmed = await browser.post(page, { intent: "confirm", code: codeAt(secret) });
  expect(confirmed.status, textOf(confirmed.text).slice(0, 300)).toBe(200);
  const codes = recoveryCodesOn(confirmed.text);
  expect(codes).toHaveLength(10);
  return { secret, codes };
}

/** Posts the password; with two-factor on, that leads to the code form and no session. */
export async function passwordStep(browser: Browser, email: string, password: string, path = "/login"): Promise<HttpResponse> {
  return browser.post(path, { email, password });
}
