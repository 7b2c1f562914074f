import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { withPlatform, withTenant } from "~db/client";
import type { AgentStatus } from "~db/schema";
import { catalogueSchema } from "~/modules/catalogue/manifest";
import { seedCatalogue } from "~/modules/catalogue/seed.server";
import { createAgent } from "~/modules/network/agents.server";
import { ensureSandbox } from "~/modules/payments/settings.server";
import { tenantById, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { createTenant, createUser, ownerDb } from "../support/db";
import type { Browser, HttpResponse } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";

/**
 * Fixtures for the member, agent-sale and offline-payment tests (not a test file itself): an
 * agency like KHHoldings (MYR, Kuala Lumpur, the agent network on, KHHoldings' own catalogue and the
 * sandbox), agents signed in through the real form, and members registered through the real pages.
 */

const raw = JSON.parse(readFileSync("tenants/khholdings/catalogue.json", "utf8")) as { products: Record<string, unknown>[] };
/** KHHoldings' catalogue as its manifest has it, without the demo reviews (their authors are demo users). */
export const KHH_CATALOGUE = catalogueSchema.parse({ ...raw, products: raw.products.map((p) => ({ ...p, reviews: [] })) });

export type MemberTenant = TenantInfo & { host: string };

export async function memberTenant(): Promise<MemberTenant> {
  const store = await createTenant();
  await withPlatform((db) =>
    db
      .updateTable("tenants")
      .set({
        currency: "MYR",
        locale: "en-MY",
        time_zone: "Asia/Kuala_Lumpur",
        features: JSON.stringify({ marketplace: true, agentNetwork: true }),
        settings: JSON.stringify({
          levies: KHH_CATALOGUE.levies,
          quoteValidityDays: KHH_CATALOGUE.quoteValidityDays ?? 30,
          bundleDiscounts: KHH_CATALOGUE.bundleDiscounts ?? [],
        }),
        manifest: sql`jsonb_set(manifest, '{numbering}', jsonb_build_object('prefix', 'KHT'::text))`,
      })
      .where("id", "=", store.id)
      .execute(),
  );
  await withTenant(store.id, async (db) => {
    await seedCatalogue(db, KHH_CATALOGUE, { currency: "MYR", timeZone: "Asia/Kuala_Lumpur" });
    await ensureSandbox(db, store.id);
  });
  const tenant = await tenantById(store.id);
  if (!tenant) throw new Error("tenant vanished");
  return { ...tenant, host: hostOf(store) };
}

/** An agent (a user with the agent role and an agents row) in a given state, signed in. */
export async function agentWithLogin(tenant: MemberTenant, status: Extract<AgentStatus, "pending" | "active" | "suspended"> = "active") {
  const user = await createUser(tenant.id, { roles: ["agent"], name: `Agent ${Math.random().toString(36).slice(2, 7)}` });
  const agent = await withTenant(tenant.id, (db) => createAgent(db, { userId: user.id, sponsorId: null, status }));
  const browser = await signIn(tenant.host, user.email);
  return { user, agent, browser };
}

/** A valid MyKad number, different each call: born 1970-01-01 + n days, Selangor (10). */
let nricCounter = Math.floor(Math.random() * 9000);
export function freshNric(): { nric: string; dateOfBirth: string } {
  nricCounter += 1;
  const date = new Date(Date.UTC(1970, 0, 1) + (nricCounter % 9000) * 86_400_000);
  const iso = date.toISOString().slice(0, 10);
  const serial = String(1000 + Math.floor(Math.random() * 9000));
  return { nric: `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-10-${serial}`, dateOfBirth: iso };
}

export function memberForm(overrides: Record<string, string> = {}) {
  const { nric } = freshNric();
  return memberFormWith(nric, overrides);
}

function memberFormWith(nric: string, overrides: Record<string, string>) {
  return {
    name: "Aminah binti Yusof",
    email: `member-${Math.random().toString(36).slice(2, 10)}@example.com`,
    phone: "+60 12-345 6789",
    nric,
    race: "malay",
    relationshipWithAgent: "friend",
    emergencyContactName: "Yusof bin Ali",
    emergencyContactPhone: "+60 13-222 3333",
    emergencyContactRelationship: "parent",
    ...overrides,
  };
}

/** A member registered through the page, with what a sale needs: their id, account, email and date of birth. */
export async function registeredMember(browser: Browser) {
  const { nric, dateOfBirth } = freshNric();
  const form = memberFormWith(nric, {});
  const memberId = await registerThroughPage(browser, form);
  const row = await memberRow(memberId);
  return { memberId, userId: row.user_id, email: form.email, dateOfBirth, nric };
}

/** Registers a member through the page; returns the member's id (from the redirect). */
export async function registerThroughPage(browser: Browser, form: Record<string, string>): Promise<string> {
  const res = await browser.post("/agent/members/new", form);
  const match = /^\/agent\/members\/([0-9a-f-]{36})\?registered=/.exec(res.location ?? "");
  if (res.status !== 302 || !match)
    throw new Error(`Registering answered ${res.status} ${res.location}: ${textOf(res.text).slice(0, 500)}`);
  return match[1]!;
}

export async function memberRow(memberId: string) {
  return ownerDb().selectFrom("members").selectAll().where("id", "=", memberId).executeTakeFirstOrThrow();
}

/** The order id a sale step redirected to. */
export function orderFromRedirect(res: HttpResponse): string {
  const match = /[?&]order=([0-9a-f-]{36})/.exec(res.location ?? "");
  if (res.status !== 302 || !match)
    throw new Error(`Expected a redirect to the sale, got ${res.status} ${res.location}: ${textOf(res.text).slice(0, 600)}`);
  return match[1]!;
}

/**
 * Sells Hibah Gold 270 (monthly unless told) to a member through the wizard's pages, up to the
 * payment step: product → quote → details with beneficiaries → terms. Returns the order id.
 */
export async function sellHibah(
  browser: Browser,
  memberId: string,
  holder: { dateOfBirth: string; email: string },
  frequency = "monthly",
): Promise<string> {
  const base = `/agent/members/${memberId}/sell`;
  const quote = await browser.post(`${base}?product=hibah-senior-care-gold-270`, { intent: "quote", frequency });
  const orderId = orderFromRedirect(quote);
  const details = await browser.post(`${base}?order=${orderId}`, {
    intent: "details",
    name: "Aminah binti Yusof",
    email: holder.email,
    phone: "+60 12-345 6789",
    dateOfBirth: holder.dateOfBirth,
    address: "12 Jalan Ampang, 50450 Kuala Lumpur",
    "beneficiaries[0].name": "Siti binti Ahmad",
    "beneficiaries[0].relationship": "child",
    "beneficiaries[0].share": "100",
  });
  if (details.status !== 302) throw new Error(`Details answered ${details.status}: ${textOf(details.text).slice(0, 800)}`);
  const review = await browser.get(`${base}?order=${orderId}`);
  const version = /name="version" value="([0-9a-f]+)"/.exec(review.text)?.[1];
  if (!version) throw new Error(`No review version on: ${textOf(review.text).slice(0, 600)}`);
  const terms = await browser.post(`${base}?order=${orderId}`, { intent: "terms", acceptTerms: "on", version });
  if (terms.status !== 302) throw new Error(`Terms answered ${terms.status}: ${textOf(terms.text).slice(0, 600)}`);
  return orderId;
}
