import { describe, expect, it } from "vitest";
import { changedColumns, facilityCsvRow, FACILITY_CSV_COLUMNS, parseFacilityRow, uninert } from "./csv";
import type { FacilityRecord } from "./schemas";

const header = [...FACILITY_CSV_COLUMNS];
const existing: FacilityRecord = {
  name: "Ipoh Specialist Hospital",
  kind: "hospital",
  address: "26 Jalan Raja Dihilir",
  city: "Ipoh",
  state: "Perak",
  postcode: "30350",
  phone: "+60 5-241 8777",
  email: "admissions@ipohspecialist.demo",
  panel: true,
  services: ["Inpatient", "Dialysis"],
  status: "active",
};

describe("parseFacilityRow", () => {
  it("reads a full row: kind and status in any case, panel as yes/no, services split on |", () => {
    const cells = [
      "Kinta Medical Centre",
      "Hospital",
      "1 Jalan Chung Thye Phin",
      "Ipoh",
      "Perak",
      "30250",
      "+60 5-242 5500",
      "info@kintamedical.demo",
      "No",
      "Inpatient | Paediatrics||Health screening ",
      "INACTIVE",
    ];
    expect(parseFacilityRow(header, cells)).toEqual({
      ok: true,
      facility: {
        name: "Kinta Medical Centre",
        kind: "hospital",
        address: "1 Jalan Chung Thye Phin",
        city: "Ipoh",
        state: "Perak",
        postcode: "30250",
        phone: "+60 5-242 5500",
        email: "info@kintamedical.demo",
        panel: false,
        services: ["Inpatient", "Paediatrics", "Health screening"],
        status: "inactive",
      },
    });
  });

  it("gives a new facility's defaults for empty panel and status and for columns left out", () => {
    const parsed = parseFacilityRow(
      ["name", "city", "state", "kind", "panel", "status"],
      ["Klinik Baru", "Ipoh", "Perak", "clinic", "", ""],
    );
    expect(parsed).toEqual({
      ok: true,
      facility: {
        name: "Klinik Baru",
        kind: "clinic",
        address: "",
        city: "Ipoh",
        state: "Perak",
        postcode: "",
        phone: "",
        email: "",
        panel: true,
        services: [],
        status: "active",
      },
    });
  });

  it("keeps the matched facility's values for columns the file leaves out, and clears those it gives empty", () => {
    const parsed = parseFacilityRow(["name", "city", "phone", "email"], ["Ipoh Specialist Hospital", "Ipoh", "05-241 9999", ""], existing);
    expect(parsed.ok && parsed.facility).toEqual({ ...existing, phone: "05-241 9999", email: "" });
    expect(parsed.ok && changedColumns(existing, parsed.facility)).toEqual(["phone", "email"]);
  });

  it("names every problem of a row with its column, not only the first", () => {
    const parsed = parseFacilityRow(header, ["", "pharmacy", "", "Ipoh", "", "30350", "call us", "not-an-email", "maybe", "", "closed"]);
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems;
    expect(Object.fromEntries(problems.map((p) => [p.field, p.message]))).toEqual({
      name: "Enter the facility's name.",
      kind: "Choose hospital or clinic.",
      state: "Enter the state or county.",
      phone: "Enter a phone number in digits, for example +60 3-2296 0888.",
      email: "Enter an email address like admissions@hospital.com.",
      panel: "Use yes or no.",
      status: "Use active or inactive.",
    });
  });

  it("refuses a required column emptied on an update, and text with control characters", () => {
    const emptied = parseFacilityRow(["name", "city", "state"], ["Ipoh Specialist Hospital", "Ipoh", ""], existing);
    expect(emptied).toEqual({ ok: false, problems: [{ field: "state", message: "Enter the state or county." }] });
    const nul = parseFacilityRow(["name", "city", "address"], ["Ipoh Specialist Hospital", "Ipoh", "Jalan\u0000Raja"], existing);
    expect(nul.ok ? [] : nul.problems.map((p) => p.field)).toEqual(["address"]);
  });

  it("says which service is too long, by its place in the list", () => {
    const parsed = parseFacilityRow(
      ["name", "city", "services"],
      ["Ipoh Specialist Hospital", "Ipoh", `Inpatient|${"x".repeat(301)}`],
      existing,
    );
    expect(parsed).toEqual({
      ok: false,
      problems: [{ field: "services", message: "item 2: Keep each service under 300 characters." }],
    });
  });

  it("refuses a row whose cells do not line up with the header", () => {
    expect(parseFacilityRow(["name", "city"], ["Only a name"])).toEqual({
      ok: false,
      problems: [{ field: "row", message: "has 1 cells but the first row names 2 columns" }],
    });
  });

  it("reads back what the export wrote, the formula guard on a phone number included", () => {
    // The export's csvCell writes "+60 …" as "'+60 …" so a spreadsheet does not treat it as a formula.
    const exported = facilityCsvRow(existing).map((cell) => (/^[=+\-@]/.test(cell) ? `'${cell}` : cell));
    expect(exported[FACILITY_CSV_COLUMNS.indexOf("phone")]).toBe("'+60 5-241 8777");
    expect(parseFacilityRow(header, exported, existing)).toEqual({ ok: true, facility: existing });
    expect(uninert("'=1+1")).toBe("=1+1");
    expect(uninert("'quoted on purpose")).toBe("'quoted on purpose");
  });
});
