import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { hibahGold270, motorComprehensive } from "~/modules/rating/examples";
import { createTenant, createUser, ownerDb, uniqueSlug } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";

/**
 * The catalogue back office over real HTTP: admins add and change insurers, categories and
 * products; staff only look; customers and other agencies get nothing. Every agency here is
 * fresh (no levies), so prices are the engine's premium alone.
 */

type Tenant = { id: string; slug: string; name: string };
let tenant: Tenant;
let other: Tenant;
let asAdmin: Browser;
let asStaff: Browser;
let asCustomer: Browser;
let fixture: { categoryId: string; insurerId: string; productId: string; productSlug: string };
let foreign: { categoryId: string; insurerId: string; productId: string; productSlug: string };

const year = new Date().getFullYear();
const motorSample = {
  vehicleValue: 200_000_000,
  yearOfManufacture: year - 3,
  use: "private",
  excessProtector: false,
  politicalViolence: false,
};

/** A category, an insurer and a product, written straight into a tenant's tables. */
async function catalogueFor(tenantId: string, prefix: string) {
  return withTenant(tenantId, async (db) => {
    const category = await db
      .insertInto("categories")
      .values({ slug: `${prefix}-motor`, name: "Motor" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const insurer = await db
      .insertInto("insurers")
      .values({ slug: `${prefix}-jubilee`, name: "Jubilee", commission_rate_bp: 1000 })
      .returning("id")
      .executeTakeFirstOrThrow();
    const productSlug = `${prefix}-motor-plus`;
    const product = await db
      .insertInto("products")
      .values({
        slug: productSlug,
        category_id: category.id,
        insurer_id: insurer.id,
        name: `${prefix} Motor Plus`,
        summary: "Comprehensive motor cover.",
        rating: JSON.stringify(motorComprehensive),
        sample_input: JSON.stringify(motorSample),
        starting_price_minor: 8_000_000,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { categoryId: category.id, insurerId: insurer.id, productId: product.id, productSlug };
  });
}

async function productRow(tenantId: string, where: { id?: string; slug?: string }) {
  let q = ownerDb().selectFrom("products").selectAll().where("tenant_id", "=", tenantId);
  if (where.id) q = q.where("id", "=", where.id);
  if (where.slug) q = q.where("slug", "=", where.slug);
  return q.executeTakeFirst();
}

/** Every field of the product form, as a browser posts it; override what a test is about. */
function productFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "save",
    categoryId: fixture.categoryId,
    insurerId: fixture.insurerId,
    name: "Motor Comprehensive Gold",
    slug: "",
    summary: "Full cover for your car, with a courtesy car.",
    description: "Covers accidents, fire and theft.",
    coverage: "Own damage: Market value\nThird party property: KES 5,000,000",
    features: "Courtesy car for 10 days\n24-hour rescue",
    inclusions: "Windscreen\nRadio",
    exclusions: "Racing\nDrunk driving",
    waitingPeriodDays: "0",
    maxCover: "30,000,000",
    requiresUnderwriting: "on",
    featured: "on",
    active: "on",
    rating: JSON.stringify(motorComprehensive, null, 2),
    sampleInput: JSON.stringify(motorSample),
    ...overrides,
  };
}

beforeAll(async () => {
  tenant = await createTenant();
  other = await createTenant();
  const admin = await createUser(tenant.id, { roles: ["admin"], email: `${uniqueSlug("catadmin")}@example.com` });
  const staff = await createUser(tenant.id, { roles: ["staff"] });
  const customer = await createUser(tenant.id, { roles: ["customer"] });
  fixture = await catalogueFor(tenant.id, "own");
  foreign = await catalogueFor(other.id, "far");
  [asAdmin, asStaff, asCustomer] = await Promise.all([
    signIn(hostOf(tenant), admin.email),
    signIn(hostOf(tenant), staff.email),
    signIn(hostOf(tenant), customer.email),
  ]);
});

describe("catalogue permissions", () => {
  const pages = () => [
    "/admin/catalogue",
    "/admin/catalogue/products",
    `/admin/catalogue/products/${fixture.productId}`,
    "/admin/catalogue/insurers",
    `/admin/catalogue/insurers/${fixture.insurerId}`,
    "/admin/catalogue/categories",
    `/admin/catalogue/categories/${fixture.categoryId}`,
    "/admin/catalogue/import.csv",
  ];

  it("sends anonymous visitors to sign in and refuses customers with 403, reading or writing", async () => {
    for (const path of [...pages(), "/admin/catalogue/products/new", "/admin/catalogue/import"]) {
      const anonymous = await new Browser(hostOf(tenant)).get(path);
      expect(anonymous.status, path).toBe(302);
      expect(anonymous.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
      expect((await asCustomer.get(path)).status, path).toBe(403);
    }
    expect((await asCustomer.post("/admin/catalogue/insurers", { intent: "save", name: "Sneaky", commissionRate: "1" })).status).toBe(403);
    expect((await asCustomer.post(`/admin/catalogue/products/${fixture.productId}`, { intent: "deactivate" })).status).toBe(403);
    expect((await productRow(tenant.id, { id: fixture.productId }))?.active).toBe(true);
  });

  it("lets staff read the catalogue but change nothing", async () => {
    const overview = await asStaff.get("/admin");
    expect(textOf(overview.text)).toContain("Catalogue");
    for (const path of pages()) expect((await asStaff.get(path)).status, path).toBe(200);
    const detail = await asStaff.get(`/admin/catalogue/products/${fixture.productId}`);
    expect(textOf(detail.text)).toContain("own Motor Plus");
    expect(detail.text).not.toContain("Save changes");
    expect(detail.text).not.toContain("Deactivate this product");
    expect((await asStaff.get("/admin/catalogue/products/new")).status).toBe(403);
    expect((await asStaff.get("/admin/catalogue/import")).status).toBe(403);

    const writes = [
      asStaff.post("/admin/catalogue/insurers", { intent: "save", name: "Staff Insurer", commissionRate: "5" }),
      asStaff.post("/admin/catalogue/categories", { intent: "save", name: "Staff Category" }),
      asStaff.post("/admin/catalogue/products/new", productFields({ name: "Staff Product" })),
      asStaff.post(`/admin/catalogue/products/${fixture.productId}`, { intent: "deactivate" }),
      asStaff.post(`/admin/catalogue/insurers/${fixture.insurerId}`, { intent: "deactivate" }),
      asStaff.post(`/admin/catalogue/categories/${fixture.categoryId}`, { intent: "deactivate" }),
    ];
    for (const res of await Promise.all(writes)) expect(res.status).toBe(403);
    const names = await ownerDb()
      .selectFrom("insurers")
      .select("name")
      .where("tenant_id", "=", tenant.id)
      .where("name", "in", ["Staff Insurer"])
      .execute();
    expect(names).toEqual([]);
    expect(await productRow(tenant.id, { slug: "staff-product" })).toBeUndefined();
    expect((await productRow(tenant.id, { id: fixture.productId }))?.active).toBe(true);
  });
});

describe("catalogue and other agencies", () => {
  it("answers 404 for another agency's ids and for malformed ids, reading or writing", async () => {
    const paths = [
      `/admin/catalogue/products/${foreign.productId}`,
      `/admin/catalogue/insurers/${foreign.insurerId}`,
      `/admin/catalogue/categories/${foreign.categoryId}`,
      "/admin/catalogue/products/not-a-uuid",
      "/admin/catalogue/insurers/123",
      "/admin/catalogue/categories/%27%3B--",
    ];
    for (const path of paths) {
      expect((await asAdmin.get(path)).status, path).toBe(404);
      expect((await asAdmin.post(path, { intent: "deactivate" })).status, path).toBe(404);
    }
    const save = await asAdmin.post(`/admin/catalogue/products/${foreign.productId}`, productFields({ name: "Hijacked" }));
    expect(save.status).toBe(404);
    const theirs = await productRow(other.id, { id: foreign.productId });
    expect(theirs).toMatchObject({ active: true, name: "far Motor Plus" });
    const insurer = await ownerDb().selectFrom("insurers").select("active").where("id", "=", foreign.insurerId).executeTakeFirstOrThrow();
    expect(insurer.active).toBe(true);
  });

  it("refuses another agency's category and insurer in the product form as field errors, not a 500", async () => {
    const res = await asAdmin.post(
      "/admin/catalogue/products/new",
      productFields({ name: "Cross Tenant", categoryId: foreign.categoryId, insurerId: foreign.insurerId }),
    );
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain("Choose one of your categories.");
    expect(text).toContain("Choose one of your insurers.");
    expect(await productRow(tenant.id, { slug: "cross-tenant" })).toBeUndefined();
  });

  it("answers a field sent twice with a field error and a form that selects one choice", async () => {
    const res = await asAdmin.post("/admin/catalogue/products/new", {
      ...productFields({ name: "Twice Sent" }),
      categoryId: [fixture.categoryId, foreign.categoryId],
    });
    expect(res.status).toBe(400);
    const select = /<select[^>]*name="categoryId"[^>]*>[\s\S]*?<\/select>/.exec(res.text)?.[0] ?? "";
    expect(select).not.toBe("");
    expect(select.match(/<option[^>]*selected/g) ?? []).toHaveLength(1);
    expect(await productRow(tenant.id, { slug: "twice-sent" })).toBeUndefined();
  });

  it("lists only this agency's catalogue", async () => {
    const [products, insurers, categories] = await Promise.all([
      asAdmin.get("/admin/catalogue/products"),
      asAdmin.get("/admin/catalogue/insurers"),
      asAdmin.get("/admin/catalogue/categories"),
    ]);
    expect(products.text).toContain(fixture.productId);
    expect(products.text).not.toContain(foreign.productId);
    expect(insurers.text).toContain(fixture.insurerId);
    expect(insurers.text).not.toContain(foreign.insurerId);
    expect(categories.text).toContain(fixture.categoryId);
    expect(categories.text).not.toContain(foreign.categoryId);
    const template = await asAdmin.get("/admin/catalogue/import.csv");
    expect(template.text).toContain("own-motor");
    expect(template.text).not.toContain("far-");
  });
});

describe("insurers and categories", () => {
  it("adds an insurer with its commission in basis points, audited, and refuses a taken address", async () => {
    const res = await asAdmin.post("/admin/catalogue/insurers", {
      intent: "save",
      name: "Britam General",
      commissionRate: "12.5",
      rating: "4.5",
      contactEmail: "claims@britam.example",
    });
    expect(res.status).toBe(302);
    const id = res.location!.match(/\/admin\/catalogue\/insurers\/([0-9a-f-]{36})\?notice=created$/)![1]!;
    const row = await ownerDb().selectFrom("insurers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ tenant_id: tenant.id, slug: "britam-general", commission_rate_bp: 1250, active: true });
    expect(Number(row.rating)).toBe(4.5);
    expect(row.contact).toEqual({ email: "claims@britam.example" });
    expect(await auditRows(tenant.id, "catalogue.insurer_created", id)).toHaveLength(1);
    const page = textOf((await asAdmin.get(`/admin/catalogue/insurers/${id}?notice=created`)).text);
    expect(page).toContain("Insurer added.");

    const again = await asAdmin.post("/admin/catalogue/insurers", { intent: "save", name: "Britam  General", commissionRate: "10" });
    expect(again.status).toBe(400);
    expect(textOf(again.text)).toContain('The address "britam-general" is already used by Britam General.');
    // The typed values come back in the form: nothing is lost.
    expect(again.text).toContain('value="Britam  General"');
  });

  it("shows field errors for bad input and keeps what was typed", async () => {
    const res = await asAdmin.post("/admin/catalogue/insurers", {
      intent: "save",
      name: "Madison",
      commissionRate: "twelve",
      rating: "7",
      contactWebsite: "javascript:alert(1)",
      logoUrl: "//evil.example/logo.svg",
    });
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain("Give a percentage from 0 to 100 with at most two decimals, like 12.5.");
    expect(text).toContain("Give a number from 0 to 5, like 4.5.");
    expect(text).toContain("Enter a full address like https://insurer.co.ke.");
    expect(text).toContain("Give a path like /tenants/acme/jubilee.svg or an https:// address.");
    expect(res.text).toContain('value="twelve"');
    const found = await ownerDb()
      .selectFrom("insurers")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("name", "=", "Madison")
      .execute();
    expect(found).toEqual([]);
  });

  it("edits a category and records what changed", async () => {
    const res = await asAdmin.post("/admin/catalogue/categories", {
      intent: "save",
      name: "Home & Contents",
      icon: "home",
      displayOrder: "3",
    });
    expect(res.status).toBe(302);
    const id = res.location!.split("/").pop()!.split("?")[0]!;
    const created = await ownerDb().selectFrom("categories").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(created).toMatchObject({ slug: "home-and-contents", icon: "home", display_order: 3 });

    const edit = await asAdmin.post(`/admin/catalogue/categories/${id}`, {
      intent: "save",
      name: "Home",
      slug: "home-and-contents",
      icon: "home",
      displayOrder: "1",
      description: "Your house and what is in it.",
    });
    expect(edit.status).toBe(302);
    expect(edit.location).toBe(`/admin/catalogue/categories/${id}?notice=saved`);
    const [entry] = await auditRows(tenant.id, "catalogue.category_updated", id);
    expect((entry!.details as { changed: string[] }).changed.sort()).toEqual(["description", "display_order", "name"]);
  });
});

describe("products", () => {
  it("adds a product with every field, prices its sample input, and shows it on the storefront", async () => {
    const res = await asAdmin.post("/admin/catalogue/products/new", productFields());
    expect(res.status, textOf(res.text).slice(0, 600)).toBe(302);
    const id = res.location!.match(/products\/([0-9a-f-]{36})\?notice=created/)![1]!;
    const row = await productRow(tenant.id, { id });
    expect(row).toMatchObject({
      slug: "motor-comprehensive-gold",
      category_id: fixture.categoryId,
      insurer_id: fixture.insurerId,
      coverage: [
        { label: "Own damage", value: "Market value" },
        { label: "Third party property", value: "KES 5,000,000" },
      ],
      features: ["Courtesy car for 10 days", "24-hour rescue"],
      inclusions: ["Windscreen", "Radio"],
      exclusions: ["Racing", "Drunk driving"],
      waiting_period_days: 0,
      max_cover_minor: 3_000_000_000,
      requires_underwriting: true,
      featured: true,
      active: true,
      // KES 2,000,000 in the 1,000,001–2,500,000 band at 4%: KES 80,000 (no levies here).
      starting_price_minor: 8_000_000,
      sample_input: motorSample,
    });
    const [entry] = await auditRows(tenant.id, "catalogue.product_created", id);
    expect(entry!.details).toMatchObject({ slug: "motor-comprehensive-gold", via: "form" });

    // The "Done means": an admin adds a product and customers see it.
    const storefront = await new Browser(hostOf(tenant)).get("/products/motor-comprehensive-gold");
    expect(storefront.status).toBe(200);
    expect(textOf(storefront.text)).toContain("Motor Comprehensive Gold");
    const listing = await new Browser(hostOf(tenant)).get("/products?q=courtesy");
    expect(textOf(listing.text)).toContain("Motor Comprehensive Gold");
    // …and only on this agency's storefront.
    expect((await new Browser(hostOf(other)).get("/products/motor-comprehensive-gold")).status).toBe(404);
  });

  it("refuses a taken address as a field error and writes nothing", async () => {
    const before = await ownerDb().selectFrom("products").select("id").where("tenant_id", "=", tenant.id).execute();
    const res = await asAdmin.post("/admin/catalogue/products/new", productFields({ name: "Another", slug: fixture.productSlug }));
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain(`The address "${fixture.productSlug}" is already used by own Motor Plus.`);
    const after = await ownerDb().selectFrom("products").select("id").where("tenant_id", "=", tenant.id).execute();
    expect(after).toHaveLength(before.length);
  });

  it("shows the rating engine's problems and pricing errors on their fields", async () => {
    const notJson = await asAdmin.post("/admin/catalogue/products/new", productFields({ name: "Broken One", rating: "{ nope" }));
    expect(notJson.status).toBe(400);
    expect(textOf(notJson.text)).toContain("This is not valid JSON");

    const mixed = { ...hibahGold270, frequencies: { annual: { price: 180_000 }, monthly: { multiplierBp: 900 } } };
    const badRules = await asAdmin.post(
      "/admin/catalogue/products/new",
      productFields({ name: "Broken Two", rating: JSON.stringify(mixed), sampleInput: "{}" }),
    );
    expect(badRules.status).toBe(400);
    expect(textOf(badRules.text)).toContain("frequencies: give every frequency a price, or every frequency a multiplierBp — not a mix");

    const unpriced = await asAdmin.post(
      "/admin/catalogue/products/new",
      productFields({ name: "Broken Three", sampleInput: JSON.stringify({ ...motorSample, vehicleValue: 5 }) }),
    );
    expect(unpriced.status).toBe(400);
    expect(textOf(unpriced.text)).toMatch(/vehicleValue: .+/);

    const badMoney = await asAdmin.post("/admin/catalogue/products/new", productFields({ name: "Broken Four", maxCover: "-5" }));
    expect(badMoney.status).toBe(400);
    expect(textOf(badMoney.text)).toContain("The maximum cover cannot be negative.");
    for (const slug of ["broken-one", "broken-two", "broken-three", "broken-four"])
      expect(await productRow(tenant.id, { slug })).toBeUndefined();
  });

  it("re-prices the product from its sample input when it is edited, and audits the change", async () => {
    const created = await asAdmin.post("/admin/catalogue/products/new", productFields({ name: "Motor Silver", featured: "" }));
    const id = created.location!.match(/products\/([0-9a-f-]{36})/)![1]!;
    const edit = await asAdmin.post(
      `/admin/catalogue/products/${id}`,
      productFields({
        name: "Motor Silver",
        slug: "motor-silver",
        featured: "",
        sampleInput: JSON.stringify({ ...motorSample, vehicleValue: 300_000_000 }),
      }),
    );
    expect(edit.status, textOf(edit.text).slice(0, 600)).toBe(302);
    // KES 3,000,000 is over KES 2,500,000: 3.5% = KES 105,000.
    expect(await productRow(tenant.id, { id })).toMatchObject({ starting_price_minor: 10_500_000, featured: false });
    const [entry] = await auditRows(tenant.id, "catalogue.product_updated", id);
    expect((entry!.details as { changed: string[] }).changed.sort()).toEqual(["sample_input", "starting_price_minor"]);
  });

  it("copies an existing product's rules into the form", async () => {
    const page = await asAdmin.get(`/admin/catalogue/products/new?from=${fixture.productId}`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("copied from own Motor Plus");
    // The rating textarea holds the copied declaration (HTML-escaped JSON).
    expect(page.text).toContain("Comprehensive cover");
    expect(page.text).toContain("vehicleValue");
  });

  it("deactivates a product without deleting it, hiding it from the storefront until it is activated again", async () => {
    const created = await asAdmin.post("/admin/catalogue/products/new", productFields({ name: "Motor Bronze" }));
    const id = created.location!.match(/products\/([0-9a-f-]{36})/)![1]!;
    const visitor = new Browser(hostOf(tenant));
    expect((await visitor.get("/products/motor-bronze")).status).toBe(200);

    const off = await asAdmin.post(`/admin/catalogue/products/${id}`, { intent: "deactivate" });
    expect(off.status).toBe(302);
    expect(off.location).toBe(`/admin/catalogue/products/${id}?notice=deactivated`);
    expect(await productRow(tenant.id, { id })).toMatchObject({ active: false, name: "Motor Bronze" });
    expect((await visitor.get("/products/motor-bronze")).status).toBe(404);
    expect(textOf((await visitor.get("/products?q=bronze")).text)).not.toContain("Motor Bronze");
    expect(await auditRows(tenant.id, "catalogue.product_deactivated", id)).toHaveLength(1);

    expect((await asAdmin.post(`/admin/catalogue/products/${id}`, { intent: "activate" })).status).toBe(302);
    expect((await visitor.get("/products/motor-bronze")).status).toBe(200);
    expect(await auditRows(tenant.id, "catalogue.product_activated", id)).toHaveLength(1);
  });

  it("hides every product of a deactivated insurer or category, and shows them again when reactivated", async () => {
    const visitor = new Browser(hostOf(tenant));
    expect((await visitor.get(`/products/${fixture.productSlug}`)).status).toBe(200);
    for (const [kind, id] of [
      ["insurers", fixture.insurerId],
      ["categories", fixture.categoryId],
    ] as const) {
      expect((await asAdmin.post(`/admin/catalogue/${kind}/${id}`, { intent: "deactivate" })).status).toBe(302);
      expect((await visitor.get(`/products/${fixture.productSlug}`)).status, kind).toBe(404);
      // The product itself is untouched: still active, still there.
      expect(await productRow(tenant.id, { id: fixture.productId })).toMatchObject({ active: true });
      const admin = textOf((await asAdmin.get(`/admin/catalogue/products?q=${fixture.productSlug}`)).text);
      expect(admin).toContain(`Hidden: ${kind === "insurers" ? "insurer" : "category"} inactive`);
      expect((await asAdmin.post(`/admin/catalogue/${kind}/${id}`, { intent: "activate" })).status).toBe(302);
      expect((await visitor.get(`/products/${fixture.productSlug}`)).status, kind).toBe(200);
    }
    expect(await auditRows(tenant.id, "catalogue.insurer_deactivated", fixture.insurerId)).toHaveLength(1);
    expect(await auditRows(tenant.id, "catalogue.category_activated", fixture.categoryId)).toHaveLength(1);
  });

  it("filters the back-office list by status, category, insurer and name", async () => {
    const inactive = await asAdmin.post("/admin/catalogue/products/new", productFields({ name: "Motor Dormant", active: "" }));
    expect(inactive.status).toBe(302);
    const onlyInactive = textOf((await asAdmin.get("/admin/catalogue/products?status=inactive")).text);
    expect(onlyInactive).toContain("Motor Dormant");
    expect(onlyInactive).not.toContain("own Motor Plus");
    const byName = textOf((await asAdmin.get("/admin/catalogue/products?q=dormant")).text);
    expect(byName).toContain("1 product matches these filters.");
    const byInsurer = textOf((await asAdmin.get(`/admin/catalogue/products?insurer=${fixture.insurerId}&q=own`)).text);
    expect(byInsurer).toContain("own Motor Plus");
    // A filter value from another agency or a malformed one matches nothing or is ignored, never a 500.
    expect((await asAdmin.get(`/admin/catalogue/products?category=${foreign.categoryId}`)).status).toBe(200);
    expect((await asAdmin.get("/admin/catalogue/products?category=nope&status=weird")).status).toBe(200);
  });
});
