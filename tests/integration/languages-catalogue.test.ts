/**
 * The catalogue, the facilities directory and the claim figures and settings in the person's
 * language (issue 14 item 7): a Bowman-like agency's administrator (en+sw) in Swahili, English
 * without a choice, and the public panel search in Swahili and in Malay (a KHHoldings-like agency).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Language } from "~db/schema";
import { withTenant } from "~db/client";
import { motorComprehensive } from "~/modules/rating/examples";
import { createTenant, createUser, uniqueSlug } from "../support/db";
import { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { addFacilities, facility } from "./facilities-support";
import { offer, setLanguage } from "./languages-support";

type Tenant = Awaited<ReturnType<typeof createTenant>>;

/** The `lng` cookie as the switcher leaves it (the cookie's own encoding, not the bare code). */
async function speaking(browser: Browser, language: Language): Promise<Browser> {
  await setLanguage(browser, language);
  return browser;
}

const langOf = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

let kenya: Tenant;
let malaysia: Tenant;
let adminEmail: string;
let productId: string;
let facilityId: string;

beforeAll(async () => {
  kenya = await createTenant();
  malaysia = await createTenant();
  await offer(kenya.id, ["en", "sw"]);
  await offer(malaysia.id, ["en", "ms"]);
  adminEmail = `${uniqueSlug("lugha")}@example.com`;
  await createUser(kenya.id, { roles: ["admin"], email: adminEmail });
  productId = await withTenant(kenya.id, async (db) => {
    const category = await db.insertInto("categories").values({ slug: "motor", name: "Motor" }).returning("id").executeTakeFirstOrThrow();
    const insurer = await db
      .insertInto("insurers")
      .values({ slug: "jubilee", name: "Jubilee", commission_rate_bp: 1000 })
      .returning("id")
      .executeTakeFirstOrThrow();
    const product = await db
      .insertInto("products")
      .values({
        slug: "motor-plus",
        category_id: category.id,
        insurer_id: insurer.id,
        name: "Motor Plus",
        summary: "Comprehensive motor cover.",
        rating: JSON.stringify(motorComprehensive),
        sample_input: JSON.stringify({}),
        starting_price_minor: 8_000_000,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return product.id;
  });
  const [kenyan] = await addFacilities(kenya.id, [
    facility({ name: "Nakuru Mission Hospital", city: "Nakuru", state: "Nakuru", phone: "+254 51 221 0000" }),
  ]);
  facilityId = kenyan!.id;
  await addFacilities(malaysia.id, [facility({ name: "Hospital Pakar Ipoh" }), facility({ name: "Klinik Desa", kind: "clinic" })]);
});

describe("the catalogue back office in the administrator's language", () => {
  it("shows the overview, products and insurers in Swahili, and the page title too", async () => {
    const browser = await speaking(await signIn(hostOf(kenya), adminEmail), "sw");
    const overview = await browser.get("/admin/catalogue");
    expect(overview.status).toBe(200);
    expect(langOf(overview.text)).toBe("sw");
    expect(overview.text).toContain("<title>Katalogi ·");
    const text = textOf(overview.text);
    for (const words of ["Ongeza bidhaa", "Bidhaa kwenye duka la mtandaoni", "Kampuni za bima zinazotumika", "Mabadiliko ya hivi karibuni"])
      expect(text).toContain(words);
    expect(text).not.toContain("Add a product");
    expect(text).not.toContain("Products on the storefront");

    const products = textOf((await browser.get("/admin/catalogue/products")).text);
    for (const words of ["Bidhaa 1.", "Kampuni zote za bima", "Kategoria zote", "Kuanzia (kwa mwaka)", "Inatumika", "Motor Plus"])
      expect(products).toContain(words);
    expect(products).not.toContain("All insurers");

    const insurers = textOf((await browser.get("/admin/catalogue/insurers")).text);
    for (const words of ["Kampuni za bima", "Ongeza kampuni ya bima", "Kamisheni", "Jina fupi la anwani", "Jubilee"])
      expect(insurers).toContain(words);
    expect(insurers).not.toContain("Add an insurer");
  });

  it("shows the product's edit page and its form errors in Swahili", async () => {
    const browser = await speaking(await signIn(hostOf(kenya), adminEmail), "sw");
    const page = textOf((await browser.get(`/admin/catalogue/products/${productId}`)).text);
    for (const words of ["Kanuni za bei", "Inahitaji tathmini ya bima", "Hifadhi mabadiliko", "Zima bidhaa hii", "makadirio 0 ya bei"])
      expect(page).toContain(words);
    expect(page).not.toContain("Price rules");
    expect(page).not.toContain("Save changes");

    const refused = await browser.post(`/admin/catalogue/products/${productId}`, {
      intent: "save",
      name: "",
      categoryId: "",
      insurerId: "",
      summary: "",
      rating: "",
      sampleInput: "{}",
    });
    expect(refused.status).toBe(400);
    const errors = textOf(refused.text);
    expect(errors).toContain("Weka jina la bidhaa.");
    expect(errors).toContain("Chagua kategoria.");
    expect(errors).not.toContain("Enter the product's name.");
  });

  it("stays in English for the same administrator without a choice", async () => {
    const browser = await signIn(hostOf(kenya), adminEmail);
    const text = textOf((await browser.get("/admin/catalogue")).text);
    expect(text).toContain("Add a product");
    expect(text).toContain("Products on the storefront");
    expect(text).not.toContain("Ongeza bidhaa");
  });
});

describe("the facilities directory and the claim pages in the administrator's language", () => {
  it("lists and shows facilities in Swahili", async () => {
    const browser = await speaking(await signIn(hostOf(kenya), adminEmail), "sw");
    const list = await browser.get("/admin/facilities");
    expect(list.text).toContain("<title>Hospitali na kliniki ·");
    const text = textOf(list.text);
    for (const words of ["Kituo 1 kwenye orodha yako.", "Ongeza kituo", "Pakua kama CSV", "Hospitali", "Kinatumika"])
      expect(text).toContain(words);
    expect(text).not.toContain("Add a facility");

    const detail = textOf((await browser.get(`/admin/facilities/${facilityId}`)).text);
    for (const words of ["bado hakuna dai linalokitaja", "Zima kituo hiki", "Anwani ya mtaa", "Hifadhi mabadiliko"])
      expect(detail).toContain(words);
    expect(detail).not.toContain("Street address");
  });

  it("shows the claims figures and the claim settings in Swahili", async () => {
    const browser = await speaking(await signIn(hostOf(kenya), adminEmail), "sw");
    const figures = await browser.get("/admin/claims/figures");
    expect(figures.status).toBe(200);
    const text = textOf(figures.text);
    for (const words of ["Takwimu za madai", "Hakuna madai yaliyo wazi.", "Muda wa kulipa", "Uwiano wa madai", "Sababu za kukataa"])
      expect(text).toContain(words);
    expect(text).not.toContain("Time to settle");

    const settings = textOf((await browser.get("/admin/claims/settings")).text);
    for (const words of ["Mipangilio ya madai", "Siku za kukata rufaa dhidi ya kukataliwa", "Hifadhi mipangilio ya madai"])
      expect(settings).toContain(words);
    expect(settings).not.toContain("Save claim settings");
  });
});

describe("the public panel search in the visitor's language", () => {
  it("searches Bowman-like panel hospitals in Swahili", async () => {
    const res = await new Browser(hostOf(kenya)).get("/facilities", { "Accept-Language": "sw" });
    expect(langOf(res.text)).toBe("sw");
    const text = textOf(res.text);
    for (const words of [
      "Hospitali na kliniki za mtandao",
      "Hospitali au kliniki 1 ya mtandao.",
      "Piga simu +254 51 221 0000",
      "Itafute kwenye ramani",
    ])
      expect(text).toContain(words);
    expect(text).not.toContain("Find it on a map");
  });

  it("searches KHHoldings-like panel hospitals in Malay", async () => {
    const res = await new Browser(hostOf(malaysia)).get("/facilities?kind=clinic", { "Accept-Language": "ms-MY,ms" });
    expect(langOf(res.text)).toBe("ms");
    const text = textOf(res.text);
    for (const words of [
      "Hospital dan klinik panel",
      "1 klinik panel sepadan dengan carian anda.",
      "Semua negeri",
      "Klinik Desa",
      "Cari di peta",
    ])
      expect(text).toContain(words);
    expect(text).not.toContain("Our panel only");
    expect(text).not.toContain("Hospital Pakar Ipoh");
  });
});
