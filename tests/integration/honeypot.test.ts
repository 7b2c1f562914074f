import { beforeAll, describe, expect, it } from "vitest";
import { createUser, ownerDb, uniqueSlug } from "../support/db";
import { Browser } from "../support/http";
import { registrationForm, signIn, textOf } from "./accounts-support";
import { insertPolicy, type PolicyFixture } from "./customer-policies-fixtures";
import { addAgent, agentNetworkTenant } from "./network-support";
import { createStoreTenant, type StoreTenant } from "./quotes-support";

/**
 * Issue 11: the honeypot on public forms (decision 012). A field no person sees or reaches; a
 * form that comes back with it filled is refused quietly and writes nothing; left empty, as
 * people leave it, the form works as ever.
 */
let store: StoreTenant;
let network: { id: string; slug: string; name: string };
let sponsor: Awaited<ReturnType<typeof addAgent>>;
let holder: { id: string; email: string };
let policy: PolicyFixture;

beforeAll(async () => {
  store = await createStoreTenant();
  network = await agentNetworkTenant();
  sponsor = await addAgent(network.id);
  holder = await createUser(store.id);
  policy = await insertPolicy(store.id, holder.id, { productSlug: "home-cover" });
});

const registration = (email: string, website: string) => registrationForm(email, { website });

const usersWith = (tenantId: string, email: string) =>
  ownerDb().selectFrom("users").select("id").where("tenant_id", "=", tenantId).where("email", "=", email).execute();
const messagesTo = (tenantId: string, email: string) =>
  ownerDb().selectFrom("messages").select("template").where("tenant_id", "=", tenantId).where("recipient", "=", email).execute();
const quoteCount = async (tenantId: string) =>
  (await ownerDb().selectFrom("quotes").select("id").where("tenant_id", "=", tenantId).execute()).length;

describe("the honeypot", () => {
  it("is on every public form, out of reach of keyboards, screen readers and autofill", async () => {
    const host = store.host;
    const anonymous = new Browser(host);
    const pages = [
      await anonymous.get("/register"),
      await anonymous.get("/forgot-password"),
      await anonymous.get("/products/home-cover/quote"),
      await anonymous.get("/products/home-cover"),
      await new Browser(`${network.slug}.localhost`).get(`/join/${sponsor.referralCode}`),
      await (await signIn(host, holder.email)).get(`/account/policies/${policy.policyId}/review`),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      const trap = page.text.match(/<div class="visually-hidden" aria-hidden="true"><label for="([^"]+)">[^<]*<\/label><input ([^>]*)\/?>/);
      expect(trap, page.text.slice(0, 200)).not.toBeNull();
      const input = trap![2]!;
      expect(input).toContain(`id="${trap![1]}"`);
      expect(input).toContain('name="website"');
      expect(input).toContain('tabindex="-1"');
      expect(input.toLowerCase()).toContain('autocomplete="off"');
      expect(input).toContain('value=""');
    }
  });

  it("answers a robot's registration as if it had worked, and writes nothing", async () => {
    const email = `${uniqueSlug("bot")}@example.com`;
    const robot = new Browser(store.host);
    const res = await robot.post("/register", registration(email, "http://spam.example"));
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain(`Check your email We sent a message to ${email}.`);
    expect(robot.cookies.has("covera_session")).toBe(false);
    expect(await usersWith(store.id, email)).toEqual([]);
    expect(await messagesTo(store.id, email)).toEqual([]);

    // A person leaves it empty, and registers.
    const person = `${uniqueSlug("person")}@example.com`;
    expect((await new Browser(store.host).post("/register", registration(person, ""))).status).toBe(200);
    expect(await usersWith(store.id, person)).toHaveLength(1);
  });

  it("answers a robot's password reset request as if it had worked, and sends nothing", async () => {
    const customer = await createUser(store.id);
    const res = await new Browser(store.host).post("/forgot-password", { email: customer.email, website: "x" });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("Check your email");
    expect(await messagesTo(store.id, customer.email)).toEqual([]);
  });

  it("answers a robot joining through a referral link as if it had worked, and writes nothing", async () => {
    const email = `${uniqueSlug("bot")}@example.com`;
    const res = await new Browser(`${network.slug}.localhost`).post(`/join/${sponsor.referralCode}`, {
      ...registration(email, "buy now"),
      phone: "+60 12-345 6789",
    });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("Check your email");
    expect(await usersWith(network.id, email)).toEqual([]);
  });

  it("refuses a robot's quote and review with a plain message, and saves neither", async () => {
    const anonymous = new Browser(store.host);
    const before = await quoteCount(store.id);
    const robot = await anonymous.post("/products/home-cover/quote", { intent: "quote", website: "http://spam.example" });
    expect(robot.status).toBe(400);
    expect(textOf(robot.text)).toContain("We could not take this request. Please try again.");
    expect(await quoteCount(store.id)).toBe(before);
    // The same form as a person sends it is priced and saved.
    expect((await anonymous.post("/products/home-cover/quote", { intent: "quote", website: "" })).status).toBe(302);
    expect(await quoteCount(store.id)).toBe(before + 1);

    const browser = await signIn(store.host, holder.email);
    const review = await browser.post(`/account/policies/${policy.policyId}/review`, {
      rating: "5",
      title: "Great",
      body: "Cheap pills",
      website: "http://spam.example",
    });
    expect(review.status).toBe(400);
    expect(textOf(review.text)).toContain("We could not take this request. Please try again.");
    const reviews = await ownerDb().selectFrom("reviews").select("id").where("tenant_id", "=", store.id).execute();
    expect(reviews).toEqual([]);
  });
});
