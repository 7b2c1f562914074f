import { describe, expect, it } from "vitest";
import type { Language } from "~db/schema";
import { createTenant, createUser, ownerDb, TEST_PASSWORD } from "../support/db";
import { Browser } from "../support/http";
import { hostOf, registrationForm, textOf } from "./accounts-support";

/**
 * The public side in the visitor's language (issue 14 item 7, decision 037): the storefront,
 * checkout and sign-in pages in English, Swahili and Malay, their form errors too, English for a
 * language the agency does not offer, and the account's language remembered at sign-in.
 */
async function agencySpeaking(languages: Language[]) {
  const tenant = await createTenant();
  await ownerDb().updateTable("tenants").set({ languages }).where("id", "=", tenant.id).execute();
  return { tenant, host: hostOf(tenant) };
}

/** The `lng` cookie as the switcher writes it (a Remix cookie: JSON, base64, URL-encoded). */
const lng = (language: Language) => encodeURIComponent(Buffer.from(JSON.stringify(language)).toString("base64"));

const langOf = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

describe("sign-in pages in the visitor's language", () => {
  it("shows the sign-in page in Swahili for lng=sw and Accept-Language: sw, and in English otherwise", async () => {
    const { host } = await agencySpeaking(["en", "sw"]);
    const byCookie = new Browser(host);
    byCookie.cookies.set("lng", lng("sw"));
    const sw = await byCookie.get("/login");
    expect(sw.status).toBe(200);
    expect(langOf(sw.text)).toBe("sw");
    expect(textOf(sw.text)).toContain("Umesahau nenosiri lako?");
    expect(sw.text).toContain("<title>Ingia ·");

    const byHeader = await new Browser(host).get("/register", { "Accept-Language": "sw-KE,sw;q=0.9,en;q=0.5" });
    expect(langOf(byHeader.text)).toBe("sw");
    expect(textOf(byHeader.text)).toContain("Fungua akaunti yako");

    const en = await new Browser(host).get("/login");
    expect(langOf(en.text)).toBe("en");
    expect(textOf(en.text)).toContain("Forgot your password?");
  });

  it("answers a language the agency does not offer in its default, English", async () => {
    const bowman = new Browser("bowman.localhost");
    bowman.cookies.set("lng", lng("ms"));
    const res = await bowman.get("/login", { "Accept-Language": "ms-MY,ms" });
    expect(langOf(res.text)).toBe("en");
    expect(textOf(res.text)).toContain("Forgot your password?");
    expect(textOf(res.text)).not.toContain("Lupa kata laluan?");
  });

  it("speaks Malay on KHHoldings", async () => {
    const res = await new Browser("khholdings.localhost").get("/forgot-password", { "Accept-Language": "ms" });
    expect(langOf(res.text)).toBe("ms");
    expect(textOf(res.text)).toContain("Tetapkan semula kata laluan anda");
  });

  it("gives a form's field errors in the visitor's language", async () => {
    const { host } = await agencySpeaking(["en", "sw"]);
    const browser = new Browser(host);
    browser.cookies.set("lng", lng("sw"));
    const empty = await browser.post("/login", { email: "", password: "" });
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Weka barua pepe yako");
    expect(textOf(empty.text)).toContain("Weka nenosiri lako");
    expect(textOf(empty.text)).not.toContain("Enter your email");

    const wrong = await browser.post("/login", { email: "nobody@example.com", password: "Wrong#pass1" });
    expect(textOf(wrong.text)).toContain("Barua pepe na nenosiri hivyo havilingani na akaunti yoyote hapa.");

    const mismatch = await browser.post("/register", registrationForm("juma@example.com", { confirmPassword: "Other#pass99" }));
    expect(textOf(mismatch.text)).toContain("Manenosiri mawili hayalingani");
  });
});

describe("the account's language", () => {
  it("sets the lng cookie from the account's language at sign-in, and none for an account without one", async () => {
    const { tenant, host } = await agencySpeaking(["en", "sw"]);
    const user = await createUser(tenant.id);
    await ownerDb().updateTable("users").set({ language: "sw" }).where("id", "=", user.id).execute();
    const browser = new Browser(host);
    const res = await browser.post("/login", { email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(302);
    expect(String(res.headers["set-cookie"])).toContain(`lng=${lng("sw")}`);
    const account = await browser.get("/account");
    expect(langOf(account.text)).toBe("sw");

    const other = await createUser(tenant.id);
    const plain = await new Browser(host).post("/login", { email: other.email, password: TEST_PASSWORD });
    expect(plain.status).toBe(302);
    expect(String(plain.headers["set-cookie"])).not.toMatch(/lng=/);
  });

  it("stores the language a person registered in on their account", async () => {
    const { tenant, host } = await agencySpeaking(["en", "sw"]);
    const browser = new Browser(host);
    browser.cookies.set("lng", lng("sw"));
    const email = `amani-${Date.now()}@example.com`;
    const res = await browser.post("/register", registrationForm(email));
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("Angalia barua pepe yako");
    const row = await ownerDb()
      .selectFrom("users")
      .select("language")
      .where("tenant_id", "=", tenant.id)
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    expect(row.language).toBe("sw");
  });
});

describe("the storefront in the visitor's language", () => {
  it("shows Bowman's home page in Swahili and KHHoldings' in Malay", async () => {
    const sw = await new Browser("bowman.localhost").get("/", { "Accept-Language": "sw" });
    expect(langOf(sw.text)).toBe("sw");
    expect(textOf(sw.text)).toContain("Jinsi inavyofanya kazi");
    expect(textOf(sw.text)).toContain("Kuanzia");
    const ms = await new Browser("khholdings.localhost").get("/", { "Accept-Language": "ms-MY" });
    expect(langOf(ms.text)).toBe("ms");
    expect(textOf(ms.text)).toContain("Cara ia berfungsi");
    const en = await new Browser("bowman.localhost").get("/");
    expect(textOf(en.text)).toContain("How it works");
  });
});

describe("products and the cart in the visitor's language", () => {
  it("shows the listing, a product page and the cart in Swahili on Bowman and Malay on KHHoldings", async () => {
    const sw = new Browser("bowman.localhost");
    const listing = await sw.get("/products", { "Accept-Language": "sw" });
    expect(textOf(listing.text)).toContain("Aina ya bima");
    const slug = /href="\/products\/([a-z0-9-]+)"/.exec(listing.text)?.[1];
    expect(slug).toBeTruthy();
    const product = await sw.get(`/products/${slug}`, { "Accept-Language": "sw" });
    expect(product.status).toBe(200);
    expect(textOf(product.text)).toContain("Maoni ya wateja");
    expect(textOf(product.text)).toContain("Pata makadirio yangu ya bei");
    expect(textOf((await sw.get("/cart", { "Accept-Language": "sw" })).text)).toContain("Kikapu chako hakina kitu.");

    const ms = new Browser("khholdings.localhost");
    expect(textOf((await ms.get("/products", { "Accept-Language": "ms" })).text)).toContain("Jenis perlindungan");
    expect(textOf((await ms.get("/cart", { "Accept-Language": "ms" })).text)).toContain("Troli anda kosong.");
  });

  it("shows a missing page's error in the visitor's language", async () => {
    const res = await new Browser("bowman.localhost").get("/products/no-such-product", { "Accept-Language": "sw" });
    expect(res.status).toBe(404);
    expect(textOf(res.text)).toContain("Ukurasa haukupatikana");
    const certificate = await new Browser("khholdings.localhost").get("/verify/ABCDEF0123456789ABCDEF01", { "Accept-Language": "ms" });
    expect(certificate.status).toBe(404);
    expect(textOf(certificate.text)).toContain("Kami tidak menemui sijil dengan kod ini");
  });
});
