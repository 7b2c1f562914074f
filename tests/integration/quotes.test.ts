import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { createQuote, getQuote } from "~/modules/quotes/quotes.server";
import { createUser, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { signIn, textOf } from "./accounts-support";
import {
  createStoreTenant,
  expectedPrice,
  expireQuote,
  motorForm,
  motorJson,
  quoteCount,
  quoteIdFrom,
  quoteRow,
  quoteTenant,
  quoteViaForm,
  YEAR,
  type StoreTenant,
} from "./quotes-support";

let tenant: StoreTenant;
let other: StoreTenant;

beforeAll(async () => {
  [tenant, other] = await Promise.all([createStoreTenant(), createStoreTenant({ quoteValidityDays: 7 })]);
});

// As textOf shows it: Intl may put a no-break space after the currency.
const money = (minor: number) => formatMoney(minor, "KES", "en-KE").replace(/\s+/g, " ");

describe("creating a quote from the form", () => {
  it("prices on the server, saves the quote and sends the customer to it", async () => {
    const browser = new Browser(tenant.host);
    const before = await ownerDb()
      .selectFrom("products")
      .select("quote_count")
      .where("tenant_id", "=", tenant.id)
      .where("slug", "=", "motor-comprehensive")
      .executeTakeFirstOrThrow();
    const id = await quoteViaForm(browser, "motor-comprehensive", motorForm("1,500,000", { excessProtector: "on", frequency: "monthly" }));

    const row = await quoteRow(id);
    const expected = expectedPrice("motor-comprehensive", { ...motorJson(), excessProtector: true });
    const monthly = expected.frequencies.find((f) => f.frequency === "monthly")!;
    expect(row.tenant_id).toBe(tenant.id);
    expect(row.reference).toMatch(new RegExp(`^TST-Q-${YEAR()}-\\d{6}$`));
    expect(row.inputs).toMatchObject({ vehicleValue: 150_000_000, use: "private", excessProtector: true, politicalViolence: false });
    expect(row.frequency).toBe("monthly");
    expect(row.premium_minor).toBe(expected.basePremium);
    expect(row.total_minor).toBe(monthly.annualEquivalent);
    expect(row.currency).toBe("KES");
    const breakdown = row.breakdown as typeof expected;
    expect(breakdown.lines.map((l) => l.code)).toContain("excess_protector");
    expect(breakdown.lines.reduce((s, l) => s + l.amount, 0)).toBe(breakdown.basePremium);
    expect(breakdown.basePremium + breakdown.levies.reduce((s, l) => s + l.amount, 0)).toBe(breakdown.total);

    const after = await ownerDb()
      .selectFrom("products")
      .select("quote_count")
      .where("tenant_id", "=", tenant.id)
      .where("slug", "=", "motor-comprehensive")
      .executeTakeFirstOrThrow();
    expect(after.quote_count).toBe(before.quote_count + 1);
  });

  it("emails a signed-in customer their saved quote, once a day per product; a visitor gets nothing", async () => {
    const customer = await createUser(tenant.id, { name: "Wanjiru Quote" });
    const saved = () =>
      withTenant(tenant.id, (db) =>
        db
          .selectFrom("messages")
          .select(["channel", "subject", "body_text", "link"])
          .where("user_id", "=", customer.id)
          .where("event", "=", "quote_saved")
          .orderBy("channel")
          .execute(),
      );
    const browser = await signIn(tenant.host, customer.email);
    const first = await quoteViaForm(browser, "motor-comprehensive", motorForm("1,500,000"));
    await quoteViaForm(browser, "motor-comprehensive", motorForm("1,600,000"));
    const messages = await saved();
    expect(messages.map((m) => m.channel)).toEqual(["email", "in_app"]);
    const quote = (await withTenant(tenant.id, (db) => getQuote(db, first)))!;
    expect(messages[0]!.subject).toContain(quote.productName);
    expect(messages[0]!.body_text).toContain(`/quotes/${first}`);
    expect(messages[0]!.body_text.replace(/\s+/g, " ")).toContain(money(quote.total));
    expect(messages[1]!.link).toBe(`/quotes/${first}`);

    const visitor = await quoteViaForm(new Browser(tenant.host), "motor-comprehensive", motorForm("1,500,000"));
    const sentForVisitor = await withTenant(tenant.id, (db) =>
      db.selectFrom("messages").select("id").where("event", "=", "quote_saved").where("link", "=", `/quotes/${visitor}`).execute(),
    );
    expect(sentForVisitor).toEqual([]);
  });

  it("keeps a quote valid for the agency's validity period: 30 days by default, 7 where the agency says so", async () => {
    const mine = await quoteViaForm(new Browser(tenant.host), "home-cover", { buildingValue: "8,000,000" });
    const theirs = await quoteViaForm(new Browser(other.host), "home-cover", { buildingValue: "8,000,000" });
    const days = async (id: string) =>
      (
        await ownerDb()
          .selectFrom("quotes")
          .select(sql<number>`extract(epoch from valid_until - created_at)`.as("seconds"))
          .where("id", "=", id)
          .executeTakeFirstOrThrow()
      ).seconds / 86_400;
    expect(Number(await days(mine))).toBe(30);
    expect(Number(await days(theirs))).toBe(7);
  });

  it("accepts the family rows left empty, and saves only the people named", async () => {
    const id = await quoteViaForm(new Browser(tenant.host), "family-medical", {
      inpatientLimit: "1m",
      "persons[0].role": "principal",
      "persons[0].age": "40",
      "persons[1].role": "spouse",
      "persons[1].age": "",
      "persons[2].role": "child",
      "persons[2].age": "5",
      "persons[3].role": "child",
      "persons[3].age": "",
    });
    const row = await quoteRow(id);
    expect(row.inputs).toMatchObject({
      persons: [
        { role: "principal", age: 40 },
        { role: "child", age: 5 },
      ],
    });
    expect(row.premium_minor).toBe(expectedPrice("family-medical", row.inputs).basePremium);
  });

  it("answers bad input with field errors on the page, keeps what was typed, and saves nothing", async () => {
    const browser = new Browser(tenant.host);
    const count = await quoteCount(tenant.id);
    const res = await browser.post("/products/motor-comprehensive/quote", motorForm("lots", { use: "", frequency: "fortnightly" }));
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain("Enter the vehicle value as an amount, like 1,500,000");
    expect(text).toContain("Choose the vehicle use");
    expect(text).toContain("Choose how often to pay");
    // The typed value is still in its field, marked invalid.
    expect(res.text).toMatch(/<input[^>]*name="vehicleValue"[^>]*value="lots"|<input[^>]*value="lots"[^>]*name="vehicleValue"/);
    expect(res.text).toMatch(/<input[^>]*aria-invalid="true"[^>]*name="vehicleValue"|name="vehicleValue"[^>]*aria-invalid="true"/);
    expect(await quoteCount(tenant.id)).toBe(count);
  });

  it("puts a person's error on the row the customer typed it in", async () => {
    const count = await quoteCount(tenant.id);
    const res = await new Browser(tenant.host).post("/products/family-medical/quote", {
      inpatientLimit: "1m",
      "persons[0].role": "principal",
      "persons[0].age": "40",
      "persons[1].role": "spouse",
      "persons[1].age": "",
      "persons[2].role": "child",
      "persons[2].age": "",
      "persons[3].role": "child",
      "persons[3].age": "30",
    });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("Age must be between 0 and 24 for a child");
    const row3 = res.text.match(/<input[^>]*name="persons\[3\]\.age"[^>]*>/)?.[0] ?? "";
    expect(row3).toContain('aria-invalid="true"');
    expect(row3).toContain('value="30"');
    expect(res.text.match(/<input[^>]*name="persons\[2\]\.age"[^>]*>/)?.[0]).not.toContain("aria-invalid");
    expect(await quoteCount(tenant.id)).toBe(count);
  });

  it("answers 404 for an unknown, inactive, malformed or other agency's product", async () => {
    const browser = new Browser(tenant.host);
    for (const slug of ["no-such-product", "retired-cover", "Bad%20Slug"]) {
      expect((await browser.get(`/products/${slug}/quote`)).status, slug).toBe(404);
      expect((await browser.post(`/products/${slug}/quote`, { buildingValue: "1000" })).status, slug).toBe(404);
    }
    // A product whose insurer stopped selling cannot be quoted either.
    const shop = await createStoreTenant();
    await ownerDb().updateTable("insurers").set({ active: false }).where("tenant_id", "=", shop.id).where("slug", "=", "mlima").execute();
    expect((await new Browser(shop.host).get("/products/family-medical/quote")).status).toBe(404);
    expect((await new Browser(shop.host).get("/products/home-cover/quote")).status).toBe(200);
    // Bowman's own product exists on Bowman's host only.
    expect((await new Browser("bowman.localhost").get("/products/zawadi-family-health/quote")).status).toBe(200);
    expect((await browser.get("/products/zawadi-family-health/quote")).status).toBe(404);
  });

  it("draws the form from the product's inputs, in major units, without JavaScript", async () => {
    const res = await new Browser(tenant.host).get("/products/family-medical/quote");
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<form[^>]*method="post"[^>]*action="\/products\/family-medical\/quote"/);
    expect(res.text).toContain('name="persons[0].role"');
    expect(res.text).toContain('name="persons[0].age"');
    // Principal and spouse, then one row per child the product allows.
    expect(res.text).toContain('name="persons[7].age"');
    expect(res.text).not.toContain('name="persons[8].age"');
    expect(textOf(res.text)).toContain("Leave empty if none");
    const motor = await new Browser(tenant.host).get("/products/motor-comprehensive/quote");
    expect(motor.text).toMatch(/<input[^>]*inputMode="decimal"[^>]*name="vehicleValue"|name="vehicleValue"[^>]*inputMode="decimal"/i);
    expect(textOf(motor.text)).toContain("Vehicle value (KES)");
  });
});

describe("references", () => {
  it("numbers each agency's quotes in its own series, without gaps or repeats", async () => {
    const a = await createStoreTenant();
    const b = await createStoreTenant();
    const refs = await withTenant(a.id, async (db) => {
      const out: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const r = await createQuote(db, quoteTenant(a), { productSlug: "home-cover", input: { buildingValue: 500_000_000 + i } });
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        out.push(r.quote.reference);
      }
      return out;
    });
    expect(refs).toEqual([1, 2, 3].map((n) => `TST-Q-${YEAR()}-${String(n).padStart(6, "0")}`));
    const first = await withTenant(b.id, (db) =>
      createQuote(db, quoteTenant(b), { productSlug: "home-cover", input: { buildingValue: 500_000_000 } }),
    );
    expect(first.ok && first.quote.reference).toBe(`TST-Q-${YEAR()}-000001`);
    // A refused quote takes no number.
    const refused = await withTenant(a.id, (db) =>
      createQuote(db, quoteTenant(a), { productSlug: "home-cover", input: { buildingValue: -5 } }),
    );
    expect(refused).toMatchObject({ ok: false, code: "invalid" });
    const next = await withTenant(a.id, (db) => createQuote(db, quoteTenant(a), { productSlug: "home-cover", input: {} }));
    expect(next.ok && next.quote.reference).toBe(`TST-Q-${YEAR()}-000004`);
  });

  it("refuses an unknown product and a frequency the product does not offer, as errors", async () => {
    await withTenant(tenant.id, async (db) => {
      expect(await createQuote(db, quoteTenant(tenant), { productSlug: "nope", input: {} })).toMatchObject({
        ok: false,
        code: "not_found",
      });
      const travel = await createQuote(db, quoteTenant(tenant), { productSlug: "travel-cover", input: {}, frequency: "monthly" });
      expect(travel.ok).toBe(false);
      if (!travel.ok) {
        expect(travel.errors.frequency).toEqual(["Choose how often to pay: Annually"]);
        expect(travel.errors.departureDate).toBeDefined();
      }
    });
  });
});

describe("reopening a quote by its link", () => {
  it("shows the reference, product, insurer, validity, and a breakdown that adds up", async () => {
    const id = await quoteViaForm(new Browser(tenant.host), "motor-comprehensive", motorForm("2,000,000", { frequency: "quarterly" }));
    const row = await quoteRow(id);
    // Someone else, with only the link.
    const res = await new Browser(tenant.host).get(`/quotes/${id}`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    const expected = expectedPrice("motor-comprehensive", motorJson(200_000_000));
    expect(text).toContain(row.reference);
    expect(text).toContain("Motor Comprehensive");
    expect(text).toContain("Savannah General");
    expect(text).toContain(`Valid until ${formatDate(row.valid_until, "en-KE", "Africa/Nairobi")}`);
    for (const line of [...expected.lines, ...expected.levies]) expect(text).toContain(`${line.label} ${money(line.amount)}`);
    expect(text).toContain(`Total for a year, paid at once ${money(expected.total)}`);
    const quarterly = expected.frequencies.find((f) => f.frequency === "quarterly")!;
    expect(text).toContain(`Quarterly Your choice 4 × ${money(quarterly.instalmentAmount)}`);
    expect(text).toContain("Add to cart");
    expect(res.text).toContain(`href="/products/motor-comprehensive/quote?from=${id}"`);
  });

  it("prefills 'change options' from the quote, in major units and with its frequency", async () => {
    const id = await quoteViaForm(
      new Browser(tenant.host),
      "motor-comprehensive",
      motorForm("2,345,000", { frequency: "quarterly", politicalViolence: "on" }),
    );
    const res = await new Browser(tenant.host).get(`/products/motor-comprehensive/quote?from=${id}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/name="vehicleValue"[^>]*value="2345000"|value="2345000"[^>]*name="vehicleValue"/);
    expect(res.text).toMatch(/<option value="quarterly" selected="">/);
    expect(res.text).toMatch(/<input[^>]*name="politicalViolence"[^>]*checked=""|checked=""[^>]*name="politicalViolence"/);
    // Another product's quote, or a malformed id, prefills nothing.
    expect((await new Browser(tenant.host).get(`/products/home-cover/quote?from=${id}`)).text).not.toContain("2345000");
    expect((await new Browser(tenant.host).get(`/products/motor-comprehensive/quote?from=x`)).status).toBe(200);
  });

  it("says so when a quote has expired, and gets a fresh one with the same inputs", async () => {
    const browser = new Browser(tenant.host);
    const id = await quoteViaForm(browser, "motor-comprehensive", motorForm("1,800,000", { frequency: "monthly" }));
    await expireQuote(id);
    const module = await withTenant(tenant.id, (db) => getQuote(db, id));
    expect(module?.expired).toBe(true);
    const page = await browser.get(`/quotes/${id}`);
    const text = textOf(page.text);
    expect(text).toContain("This quote expired on");
    expect(text).toContain("Get a fresh quote");
    expect(text).not.toContain("Add to cart");

    const res = await browser.post(`/quotes/${id}`, { intent: "refresh" });
    expect(res.status).toBe(302);
    const fresh = quoteIdFrom(res);
    expect(fresh).not.toBe(id);
    const [old, renewed] = [await quoteRow(id), await quoteRow(fresh)];
    expect(renewed.inputs).toEqual(old.inputs);
    expect(renewed.frequency).toBe("monthly");
    expect(renewed.reference).not.toBe(old.reference);
    expect(renewed.valid_until.getTime()).toBeGreaterThan(Date.now());
  });

  it("answers 404 for another agency's quote and for a malformed id, reading or posting", async () => {
    const theirs = await quoteViaForm(new Browser(other.host), "home-cover", { buildingValue: "3,000,000" });
    const reference = (await quoteRow(theirs)).reference;
    const browser = new Browser(tenant.host);
    for (const id of [theirs, "not-a-uuid", "00000000-0000-0000-0000-000000000000"]) {
      const res = await browser.get(`/quotes/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.text).not.toContain(reference);
      expect((await browser.post(`/quotes/${id}`, { intent: "add" })).status, id).toBe(404);
      expect((await browser.post(`/quotes/${id}`, { intent: "refresh" })).status, id).toBe(404);
    }
    expect(await withTenant(tenant.id, (db) => getQuote(db, theirs))).toBeUndefined();
  });
});
