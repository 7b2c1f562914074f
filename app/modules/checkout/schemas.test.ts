import { describe, expect, it } from "vitest";
import { ageOn, detailsSchema, formatShare, parseShareBp, paySchema, planSchema, termsSchema } from "./schemas";
import { identifierKindsFor } from "./steps";

const KE = { kinds: identifierKindsFor({ currency: "KES" }), stored: [], beneficiaries: false, today: "2026-06-01" };
const person = {
  name: "Wanjiru Kamau",
  email: "W@Example.com",
  phone: "0712 345 678",
  dateOfBirth: "1985-04-12",
  address: "Box 1, Nairobi",
};

describe("shares", () => {
  it("reads percentages to basis points exactly, without floats", () => {
    expect(parseShareBp("50")).toBe(5000);
    expect(parseShareBp("33.33")).toBe(3333);
    expect(parseShareBp("12,5 %")).toBe(1250);
    expect(parseShareBp("0.01")).toBe(1);
    expect(parseShareBp("100")).toBe(10_000);
    for (const bad of ["0", "100.01", "-5", "1e2", "abc", "", "33.333"]) expect(parseShareBp(bad), bad).toBeNull();
    expect(formatShare(5000)).toBe("50");
    expect(formatShare(3333)).toBe("33.33");
  });
});

describe("details", () => {
  it("asks Kenyan agencies for the national ID and KRA PIN, Malaysian ones for the NRIC", () => {
    expect(identifierKindsFor({ currency: "KES" })).toEqual(["national_id", "kra_pin"]);
    expect(identifierKindsFor({ currency: "MYR" })).toEqual(["nric"]);
    expect(identifierKindsFor({ currency: "USD" })).toEqual([]);
  });

  it("normalises identifiers and the email", () => {
    const parsed = detailsSchema(KE).parse({ ...person, identifiers: { national_id: " 1234 5678 ", kra_pin: "a123456789z" } });
    expect(parsed.identifiers).toEqual({ national_id: "12345678", kra_pin: "A123456789Z" });
    expect(parsed.email).toBe("w@example.com");
  });

  it("lets a saved identifier be left empty, but not a new one", () => {
    expect(detailsSchema(KE).safeParse({ ...person, identifiers: {} }).success).toBe(false);
    expect(detailsSchema({ ...KE, stored: ["national_id", "kra_pin"] }).safeParse({ ...person, identifiers: {} }).success).toBe(true);
  });

  it("wants an adult policyholder born on a real date", () => {
    expect(ageOn("2008-06-02", "2026-06-01")).toBe(17);
    expect(ageOn("2008-06-01", "2026-06-01")).toBe(18);
    const schema = detailsSchema({ ...KE, stored: ["national_id", "kra_pin"] });
    expect(schema.safeParse({ ...person, dateOfBirth: "2008-06-02" }).success).toBe(false);
    expect(schema.safeParse({ ...person, dateOfBirth: "1985-02-30" }).success).toBe(false);
    expect(schema.safeParse({ ...person, dateOfBirth: "2008-06-01" }).success).toBe(true);
  });

  it("needs the NRIC's date of birth to match the one typed", () => {
    const schema = detailsSchema({ kinds: ["nric"], stored: [], beneficiaries: false, today: "2026-06-01" });
    expect(schema.safeParse({ ...person, identifiers: { nric: "850412-10-1234" } }).success).toBe(true);
    const mismatch = schema.safeParse({ ...person, identifiers: { nric: "850413-10-1234" } });
    expect(mismatch.success).toBe(false);
    expect(mismatch.error?.issues[0]?.path).toEqual(["identifiers", "nric"]);
  });

  it("skips empty beneficiary rows and wants the rest complete and adding up to 100%", () => {
    const schema = detailsSchema({ ...KE, stored: ["national_id", "kra_pin"], beneficiaries: true });
    const rows = [
      { name: "Amani", relationship: "child", share: "70" },
      undefined,
      { name: "Baraka", relationship: "spouse", share: "30" },
    ];
    expect(schema.parse({ ...person, beneficiaries: rows }).beneficiaries).toEqual([
      { name: "Amani", relationship: "child", shareBp: 7000 },
      { name: "Baraka", relationship: "spouse", shareBp: 3000 },
    ]);
    const short = schema.safeParse({ ...person, beneficiaries: [{ name: "Amani", relationship: "child", share: "70" }] });
    expect(short.error?.issues.map((i) => i.message)).toEqual(["The shares add up to 70%; they must add up to exactly 100%."]);
    const partial = schema.safeParse({ ...person, beneficiaries: [{ name: "Amani", share: "100" }] });
    expect(partial.error?.issues[0]?.path).toEqual(["beneficiaries", 0, "relationship"]);
    expect(schema.safeParse({ ...person, beneficiaries: [] }).error?.issues[0]?.message).toBe("Name at least one beneficiary.");
  });
});

describe("plan and pay", () => {
  it("needs a Kenyan mobile for M-Pesa and normalises it; none for card", () => {
    expect(paySchema.parse({ method: "mpesa", phone: "0712 345 678" }).phone).toBe("254712345678");
    expect(paySchema.safeParse({ method: "mpesa", phone: "020 123 4567" }).success).toBe(false);
    expect(paySchema.parse({ method: "card", phone: "whatever" }).phone).toBeNull();
    expect(planSchema.safeParse({ method: "cash" }).success).toBe(false);
  });

  it("never carries an amount", () => {
    const parsed = paySchema.parse({ method: "card", amount: "1", amountMinor: 1 });
    // "Save this card" is a yes or no (decision 029), never an amount.
    expect(Object.keys(parsed).sort()).toEqual(["method", "phone", "saveCard"]);
    expect(parsed.saveCard).toBe(false);
    expect(termsSchema.safeParse({ version: "x", acceptTerms: false }).success).toBe(false);
  });
});
