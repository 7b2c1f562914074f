import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, createUser } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";
import { addFacilities, csv, facility, facilityRows, multipart } from "./facilities-support";

/**
 * The back office's directory of hospitals and clinics over real HTTP: claims managers and admins
 * add, edit, deactivate and upload facilities (every change audited, bad input refused by field,
 * nothing ever deleted); assessors and staff only read; customers and other agencies get nothing.
 */

type Tenant = { id: string; slug: string; name: string };
let tenant: Tenant;
let other: Tenant;
let asAdmin: Browser;
let asManager: Browser;
let asStaff: Browser;
let asCustomer: Browser;
let ipoh: string;
let foreign: string;

/** Every field of the facility form, as a browser posts it; override what a test is about. */
function form(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "save",
    name: "Kinta Valley Specialist Hospital",
    kind: "hospital",
    address: "1 Jalan Chung Thye Phin",
    city: "Ipoh",
    state: "Perak",
    postcode: "30250",
    phone: "+60 5-242 5500",
    email: "info@kintavalley.example",
    panel: "on",
    services: "24-hour emergency\nMaternity\n\nDialysis",
    ...overrides,
  };
}

/** The import report as [row, facility, result] text triples. */
function reportOf(html: string): [string, string, string][] {
  const table = html.match(/<table class="data import-report">([\s\S]*?)<\/table>/)?.[1] ?? "";
  return [
    ...table.matchAll(
      /<tr[^>]*>\s*<td data-label="Row">([\s\S]*?)<\/td><td data-label="Facility">([\s\S]*?)<\/td><td data-label="Result">([\s\S]*?)<\/td><\/tr>/g,
    ),
  ].map((m) => [textOf(m[1]!).trim(), textOf(m[2]!).trim(), textOf(m[3]!).trim()]);
}

/** The file the check step's page holds for "Apply", as the browser will post it back. */
function heldFile(html: string): string {
  const value = /<input type="hidden" name="csv" value="([^"]*)"/.exec(html)?.[1];
  expect(value, "the page holds the checked file").toBeDefined();
  return value!
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

beforeAll(async () => {
  tenant = await createTenant();
  other = await createTenant();
  const [admin, manager, staff, customer] = await Promise.all([
    createUser(tenant.id, { roles: ["admin"] }),
    createUser(tenant.id, { roles: ["claims_manager"] }),
    createUser(tenant.id, { roles: ["staff"] }),
    createUser(tenant.id, { roles: ["customer"] }),
  ]);
  [asAdmin, asManager, asStaff, asCustomer] = await Promise.all([
    signIn(hostOf(tenant), admin.email),
    signIn(hostOf(tenant), manager.email),
    signIn(hostOf(tenant), staff.email),
    signIn(hostOf(tenant), customer.email),
  ]);
  const rows = await addFacilities(tenant.id, [facility({ name: "Ipoh Specialist Hospital" })]);
  ipoh = rows[0]!.id;
  foreign = (await addFacilities(other.id, [facility({ name: "Their Secret Hospital" })]))[0]!.id;
});

describe("who reaches the directory's back office", () => {
  const pages = () => ["/admin/facilities", `/admin/facilities/${ipoh}`, "/admin/facilities.csv", "/admin/facilities/import.csv"];

  it("sends anonymous visitors to sign in and refuses customers with 403, reading or writing", async () => {
    for (const path of [...pages(), "/admin/facilities/new", "/admin/facilities/import"]) {
      const anonymous = await new Browser(hostOf(tenant)).get(path);
      expect(anonymous.status, path).toBe(302);
      expect(anonymous.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
      expect((await asCustomer.get(path)).status, path).toBe(403);
    }
    expect((await asCustomer.post("/admin/facilities/new", form({ name: "Sneaky Clinic" }))).status).toBe(403);
    expect((await asCustomer.post(`/admin/facilities/${ipoh}`, { intent: "deactivate" })).status).toBe(403);
    expect((await facilityRows(tenant.id)).map((f) => [f.name, f.status])).toEqual([["Ipoh Specialist Hospital", "active"]]);
  });

  it("lets staff read the directory and change nothing; the back office links to it", async () => {
    expect(textOf((await asStaff.get("/admin")).text)).toContain("Hospitals & clinics");
    for (const path of pages()) expect((await asStaff.get(path)).status, path).toBe(200);
    const detail = textOf((await asStaff.get(`/admin/facilities/${ipoh}`)).text);
    expect(detail).toContain("Ipoh Specialist Hospital");
    expect(detail).not.toContain("Save changes");
    expect(detail).not.toContain("Deactivate this facility");
    expect((await asStaff.get("/admin/facilities/new")).status).toBe(403);
    expect((await asStaff.post(`/admin/facilities/${ipoh}`, form({ name: "Renamed by staff" }))).status).toBe(403);
    expect((await multipart(asStaff, "/admin/facilities/import", { intent: "apply", csv: "name,city\nX,Y\n" })).status).toBe(403);
  });

  it("answers 404 for another agency's facility, reading or writing", async () => {
    expect((await asAdmin.get(`/admin/facilities/${foreign}`)).status).toBe(404);
    expect((await asAdmin.post(`/admin/facilities/${foreign}`, { intent: "deactivate" })).status).toBe(404);
    expect((await asAdmin.post(`/admin/facilities/${foreign}`, form({ name: "Hijacked" }))).status).toBe(404);
    expect((await asAdmin.get("/admin/facilities/not-a-uuid")).status).toBe(404);
    expect((await facilityRows(other.id)).map((f) => [f.name, f.status])).toEqual([["Their Secret Hospital", "active"]]);
  });
});

describe("adding and editing a facility", () => {
  it("adds a facility from the form, with services as a list, and audits it", async () => {
    const res = await asManager.post("/admin/facilities/new", form());
    expect(res.status, textOf(res.text).slice(0, 300)).toBe(302);
    const id = /^\/admin\/facilities\/([0-9a-f-]{36})\?notice=created$/.exec(res.location ?? "")?.[1];
    expect(id).toBeDefined();
    const row = (await facilityRows(tenant.id)).find((f) => f.id === id)!;
    expect(row).toMatchObject({
      name: "Kinta Valley Specialist Hospital",
      kind: "hospital",
      city: "Ipoh",
      state: "Perak",
      phone: "+60 5-242 5500",
      panel: true,
      services: ["24-hour emergency", "Maternity", "Dialysis"],
      status: "active",
    });
    const audits = await auditRows(tenant.id, "facility.created", id);
    expect(audits.map((a) => a.details)).toEqual([{ name: "Kinta Valley Specialist Hospital", city: "Ipoh", via: "form" }]);
    expect(textOf((await asManager.get(res.location!)).text)).toContain("Facility added.");
  });

  it("refuses bad input with a message by each field, and saves nothing", async () => {
    const before = (await facilityRows(tenant.id)).length;
    const res = await asAdmin.post(
      "/admin/facilities/new",
      form({ name: "", kind: "pharmacy", city: "", phone: "call the front desk", email: "not-an-email", postcode: "50<450" }),
    );
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    for (const message of [
      "Enter the facility's name.",
      "Choose hospital or clinic.",
      "Enter the city or town.",
      "Enter a phone number in digits, for example +60 3-2296 0888.",
      "Enter an email address like admissions@hospital.com.",
      "Use the postcode's letters and digits, like 50450 or 00100.",
    ])
      expect(text).toContain(message);
    // What was typed comes back to be corrected, not lost.
    expect(res.text).toContain('value="call the front desk"');
    const control = await asAdmin.post("/admin/facilities/new", form({ name: "Klinik\u0000Baru", services: "Ok\u0007" }));
    expect(control.status).toBe(400);
    expect(textOf(control.text)).toContain("Use one line of plain text");
    expect((await facilityRows(tenant.id)).length).toBe(before);
  });

  it("refuses a second facility of the same name in the same city, letter case aside", async () => {
    const res = await asAdmin.post("/admin/facilities/new", form({ name: "IPOH specialist hospital", city: "ipoh" }));
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('"Ipoh Specialist Hospital" in Ipoh is already in the directory.');
    // The same name in another city is another facility.
    const elsewhere = await asAdmin.post("/admin/facilities/new", form({ name: "Ipoh Specialist Hospital", city: "Taiping" }));
    expect(elsewhere.status).toBe(302);
  });

  it("saves an edit, audits what changed, and writes nothing when nothing changed", async () => {
    const id = (await facilityRows(tenant.id)).find((f) => f.name === "Kinta Valley Specialist Hospital")!.id;
    const edited = await asAdmin.post(`/admin/facilities/${id}`, form({ phone: "05-242 9999", panel: "" }));
    expect(edited.status).toBe(302);
    expect(edited.location).toBe(`/admin/facilities/${id}?notice=saved`);
    const row = (await facilityRows(tenant.id)).find((f) => f.id === id)!;
    expect([row.phone, row.panel]).toEqual(["05-242 9999", false]);
    expect((await auditRows(tenant.id, "facility.updated", id)).map((a) => (a.details as { changed: string[] }).changed)).toEqual([
      ["phone", "panel"],
    ]);
    const again = await asAdmin.post(`/admin/facilities/${id}`, form({ phone: "05-242 9999", panel: "" }));
    expect(again.location).toBe(`/admin/facilities/${id}?notice=unchanged`);
    expect(await auditRows(tenant.id, "facility.updated", id)).toHaveLength(1);
    // The page shows the change in its history (admins read the audit log).
    expect(textOf((await asAdmin.get(`/admin/facilities/${id}`)).text)).toContain("Edited a hospital or clinic: phone, panel");
  });

  it("deactivates and reactivates, never deletes", async () => {
    const deactivated = await asManager.post(`/admin/facilities/${ipoh}`, { intent: "deactivate" });
    expect(deactivated.location).toBe(`/admin/facilities/${ipoh}?notice=deactivated`);
    expect((await facilityRows(tenant.id)).find((f) => f.id === ipoh)?.status).toBe("inactive");
    expect((await asManager.post(`/admin/facilities/${ipoh}`, { intent: "delete" })).status).toBe(400);
    const reactivated = await asManager.post(`/admin/facilities/${ipoh}`, { intent: "activate" });
    expect(reactivated.location).toBe(`/admin/facilities/${ipoh}?notice=activated`);
    expect((await facilityRows(tenant.id)).find((f) => f.id === ipoh)?.status).toBe("active");
    expect(await auditRows(tenant.id, "facility.deactivated", ipoh)).toHaveLength(1);
    expect(await auditRows(tenant.id, "facility.activated", ipoh)).toHaveLength(1);
  });
});

describe("the list", () => {
  it("filters by state, city, type, panel, status and name from the URL, pages, and says what it ignored", async () => {
    const lister = await createTenant();
    const admin = await createUser(lister.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(lister), admin.email);
    await addFacilities(lister.id, [
      ...Array.from({ length: 27 }, (_, i) => facility({ name: `Klinik Ipoh ${String(i + 1).padStart(2, "0")}`, kind: "clinic" })),
      facility({ name: "Penang Adventist", city: "George Town", state: "Penang", panel: false }),
      facility({ name: "Closed Clinic", city: "George Town", state: "Penang", kind: "clinic", status: "inactive" }),
    ]);
    const names = (res: HttpResponse) =>
      [...res.text.matchAll(/<td data-label="Facility"><a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!.replace(/&#x27;/g, "'"));
    const first = await browser.get("/admin/facilities");
    expect(names(first)).toHaveLength(25);
    expect(textOf(first.text)).toContain("29 facilities in your directory");
    const second = await browser.get("/admin/facilities?page=2");
    expect(names(second)).toEqual(["Klinik Ipoh 25", "Klinik Ipoh 26", "Klinik Ipoh 27", "Penang Adventist"]);
    expect(names(await browser.get("/admin/facilities?state=penang"))).toEqual(["Closed Clinic", "Penang Adventist"]);
    expect(names(await browser.get("/admin/facilities?city=George+Town&kind=clinic"))).toEqual(["Closed Clinic"]);
    expect(names(await browser.get("/admin/facilities?panel=no"))).toEqual(["Penang Adventist"]);
    expect(names(await browser.get("/admin/facilities?status=inactive"))).toEqual(["Closed Clinic"]);
    expect(names(await browser.get("/admin/facilities?q=penang+adv"))).toEqual(["Penang Adventist"]);
    const odd = await browser.get("/admin/facilities?status=gone&q=penang");
    expect(odd.status).toBe(200);
    expect(textOf(odd.text)).toContain("Part of this search was ignored");
    expect(names(odd)).toEqual(["Closed Clinic", "Penang Adventist"]);
    // The export takes the same filters, in the import's columns; a bad one is refused before any byte.
    const exported = await browser.get("/admin/facilities.csv?state=Penang&panel=no");
    expect(exported.status).toBe(200);
    expect(exported.headers["content-type"]).toMatch(/^text\/csv/);
    expect(exported.text.replace(/^\uFEFF/, "").split("\r\n")).toEqual([
      "name,kind,address,city,state,postcode,phone,email,panel,services,status",
      "Penang Adventist,hospital,1 Jalan Contoh,George Town,Penang,30350,'+60 5-241 8777,,no,Inpatient,active",
      "",
    ]);
    expect((await browser.get("/admin/facilities.csv?kind=pharmacy")).status).toBe(400);
  });
});

describe("CSV import", () => {
  it("checks a file without saving anything, then applies its good rows and leaves the bad one out", async () => {
    const before = await facilityRows(tenant.id);
    const file = csv([
      ["name", "kind", "city", "state", "phone", "panel", "services"],
      ["Seri Manjung Medical Centre", "hospital", "Seri Manjung", "Perak", "+60 5-688 1000", "yes", "Inpatient|Maternity"],
      ["Ipoh Specialist Hospital", "hospital", "Ipoh", "Perak", "+60 5-241 0000", "yes", "Inpatient"],
      ["Klinik Bad Phone", "clinic", "Ipoh", "Perak", "ring ring", "perhaps", ""],
      ["Ipoh Specialist Hospital", "hospital", "Ipoh", "Perak", "+60 5-241 8777", "yes", "Inpatient"],
      ["Kinta Valley Specialist Hospital", "hospital", "Ipoh", "Perak", "05-242 9999", "no", "24-hour emergency|Maternity|Dialysis"],
    ]);
    const checked = await multipart(asAdmin, "/admin/facilities/import", { intent: "check" }, { name: "perak.csv", content: file });
    expect(checked.status).toBe(200);
    expect(reportOf(checked.text)).toEqual([
      ["2", "Seri Manjung Medical Centre, Seri Manjung", "Will be added"],
      ["3", "Ipoh Specialist Hospital, Ipoh", "Will be updated phone"],
      [
        "4",
        "Klinik Bad Phone, Ipoh",
        "Has problems panel: Use yes or no.; phone: Enter a phone number in digits, for example +60 3-2296 0888.",
      ],
      ["5", "Ipoh Specialist Hospital, Ipoh", 'Has problems name: "Ipoh Specialist Hospital" in Ipoh already appears on row 3'],
      ["6", "Kinta Valley Specialist Hospital, Ipoh", "No change"],
    ]);
    expect(textOf(checked.text)).toContain("1 to add · 1 to update · 1 unchanged · 2 with problems");
    expect(await facilityRows(tenant.id)).toEqual(before);

    const applied = await multipart(asAdmin, "/admin/facilities/import", {
      intent: "apply",
      filename: "perak.csv",
      csv: heldFile(checked.text),
    });
    expect(applied.status).toBe(200);
    expect(reportOf(applied.text).map(([row, , result]) => [row, result.split(" ")[0]])).toEqual([
      ["2", "Added"],
      ["3", "Updated"],
      ["4", "Not"],
      ["5", "Not"],
      ["6", "No"],
    ]);
    const after = await facilityRows(tenant.id);
    expect(after.find((f) => f.name === "Seri Manjung Medical Centre")).toMatchObject({
      services: ["Inpatient", "Maternity"],
      panel: true,
    });
    expect(after.find((f) => f.id === ipoh)?.phone).toBe("+60 5-241 0000");
    expect(after.some((f) => f.name === "Klinik Bad Phone")).toBe(false);
    expect(after).toHaveLength(before.length + 1);
    const imported = await auditRows(tenant.id, "facility.imported");
    expect(imported.map((a) => a.details)).toEqual([{ file: "perak.csv", created: 1, updated: 1, unchanged: 1, error: 2 }]);
    expect((await auditRows(tenant.id, "facility.updated", ipoh)).at(-1)?.details).toMatchObject({ changed: ["phone"], via: "import" });

    // The same file again changes nothing that was saved.
    const again = await multipart(asAdmin, "/admin/facilities/import", { intent: "apply", csv: file });
    expect(reportOf(again.text).map(([, , result]) => result.split(" ")[0])).toEqual(["No", "No", "Not", "Not", "No"]);
    expect((await facilityRows(tenant.id)).length).toBe(after.length);
  });

  it("round-trips the export and the template: downloaded, uploaded again, nothing to change", async () => {
    const exported = await asAdmin.get("/admin/facilities.csv");
    const checked = await multipart(asAdmin, "/admin/facilities/import", { intent: "check" }, { name: "all.csv", content: exported.text });
    const outcomes = reportOf(checked.text).map(([, , result]) => result);
    expect(outcomes.length).toBe((await facilityRows(tenant.id)).length);
    expect(new Set(outcomes)).toEqual(new Set(["No change"]));

    const template = await asAdmin.get("/admin/facilities/import.csv");
    expect(template.headers["content-disposition"]).toContain("attachment");
    const loaded = await multipart(
      asAdmin,
      "/admin/facilities/import",
      { intent: "apply" },
      { name: "template.csv", content: template.text },
    );
    expect(reportOf(loaded.text).map(([, , result]) => result)).toEqual(["Added", "Added"]);
    // The examples arrive inactive: nothing appears on the public page by surprise.
    const examples = (await facilityRows(tenant.id)).filter((f) => f.name.startsWith("Example "));
    expect(examples.map((f) => f.status)).toEqual(["inactive", "inactive"]);
  });

  it("refuses a file it cannot read as a whole, with a clear error and nothing written", async () => {
    const before = await facilityRows(tenant.id);
    const cases: [string, number, string][] = [
      ["name,city,colour\nx,y,z\n", 400, 'Unknown column "colour". The columns are: name, kind, address'],
      ["name,state\nx,y\n", 400, 'The first row must name the columns, including "name" and "city".'],
      ["name,city\n", 400, "The file has no facilities under its header row."],
      [`name,city\n${Array.from({ length: 2001 }, (_, i) => `F ${i},Ipoh`).join("\n")}\n`, 400, "upload at most 2000 at a time."],
      [`name,city,address\nbig,Ipoh,${"x".repeat(1_000_100)}\n`, 413, "The file is larger than 1 MB."],
      ["", 400, "Choose a CSV file to upload."],
    ];
    for (const [content, status, message] of cases) {
      const res = await multipart(asAdmin, "/admin/facilities/import", { intent: "check" }, { name: "bad.csv", content });
      expect(res.status, message).toBe(status);
      expect(textOf(res.text)).toContain(message);
    }
    expect(await facilityRows(tenant.id)).toEqual(before);
  });
});
