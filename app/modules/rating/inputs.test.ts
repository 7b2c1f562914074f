import { parseWithZod } from "@conform-to/zod";
import { describe, expect, it } from "vitest";
import { describeInputs, inputSchemaFor, parseMajorToMinor, priceQuote, quoteDateIn, toMajorInput, toPlainObject } from "./index";
import { home, kenyaLevies, medicalFamily, motorComprehensive, roadTax, termLife, travel } from "./examples";

const KES = { currency: "KES", quoteDate: "2026-06-01", levies: kenyaLevies };

function errorsOf(declaration: unknown, input: unknown): Record<string, string[]> {
  const result = priceQuote(declaration, input, KES);
  if (result.ok) throw new Error("expected field errors, got a quote");
  return result.errors;
}

const motor = { vehicleValue: "2,000,000", yearOfManufacture: "2018", use: "private" };
const family = { inpatientLimit: "1m", persons: [{ role: "principal", age: "35" }] };

describe("bad inputs give field errors, never exceptions", () => {
  it("a negative value", () => {
    expect(errorsOf(motorComprehensive, { ...motor, vehicleValue: "-2000000" })).toEqual({
      vehicleValue: ["Vehicle value cannot be negative"],
    });
    expect(errorsOf(motorComprehensive, { ...motor, vehicleValue: -5 })).toEqual({ vehicleValue: ["Vehicle value cannot be negative"] });
  });

  it("a missing required field, with the declared or a default message", () => {
    expect(errorsOf(motorComprehensive, { ...motor, vehicleValue: "" })).toEqual({ vehicleValue: ["Enter the vehicle's value"] });
    expect(errorsOf(motorComprehensive, { vehicleValue: "2000000" })).toEqual({
      yearOfManufacture: ["Enter the year of manufacture"],
      use: ["Choose the vehicle use"],
    });
    expect(errorsOf(termLife, { sumAssured: "1000000" })).toEqual({ dateOfBirth: ["Enter the date of birth"] });
  });

  it("an unknown option", () => {
    expect(errorsOf(motorComprehensive, { ...motor, use: "taxi" })).toEqual({
      use: ["Choose one of: Private, Commercial (own goods), Ride-hailing (Uber, Bolt)"],
    });
    expect(errorsOf(medicalFamily, { ...family, inpatientLimit: "3m" })).toEqual({
      inpatientLimit: ["Choose one of: KES 500,000, KES 1,000,000, KES 2,000,000"],
    });
    expect(
      errorsOf(medicalFamily, {
        ...family,
        persons: [
          { role: "principal", age: 35 },
          { role: "parent", age: 60 },
        ],
      }),
    ).toEqual({
      "persons[1].role": ["Choose one of: Principal member, Spouse, Child"],
    });
  });

  it("an age out of band: a person, a date of birth, a year of manufacture", () => {
    expect(
      errorsOf(medicalFamily, {
        ...family,
        persons: [
          { role: "principal", age: 35 },
          { role: "child", age: 25 },
        ],
      }),
    ).toEqual({
      "persons[1].age": ["Age must be between 0 and 24 for a child"],
    });
    expect(errorsOf(medicalFamily, { ...family, persons: [{ role: "principal", age: 66 }] })).toEqual({
      "persons[0].age": ["Age must be between 18 and 65 for a principal member"],
    });
    // Born 1 January 1956 → 70 on the quote date
    expect(errorsOf(termLife, { dateOfBirth: "1956-01-01", sumAssured: "1000000" })).toEqual({
      dateOfBirth: ["Age must be between 18 and 65 years"],
    });
    expect(errorsOf(termLife, { dateOfBirth: "2010-01-01", sumAssured: "1000000" })).toEqual({
      dateOfBirth: ["Age must be between 18 and 65 years"],
    });
    expect(errorsOf(motorComprehensive, { ...motor, yearOfManufacture: "2005" })).toEqual({
      yearOfManufacture: ["Year of manufacture must be between 2006 and 2026"],
    });
  });

  it("too many spouses or children, no principal, too many people", () => {
    const spouses = [
      { role: "principal", age: 40 },
      { role: "spouse", age: 38 },
      { role: "spouse", age: 30 },
    ];
    expect(errorsOf(medicalFamily, { ...family, persons: spouses })).toEqual({ persons: ["Add no more than 1 spouse"] });
    const children = Array.from({ length: 7 }, (_, i) => ({ role: "child", age: i + 1 }));
    expect(errorsOf(medicalFamily, { ...family, persons: [{ role: "principal", age: 40 }, ...children] })).toEqual({
      persons: ["Add no more than 6 children"],
    });
    expect(errorsOf(medicalFamily, { ...family, persons: [{ role: "spouse", age: 38 }] })).toEqual({
      persons: ["Add the principal member"],
    });
    expect(errorsOf(medicalFamily, { ...family, persons: [] })).toEqual({ persons: ["Add the principal member"] });
    const nine = [{ role: "principal", age: 40 }, { role: "spouse", age: 38 }, ...children];
    expect(errorsOf(medicalFamily, { ...family, persons: nine }).persons).toEqual(["Add at most 8 people", "Add no more than 6 children"]);
  });

  it("a person row left empty gets its own messages", () => {
    expect(errorsOf(medicalFamily, { ...family, persons: [{ role: "principal", age: 40 }, {}] })).toEqual({
      "persons[1].role": ["Choose who this person is"],
      "persons[1].age": ["Enter the age"],
    });
    expect(errorsOf(medicalFamily, { ...family, persons: [{ role: "principal", age: "forty" }] })).toEqual({
      "persons[0].age": ["Enter the age as a whole number of years"],
    });
  });

  it("malformed numbers, dates, steps, bounds and patterns", () => {
    expect(errorsOf(motorComprehensive, { ...motor, vehicleValue: "two million" })).toEqual({
      vehicleValue: ["Enter the vehicle value as an amount, like 1,500,000"],
    });
    expect(errorsOf(motorComprehensive, { ...motor, vehicleValue: "2000000.555" })).toEqual({
      vehicleValue: ["Vehicle value can have at most 2 decimal places"],
    });
    expect(errorsOf(motorComprehensive, { ...motor, vehicleValue: "50,000" })).toEqual({
      vehicleValue: ["Vehicle value must be between KES\u00a0100,000.00 and KES\u00a030,000,000.00"],
    });
    expect(errorsOf(motorComprehensive, { ...motor, yearOfManufacture: "2018.5" })).toEqual({
      yearOfManufacture: ["Enter the year of manufacture as a whole number"],
    });
    expect(errorsOf(motorComprehensive, { ...motor, registrationNumber: "ABC" })).toEqual({
      registrationNumber: ["Enter a Kenyan registration like KDA 123A"],
    });
    expect(errorsOf(termLife, { dateOfBirth: "1986-02-30", sumAssured: "1000000" })).toEqual({
      dateOfBirth: ["Enter the date of birth as a date (YYYY-MM-DD)"],
    });
    expect(errorsOf(termLife, { dateOfBirth: "2026-06-02", sumAssured: "1000000" })).toEqual({
      dateOfBirth: ["Date of birth must be on or before 2026-06-01"],
    });
    expect(errorsOf(termLife, { dateOfBirth: "1986-03-15", sumAssured: "1,050,000" })).toEqual({
      sumAssured: ["Sum assured must be in steps of KES\u00a0100,000.00"],
    });
    expect(errorsOf(travel, { departureDate: "2026-05-31", returnDate: "2026-06-10", zone: "africa" })).toEqual({
      departureDate: ["Departure date must be on or after 2026-06-01"],
    });
    expect(errorsOf(motorComprehensive, { ...motor, excessProtector: "maybe" })).toEqual({
      excessProtector: ["Tick the box or leave it empty"],
    });
    expect(errorsOf(motorComprehensive, { ...motor, vehicleValue: 2_000_000.5 })).toEqual({
      vehicleValue: ["Vehicle value must be a whole number of minor units"],
    });
  });

  it("input that is not an object at all", () => {
    expect(errorsOf(home, "nonsense")).toEqual({ form: ["Send the quote details as form fields or a JSON object"] });
    expect(errorsOf(home, null)).toEqual({ form: ["Send the quote details as form fields or a JSON object"] });
  });
});

describe("form data", () => {
  it("reads FormData with conform-style names, checkboxes as 'on', and ignores extra fields", () => {
    const form = new FormData();
    form.set("inpatientLimit", "1m");
    form.set("outpatient", "on");
    form.set("persons[0].role", "principal");
    form.set("persons[0].age", "35");
    form.set("persons[1].role", "child");
    form.set("persons[1].age", "8");
    form.set("intent", "quote");
    const result = priceQuote(medicalFamily, form, KES);
    expect(result.ok && result.quote.input).toEqual({
      inpatientLimit: "1m",
      outpatient: true,
      persons: [
        { role: "principal", age: 35 },
        { role: "child", age: 8 },
      ],
    });
  });

  it("reads URLSearchParams and flat objects the same way", () => {
    const params = new URLSearchParams("inpatientLimit=1m&persons[0].role=principal&persons[0].age=35");
    expect(toPlainObject(params)).toEqual({ inpatientLimit: "1m", persons: [{ role: "principal", age: "35" }] });
    expect(toPlainObject({ "persons[0].role": "principal", "persons[0].age": "35", zone: "africa" })).toEqual({
      zone: "africa",
      persons: [{ role: "principal", age: "35" }],
    });
  });

  it("validates with zod on both sides: the schema works with conform's parseWithZod", () => {
    const schema = inputSchemaFor(motorComprehensive, KES);
    const form = new FormData();
    form.set("vehicleValue", "2,000,000");
    form.set("yearOfManufacture", "2014");
    form.set("use", "commercial");
    form.set("politicalViolence", "on");
    form.set("registrationNumber", "");
    const submission = parseWithZod(form, { schema });
    expect(submission.status).toBe("success");
    expect(submission.status === "success" && submission.value).toEqual({
      vehicleValue: 200_000_000,
      yearOfManufacture: 2014,
      use: "commercial",
      excessProtector: false,
      politicalViolence: true,
    });

    const bad = new FormData();
    bad.set("inpatientLimit", "1m");
    bad.set("persons[0].role", "principal");
    bad.set("persons[0].age", "70");
    const failed = parseWithZod(bad, { schema: inputSchemaFor(medicalFamily, KES) });
    expect(failed.status).toBe("error");
    expect(failed.status === "error" && failed.error).toEqual({
      "persons[0].age": ["Age must be between 18 and 65 for a principal member"],
    });
  });

  it("runs the rating rules inside the schema, so table gaps show before submitting", () => {
    const result = inputSchemaFor(travel, KES).safeParse({ departureDate: "2026-07-10", returnDate: "2026-07-01", zone: "africa" });
    expect(result.success).toBe(false);
    expect(!result.success && result.error.issues.map((i) => [i.path, i.message])).toEqual([
      [["returnDate"], "Trips can be 1 to 92 days long: check the return date"],
    ]);
  });
});

describe("money typed in major units", () => {
  it("converts exactly, by the currency's minor digits", () => {
    expect(parseMajorToMinor("2,000,000", "KES")).toEqual({ ok: true, minor: 200_000_000 });
    expect(parseMajorToMinor(" 1 234.5 ", "MYR")).toEqual({ ok: true, minor: 123_450 });
    expect(parseMajorToMinor("0.29", "KES")).toEqual({ ok: true, minor: 29 }); // not 28.999999999999996
    expect(parseMajorToMinor(".5", "KES")).toEqual({ ok: true, minor: 50 });
    expect(parseMajorToMinor("10.500", "KES")).toEqual({ ok: true, minor: 1_050 });
    expect(parseMajorToMinor("1500", "JPY")).toEqual({ ok: true, minor: 1_500 });
    expect(parseMajorToMinor("1500.5", "JPY")).toEqual({ ok: false, reason: "decimals" });
    expect(parseMajorToMinor("-1", "KES")).toEqual({ ok: false, reason: "negative" });
    expect(parseMajorToMinor("1e6", "KES")).toEqual({ ok: false, reason: "format" });
    expect(parseMajorToMinor("99999999999999999", "KES")).toEqual({ ok: false, reason: "too_large" });
  });

  it("formats minor units back for a form field", () => {
    expect(toMajorInput(200_000_000, "KES")).toBe("2000000");
    expect(toMajorInput(123_450, "MYR")).toBe("1234.50");
    expect(toMajorInput(5, "KES")).toBe("0.05");
    expect(toMajorInput(1_500, "JPY")).toBe("1500");
  });
});

describe("describeInputs: the quote form generated from the declaration", () => {
  it("describes each field with resolved bounds, options and defaults", () => {
    const fields = describeInputs(motorComprehensive, KES);
    expect(fields.map((f) => [f.name, f.control, f.required])).toEqual([
      ["vehicleValue", "text", true],
      ["yearOfManufacture", "number", true],
      ["use", "select", true],
      ["registrationNumber", "text", false],
      ["excessProtector", "checkbox", false],
      ["politicalViolence", "checkbox", false],
    ]);
    expect(fields[0]).toMatchObject({ inputMode: "decimal", currency: "KES", min: 10_000_000, max: 3_000_000_000 });
    expect(fields[1]).toMatchObject({ min: 2006, max: 2026 });
    expect(fields[2]!.options).toHaveLength(3);
  });

  it("describes persons, dates, defaults and text patterns", () => {
    const medical = describeInputs(medicalFamily, KES);
    expect(medical[2]).toMatchObject({ control: "persons", required: true, maxPersons: 8 });
    expect(medical[2]!.roles!.map((r) => [r.value, r.min, r.max, r.minAge, r.maxAge])).toEqual([
      ["principal", 1, 1, 18, 65],
      ["spouse", 0, 1, 18, 65],
      ["child", 0, 6, 0, 24],
    ]);
    expect(describeInputs(travel, KES)[0]).toMatchObject({ control: "date", min: "2026-06-01", max: "2027-06-01" });
    expect(describeInputs(travel, KES)[3]).toMatchObject({ defaultValue: "1", required: false, unit: "travellers" });
    expect(describeInputs(home, KES)[0]).toMatchObject({ defaultValue: "0", required: false });
    expect(describeInputs(roadTax, { currency: "MYR", quoteDate: "2026-06-01" })[0]).toMatchObject({
      pattern: "^[A-Z]{1,3} ?[0-9]{1,4} ?[A-Z]{0,2}$",
    });
  });

  it("gives the quote date in the tenant's time zone", () => {
    // 22:30 UTC on 31 May is already 1 June in Nairobi (UTC+3) and Kuala Lumpur (UTC+8)
    const now = new Date("2026-05-31T22:30:00Z");
    expect(quoteDateIn("Africa/Nairobi", now)).toBe("2026-06-01");
    expect(quoteDateIn("Asia/Kuala_Lumpur", now)).toBe("2026-06-01");
    expect(quoteDateIn("UTC", now)).toBe("2026-05-31");
  });
});
