import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { withTenant } from "~db/client";
import { hibahGold270, motorComprehensive, travel } from "~/modules/rating/examples";
import { createTenant, createUser, ownerDb } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";

/**
 * Bulk upload of products from CSV, over real HTTP as a browser posts a file: each row stands on
 * its own, the report names every row, good rows are saved and refused rows leave nothing.
 */

type Tenant = { id: string; slug: string; name: string };
let tenant: Tenant;
let other: Tenant;
let asAdmin: Browser;
let asStaff: Browser;

const year = new Date().getFullYear();
const motorSample = {
  vehicleValue: 200_000_000,
  yearOfManufacture: year - 3,
  use: "private",
  excessProtector: false,
  politicalViolence: false,
};

async function seedCatalogue(tenantId: string, extra: { category: string; insurer: string; product: string }) {
  await withTenant(tenantId, async (db) => {
    const motor = await db.insertInto("categories").values({ slug: "motor", name: "Motor" }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("categories").values({ slug: extra.category, name: "Extra" }).execute();
    const jubilee = await db
      .insertInto("insurers")
      .values({ slug: "jubilee", name: "Jubilee", commission_rate_bp: 1000 })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("insurers").values({ slug: extra.insurer, name: "Extra insurer" }).execute();
    for (const slug of ["existing-cover", extra.product]) {
      await db
        .insertInto("products")
        .values({
          slug,
          category_id: motor.id,
          insurer_id: jubilee.id,
          name: `Product ${slug}`,
          summary: "Already here.",
          features: JSON.stringify(["Old feature"]),
          rating: JSON.stringify(motorComprehensive),
          sample_input: JSON.stringify(motorSample),
          starting_price_minor: 8_000_000,
        })
        .execute();
    }
  });
}

/** A file upload as a browser sends it: multipart/form-data from this host's own page. */
function upload(browser: Browser, content: string, filename = "products.csv"): Promise<HttpResponse> {
  const boundary = `----covera${Math.random().toString(36).slice(2)}`;
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n` +
    `${content}\r\n--${boundary}--\r\n`;
  return browser.send("POST", "/admin/catalogue/import", body, {
    "content-type": `multipart/form-data; boundary=${boundary}`,
    origin: browser.origin,
  });
}

/** The report table as [row, slug, result] text triples. */
function reportOf(html: string): [string, string, string][] {
  const table = html.match(/<table class="data import-report">([\s\S]*?)<\/table>/)?.[1] ?? "";
  return [
    ...table.matchAll(
      /<tr[^>]*>\s*<td data-label="Row">([\s\S]*?)<\/td><td data-label="Slug">([\s\S]*?)<\/td><td data-label="Result">([\s\S]*?)<\/td><\/tr>/g,
    ),
  ].map((m) => [textOf(m[1]!).trim(), textOf(m[2]!).trim(), textOf(m[3]!).trim()]);
}

const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const csv = (rows: string[][]) => rows.map((r) => r.map(cell).join(",")).join("\n") + "\n";

async function productsOf(tenantId: string) {
  return ownerDb().selectFrom("products").selectAll().where("tenant_id", "=", tenantId).orderBy("slug").execute();
}

beforeAll(async () => {
  tenant = await createTenant();
  other = await createTenant();
  await seedCatalogue(tenant.id, { category: "life", insurer: "britam", product: "term-life" });
  // The other agency has categories, insurers and products this one does not.
  await seedCatalogue(other.id, { category: "pets", insurer: "faraway", product: "their-secret-plan" });
  const admin = await createUser(tenant.id, { roles: ["admin"] });
  const staff = await createUser(tenant.id, { roles: ["staff"] });
  [asAdmin, asStaff] = await Promise.all([signIn(hostOf(tenant), admin.email), signIn(hostOf(tenant), staff.email)]);
});

describe("CSV import", () => {
  it("saves the good rows of a mixed file, refuses the bad ones with their reasons, and reports every row", async () => {
    const malformed = '{"frequencies": {"annual": {"price": 100}';
    let parseMessage = "";
    try {
      JSON.parse(malformed);
    } catch (error) {
      parseMessage = (error as Error).message;
    }
    const mixedFrequencies = { ...hibahGold270, frequencies: { annual: { price: 180_000 }, monthly: { multiplierBp: 900 } } };
    const header = [
      "slug",
      "name",
      "category",
      "insurer",
      "summary",
      "features",
      "featured",
      "active",
      "copy_rating_from",
      "rating_json",
      "sample_input_json",
      "price_annual",
      "price_monthly",
    ];
    const file = csv([
      header,
      [
        "hibah-gold",
        "Hibah Gold",
        "life",
        "britam",
        "Fixed contribution.",
        "Cash on death|No medical check",
        "yes",
        "",
        "",
        "",
        "",
        "1,800",
        "150.50",
      ],
      ["motor-copy", "Motor Copy", "motor", "jubilee", "Priced like the existing cover.", "", "", "", "existing-cover", "", "", "", ""],
      // Pretty-printed JSON: a quoted cell over several lines is still one row.
      [
        "travel-lite",
        "Travel Lite",
        "motor",
        "jubilee",
        "Trips abroad.",
        "",
        "",
        "false",
        "",
        JSON.stringify(travel, null, 2),
        JSON.stringify(travelSample()),
        "",
        "",
      ],
      ["existing-cover", "Existing Cover Renamed", "", "", "", "", "", "", "", "", "", "", ""],
      ["hibah-gold", "Hibah Gold Duplicate", "life", "britam", "Twice.", "", "", "", "", "", "", "999", ""],
      ["pet-cover", "Pet Cover", "pets", "jubilee", "For dogs.", "", "", "", "", "", "", "500", ""],
      ["broken-json", "Broken JSON", "motor", "jubilee", "Bad rules.", "", "", "", "", malformed, "{}", "", ""],
      ["negative-price", "Negative Price", "life", "britam", "Costs less than nothing.", "", "", "", "", "", "", "-100", ""],
      ["many-problems", "", "life", "nobody", "Several mistakes.", "", "maybe", "", "", "", "", "100", ""],
      [
        "mixed-rules",
        "Mixed Rules",
        "life",
        "britam",
        "Not a valid declaration.",
        "",
        "",
        "",
        "",
        JSON.stringify(mixedFrequencies),
        "{}",
        "",
        "",
      ],
      [
        "unpriced",
        "Unpriced",
        "motor",
        "jubilee",
        "Sample out of range.",
        "",
        "",
        "",
        "",
        JSON.stringify(motorComprehensive),
        JSON.stringify({ ...motorSample, vehicleValue: 5 }),
        "",
        "",
      ],
      [
        "copy-nothing",
        "Copy Nothing",
        "motor",
        "jubilee",
        "Copies a product that is not ours.",
        "",
        "",
        "",
        "their-secret-plan",
        "",
        "",
        "",
        "",
      ],
      ["two-sources", "Two Sources", "motor", "jubilee", "Says two things.", "", "", "", "existing-cover", "", "", "100", ""],
    ]);

    const res = await upload(asAdmin, file);
    expect(res.status, textOf(res.text).slice(0, 500)).toBe(200);
    const report = reportOf(res.text);
    const unpriced = report.find(([, slug]) => slug === "unpriced");
    expect(unpriced?.[2]).toMatch(/^Refused sample_input_json: vehicleValue: .+/);
    expect(report.filter(([, slug]) => slug !== "unpriced")).toEqual([
      ["2", "hibah-gold", "Created"],
      ["3", "motor-copy", "Created"],
      ["4", "travel-lite", "Created"],
      ["5", "existing-cover", "Updated"],
      ["6", "hibah-gold", 'Refused slug "hibah-gold" already appears on row 2'],
      ["7", "pet-cover", 'Refused no category "pets"'],
      ["8", "broken-json", `Refused rating_json is not valid JSON (${parseMessage})`],
      ["9", "negative-price", "Refused price_annual must not be negative"],
      ["10", "many-problems", 'Refused name is required for a new product; no insurer "nobody"; featured must be true or false'],
      [
        "11",
        "mixed-rules",
        "Refused rating_json: frequencies: give every frequency a price, or every frequency a multiplierBp — not a mix",
      ],
      ["13", "copy-nothing", 'Refused copy_rating_from: no product "their-secret-plan"'],
      [
        "14",
        "two-sources",
        "Refused give only one of copy_rating_from, rating_json or price_annual (this row gives copy_rating_from and price_annual)",
      ],
    ]);
    expect(textOf(res.text)).toContain("3 created · 1 updated · 9 refused");

    const saved = new Map((await productsOf(tenant.id)).map((p) => [p.slug, p]));
    expect([...saved.keys()].sort()).toEqual(["existing-cover", "hibah-gold", "motor-copy", "term-life", "travel-lite"]);
    // A fixed price per year and per month, in minor units; no inputs; levies as the agency's.
    expect(saved.get("hibah-gold")).toMatchObject({
      name: "Hibah Gold",
      features: ["Cash on death", "No medical check"],
      featured: true,
      active: true,
      rating: { priceLabel: "Hibah Gold", frequencies: { annual: { price: 180_000 }, monthly: { price: 15_050 } } },
      sample_input: {},
      starting_price_minor: 180_000,
    });
    expect(saved.get("motor-copy")).toMatchObject({
      rating: motorComprehensive,
      sample_input: motorSample,
      starting_price_minor: 8_000_000,
    });
    expect(saved.get("travel-lite")).toMatchObject({ active: false, rating: travel });
    // The update changed the name only: blank cells kept the rest.
    expect(saved.get("existing-cover")).toMatchObject({
      name: "Existing Cover Renamed",
      summary: "Already here.",
      features: ["Old feature"],
    });

    const created = await auditRows(tenant.id, "catalogue.product_created", saved.get("hibah-gold")!.id);
    expect(created[0]!.details).toMatchObject({ via: "import" });
    const [summary] = await auditRows(tenant.id, "catalogue.products_imported");
    expect(summary!.details).toMatchObject({ file: "products.csv", created: 3, updated: 1, refused: 9 });

    // The other agency's same-named product was not touched.
    const theirs = (await productsOf(other.id)).find((p) => p.slug === "existing-cover");
    expect(theirs?.name).toBe("Product existing-cover");
  });

  it("refuses a row with a control character in its text by the column, keeping the others", async () => {
    const file = csv([
      ["slug", "name", "category", "insurer", "summary", "price_annual"],
      ["with-nul", "With \u0000 inside", "motor", "jubilee", "Not storable.", "100"],
      ["with-tab", "Fine", "motor", "jubilee", "A\ttab.", "100"],
      ["plain-text", "Plain", "motor", "jubilee", "Fine.", "100"],
    ]);
    const report = reportOf((await upload(asAdmin, file)).text);
    expect(report.map(([, , result]) => result.split(" ")[0])).toEqual(["Refused", "Refused", "Created"]);
    expect(report[0]![2]).toContain("name: Use one line of plain text");
    expect(report[1]![2]).toContain("summary: Use one line of plain text");
    const slugs = (await productsOf(tenant.id)).map((p) => p.slug);
    expect(slugs).not.toContain("with-nul");
    expect(slugs).not.toContain("with-tab");
  });

  it("rolls back only the row the database refuses, keeping the rows before and after it", async () => {
    // A rule only the database knows (a constraint added for this test, on this tenant's rows only):
    // the insert fails inside the transaction, after the row passed every check. Its savepoint is
    // rolled back; the import carries on.
    const constraint = sql.raw(`refuse_${tenant.id.replace(/-/g, "_")}`);
    await sql`alter table products add constraint ${constraint} check (tenant_id <> ${sql.lit(tenant.id)}::uuid or name <> 'Refused by the database') not valid`.execute(
      ownerDb(),
    );
    try {
      const file = csv([
        ["slug", "name", "category", "insurer", "summary", "price_annual"],
        ["before-nul", "Before", "motor", "jubilee", "Fine.", "100"],
        ["with-nul", "Refused by the database", "motor", "jubilee", "Not storable.", "100"],
        ["after-nul", "After", "motor", "jubilee", "Fine too.", "100"],
      ]);
      const res = await upload(asAdmin, file);
      expect(res.status).toBe(200);
      const report = reportOf(res.text);
      expect(report.map(([row, slug]) => [row, slug])).toEqual([
        ["2", "before-nul"],
        ["3", "with-nul"],
        ["4", "after-nul"],
      ]);
      expect(report.map(([, , result]) => result.split(" ")[0])).toEqual(["Created", "Refused", "Created"]);
      expect(report[1]![2]).toMatch(/^Refused the database refused it: .*refuse_/);
    } finally {
      await sql`alter table products drop constraint ${constraint}`.execute(ownerDb());
    }
    const slugs = (await productsOf(tenant.id)).map((p) => p.slug);
    expect(slugs).toEqual(expect.arrayContaining(["before-nul", "after-nul"]));
    expect(slugs).not.toContain("with-nul");
    const audits = await ownerDb()
      .selectFrom("audit_log")
      .select("details")
      .where("tenant_id", "=", tenant.id)
      .where("action", "=", "catalogue.product_created")
      .execute();
    expect(audits.map((a) => (a.details as { slug: string }).slug)).not.toContain("with-nul");
  });

  it("imports its own template as it is downloaded", async () => {
    const template = await asAdmin.get("/admin/catalogue/import.csv");
    expect(template.status).toBe(200);
    expect(template.headers["content-type"]).toMatch(/^text\/csv/);
    expect(template.headers["content-disposition"]).toContain("attachment");
    const res = await upload(asAdmin, template.text, "template.csv");
    expect(reportOf(res.text)).toEqual([
      ["2", "example-fixed-price-plan", "Created"],
      ["3", "example-rated-plan", "Created"],
      ["4", "example-copied-plan", "Created"],
    ]);
    // The examples arrive inactive: nothing appears on the storefront by surprise.
    const examples = (await productsOf(tenant.id)).filter((p) => p.slug.startsWith("example-"));
    expect(examples.map((p) => p.active)).toEqual([false, false, false]);
    // Uploading the same file again updates the same products rather than adding more.
    const again = await upload(asAdmin, template.text, "template.csv");
    expect(reportOf(again.text).map(([, , result]) => result)).toEqual(["Updated", "Updated", "Updated"]);
  });

  it("refuses a file it cannot read as a whole, with a clear error and nothing written", async () => {
    const before = (await productsOf(tenant.id)).length;
    const cases: [string, number, string][] = [
      ["slug,name,catgory\nx,y,z\n", 400, 'Unknown column "catgory". The columns are: slug, name, category'],
      ["slug,name\n", 400, "The file has no products under its header row."],
      [
        `slug,name\n${Array.from({ length: 1001 }, (_, i) => `p-${i},P ${i}`).join("\n")}\n`,
        400,
        "The file has 1001 products; upload at most 1000 at a time.",
      ],
      ['slug,name\n"unclosed,quote\n', 400, "The file is not valid CSV"],
      // Refused from its length alone, and (just over the limit) by the upload's part limit.
      [`slug,description\nbig,${"x".repeat(1_100_000)}\n`, 413, "The file is larger than 1 MB."],
      [`slug,description\nbig,${"x".repeat(1_000_100)}\n`, 413, "The file is larger than 1 MB."],
      ["", 400, "Choose a CSV file to upload."],
    ];
    for (const [content, status, message] of cases) {
      const res = await upload(asAdmin, content);
      expect(res.status, message).toBe(status);
      expect(textOf(res.text)).toContain(message);
    }
    expect((await productsOf(tenant.id)).length).toBe(before);
    // The refusals were read to the end: the same connection serves the next page.
    expect((await asAdmin.get("/admin/catalogue/import")).status).toBe(200);
  });

  it("lets only catalogue managers upload", async () => {
    const res = await upload(asStaff, "slug,name,category,insurer,summary,price_annual\nstaff-plan,Staff Plan,motor,jubilee,Nope.,100\n");
    expect(res.status).toBe(403);
    const customer = await createUser(tenant.id, { roles: ["customer"] });
    const asCustomer = await signIn(hostOf(tenant), customer.email);
    expect((await upload(asCustomer, "slug\nx\n")).status).toBe(403);
    expect((await upload(new Browser(hostOf(tenant)), "slug\nx\n")).status).toBe(302);
    expect((await productsOf(tenant.id)).some((p) => p.slug === "staff-plan")).toBe(false);
  });
});

/** A week's trip a month from now, for two travellers in East Africa (the travel example's inputs). */
function travelSample() {
  const iso = (daysFromNow: number) => new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
  return { departureDate: iso(30), returnDate: iso(36), zone: "east_africa", travellers: 2 };
}
