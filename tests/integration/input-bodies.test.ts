import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { ensureSandbox } from "~/modules/payments/settings.server";
import { createUser, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { hibahGoldProduct, insertRules, networkTenant, tiers } from "./commissions-support";

/**
 * Request bodies that are not what they claim to be, found by the fuzz test (input-fuzz.test.ts):
 * each answers 400 or the form with its messages, never a 500.
 */

let tenant: { id: string; slug: string };
let admin: Browser;
let productId: string;

beforeAll(async () => {
  tenant = await networkTenant();
  const user = await createUser(tenant.id, { roles: ["admin"] });
  productId = await hibahGoldProduct(tenant.id);
  await insertRules(tenant.id, productId, "monthly", tiers(1111, 222, 222, 111, 83), "2020-01-01");
  await withTenant(tenant.id, (db) => ensureSandbox(db, tenant.id));
  admin = await signIn(hostOf(tenant), user.email);
});

/** A multipart body whose boundary is not the one its header names, as a broken client sends it. */
function brokenMultipart(browser: Browser, path: string) {
  const body = '------one\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.com\r\n------one--\r\n';
  return browser.send("POST", path, body, { "content-type": "multipart/form-data; boundary=----other", origin: browser.origin });
}

describe("a body that is not a form", () => {
  it.each(["/register", "/forgot-password", "/login", "/cart"])("sent to %s answers 400", async (path) => {
    const res = await brokenMultipart(new Browser(hostOf(tenant)), path);
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("This form could not be read.");
  });
});

describe("a forged conform intent", () => {
  it.each(["not json", '{"type":"bogus","payload":{}}', '{"type":"insert","payload":{"name":"tiers","index":-5}}'])(
    "%s is ignored, and the form validated as sent",
    async (intent) => {
      const res = await new Browser(hostOf(tenant)).post("/register", { __intent__: intent, name: "Amina", email: "not-an-email" });
      expect(res.status).toBe(400);
      expect(textOf(res.text)).toContain("Enter a valid email");
    },
  );
});

describe("a field sent twice", () => {
  it("comes back to the commission rules editor as the form with its messages", async () => {
    const res = await admin.post(`/admin/commission-rules/${productId}`, {
      intent: "save",
      frequency: "monthly",
      effectiveFrom: "2099-01-01",
      "tiers[0].kind": "fixed",
      "tiers[0].amount": ["3", "4"],
      "tiers[0].minPersonalSales": "0",
    });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("Enter this as text.");
  });
});

describe("a provider callback with a NUL in it", () => {
  it("is refused as no callback, before anything is logged", async () => {
    const before = await ownerDb().selectFrom("gateway_log").select("id").where("tenant_id", "=", tenant.id).execute();
    const res = await new Browser(hostOf(tenant)).send("POST", "/webhooks/sandbox", '{"event":"a\u0000b"}', {
      "content-type": "application/json",
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ status: "error", code: "INVALID_BODY" });
    expect(await ownerDb().selectFrom("gateway_log").select("id").where("tenant_id", "=", tenant.id).execute()).toEqual(before);
  });
});
