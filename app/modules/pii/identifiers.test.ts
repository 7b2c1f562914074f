import { describe, expect, it } from "vitest";
import {
  bankAccountSchema,
  formatIdentifier,
  formatNric,
  IDENTIFIER_KINDS,
  identifierProblem,
  isValidIdentifier,
  isValidNricDate,
  isValidNricPlaceOfBirth,
  kraPinSchema,
  maskIdentifier,
  nationalIdSchema,
  normaliseIdentifier,
  nricSchema,
  type IdentifierKind,
} from "./identifiers";

/** Normalise then validate, the way the schemas do. */
const check = (kind: IdentifierKind, raw: string) => identifierProblem(kind, normaliseIdentifier(kind, raw));

describe("Kenyan national ID", () => {
  it("accepts 7 or 8 digits, spaces stripped", () => {
    for (const [raw, normalised] of [
      ["12345678", "12345678"],
      ["1234567", "1234567"],
      [" 1234 5678 ", "12345678"],
      ["１２３４５６７８", "12345678"], // full-width digits from some keyboards
    ]) {
      expect(normaliseIdentifier("national_id", raw!)).toBe(normalised);
      expect(check("national_id", raw!)).toBeNull();
    }
  });

  it("refuses anything else with a friendly message", () => {
    expect(check("national_id", "")).toBe("Enter the national ID number.");
    expect(check("national_id", "   ")).toBe("Enter the national ID number.");
    expect(check("national_id", "123456")).toBe("A national ID number has 7 or 8 digits.");
    expect(check("national_id", "123456789")).toBe("A national ID number has 7 or 8 digits.");
    expect(check("national_id", "1234567A")).toBe("A national ID number has only digits.");
    expect(check("national_id", "1234-5678")).toBe("A national ID number has only digits.");
  });
});

describe("KRA PIN", () => {
  it("accepts A or P, nine digits and a letter, in any case and spacing", () => {
    for (const [raw, normalised] of [
      ["A123456789Z", "A123456789Z"],
      ["P051234567M", "P051234567M"],
      ["a123456789z", "A123456789Z"],
      [" A 123 456 789 Z ", "A123456789Z"],
      ["A-123456789-Z", "A123456789Z"],
    ]) {
      expect(normaliseIdentifier("kra_pin", raw!)).toBe(normalised);
      expect(check("kra_pin", raw!)).toBeNull();
    }
  });

  it("refuses other shapes", () => {
    expect(check("kra_pin", "")).toBe("Enter the KRA PIN.");
    for (const bad of [
      "B123456789Z",
      "A12345678Z",
      "A1234567890Z",
      "A1234567891",
      "123456789Z",
      "A123456789",
      "AA23456789Z",
      "A123456789ZZ",
    ]) {
      expect(check("kra_pin", bad)).toMatch(/looks like A123456789Z/);
    }
  });
});

describe("Malaysian NRIC (MyKad)", () => {
  it("accepts 12 digits with or without dashes and normalises to digits", () => {
    for (const raw of ["850412-10-1234", "850412101234", " 850412 10 1234 ", "850412–10–1234"]) {
      expect(normaliseIdentifier("nric", raw)).toBe("850412101234");
      expect(check("nric", raw)).toBeNull();
    }
    // A few more real-looking numbers across states, countries and centuries.
    for (const ok of [
      "010101-14-0011",
      "991231-13-5678",
      "000229-16-0002",
      "960229-01-1111",
      "030415-66-2468",
      "451108-71-0001",
      "880808-98-4321",
    ]) {
      expect(check("nric", ok)).toBeNull();
    }
  });

  it("formats as YYMMDD-PB-####", () => {
    expect(formatNric("850412101234")).toBe("850412-10-1234");
    expect(formatNric("850412-10-1234")).toBe("850412-10-1234");
    expect(formatIdentifier("nric", "850412101234")).toBe("850412-10-1234");
    expect(formatNric("12345")).toBe("12345");
  });

  it("refuses a date that does not exist, with or without dashes", () => {
    const message = "The first six digits of a MyKad number are a date of birth (YYMMDD).";
    for (const bad of [
      "851332-10-1234",
      "851332101234",
      "851301-10-1234",
      "850012-10-1234",
      "850400-10-1234",
      "850431101234",
      "850229-10-1234",
      "010229101234",
    ]) {
      expect(check("nric", bad)).toBe(message);
    }
  });

  it("refuses a place-of-birth code JPN does not issue, with or without dashes", () => {
    const message = "Digits 7 and 8 of a MyKad number are not a valid place-of-birth code.";
    for (const pb of ["00", "17", "18", "19", "20", "69", "70", "73", "80", "81", "94", "95", "96", "97"]) {
      expect(check("nric", `850412-${pb}-1234`)).toBe(message);
      expect(check("nric", `850412${pb}1234`)).toBe(message);
    }
  });

  it("refuses the wrong number of digits or other characters", () => {
    expect(check("nric", "")).toBe("Enter the MyKad (NRIC) number.");
    for (const bad of ["850412-10-123", "850412-10-12345", "85041210123A", "A1234567", "850412/10/1234"]) {
      expect(check("nric", bad)).toBe("A MyKad number has 12 digits, like 850412-10-1234.");
    }
  });

  it("knows the place-of-birth codes", () => {
    const valid = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0")).filter(isValidNricPlaceOfBirth);
    const expected = [
      ...range(1, 16),
      ...range(21, 59),
      ...range(60, 68),
      ...range(71, 72),
      ...range(74, 79),
      ...range(82, 93),
      ...range(98, 99),
    ].map((n) => String(n).padStart(2, "0"));
    expect(valid).toEqual(expected);
    expect(isValidNricPlaceOfBirth("1")).toBe(false);
    expect(isValidNricPlaceOfBirth("100")).toBe(false);
  });

  it("accepts 29 February in either century, and no other impossible dates", () => {
    expect(isValidNricDate("000229")).toBe(true); // 2000
    expect(isValidNricDate("840229")).toBe(true);
    expect(isValidNricDate("850229")).toBe(false);
    expect(isValidNricDate("851231")).toBe(true);
    expect(isValidNricDate("851131")).toBe(false);
    expect(isValidNricDate("85041")).toBe(false);
  });
});

describe("bank account numbers", () => {
  it("accepts 6 to 20 digits with spaces or dashes and normalises to digits", () => {
    for (const [raw, normalised] of [
      ["0123456789", "0123456789"],
      ["1234-5678-9012", "123456789012"],
      ["5140 1234 5678", "514012345678"],
      ["123456", "123456"],
      ["12345678901234567890", "12345678901234567890"],
    ]) {
      expect(normaliseIdentifier("bank_account", raw!)).toBe(normalised);
      expect(check("bank_account", raw!)).toBeNull();
    }
  });

  it("refuses other shapes", () => {
    expect(check("bank_account", "")).toBe("Enter the bank account number.");
    expect(check("bank_account", "12345")).toBe("A bank account number has 6 to 20 digits.");
    expect(check("bank_account", "123456789012345678901")).toBe("A bank account number has 6 to 20 digits.");
    expect(check("bank_account", "GB12 3456 7890")).toBe("A bank account number has only digits (spaces and dashes are fine).");
    expect(check("bank_account", "1234.5678")).toBe("A bank account number has only digits (spaces and dashes are fine).");
  });
});

describe("maskIdentifier", () => {
  it("shows the agreed shapes", () => {
    expect(maskIdentifier("nric", "850412101234")).toBe("******-**-1234");
    expect(maskIdentifier("nric", "850412-10-1234")).toBe("******-**-1234");
    expect(maskIdentifier("national_id", "12345678")).toBe("****5678");
    expect(maskIdentifier("national_id", "1234567")).toBe("****4567");
    expect(maskIdentifier("kra_pin", "A123456789Z")).toBe("*******789Z");
    expect(maskIdentifier("bank_account", "0987654321")).toBe("•••• 4321");
  });

  it("never reveals more than the last four characters, nor the value itself", () => {
    const samples: Record<IdentifierKind, string[]> = {
      national_id: ["12345678", "7654321", "10000001"],
      kra_pin: ["A123456789Z", "P051234567M"],
      nric: ["850412101234", "000229160002", "991231135678"],
      bank_account: ["123456", "0123456789", "12345678901234567890"],
    };
    for (const kind of IDENTIFIER_KINDS) {
      for (const value of samples[kind]) {
        expect(isValidIdentifier(kind, value)).toBe(true);
        const mask = maskIdentifier(kind, value);
        expect(mask).not.toContain(value);
        expect(mask).not.toContain(formatIdentifier(kind, value));
        // Every character of the value that shows in the mask is within the last four.
        const shown = mask.replace(/[^0-9A-Za-z]/g, "");
        expect(shown.length).toBeLessThanOrEqual(4);
        expect(value.endsWith(shown)).toBe(true);
        // Nothing from before the last four appears anywhere.
        expect(mask).not.toContain(value.slice(-5));
      }
    }
  });

  it("shows nothing of values too short to mask safely", () => {
    expect(maskIdentifier("national_id", "1234")).toBe("********");
    expect(maskIdentifier("nric", "12345")).toBe("******-**-****");
    expect(maskIdentifier("kra_pin", "A1")).toBe("***********");
    expect(maskIdentifier("bank_account", "")).toBe("••••");
  });
});

describe("zod schemas", () => {
  it("normalise valid input", () => {
    expect(nationalIdSchema.parse(" 1234 5678 ")).toBe("12345678");
    expect(kraPinSchema.parse("a123456789z")).toBe("A123456789Z");
    expect(nricSchema.parse("850412-10-1234")).toBe("850412101234");
    expect(bankAccountSchema.parse("1234-5678-9012")).toBe("123456789012");
  });

  it("report one friendly message for invalid input", () => {
    const nric = nricSchema.safeParse("851332-10-1234");
    expect(nric.success).toBe(false);
    expect(nric.error?.issues.map((i) => i.message)).toEqual(["The first six digits of a MyKad number are a date of birth (YYMMDD)."]);
    expect(nricSchema.safeParse("850412001234").error?.issues[0]?.message).toMatch(/place-of-birth/);
    expect(kraPinSchema.safeParse("X123").error?.issues[0]?.message).toMatch(/A123456789Z/);
    expect(nationalIdSchema.safeParse(undefined).error?.issues[0]?.message).toBe("Enter the national ID number.");
    expect(bankAccountSchema.safeParse(12345678).error?.issues[0]?.message).toBe("Enter the bank account number.");
  });

  it("work inside an object schema, optional where the form says so", async () => {
    const { z } = await import("zod");
    const form = z.object({ nric: nricSchema, bankAccount: bankAccountSchema.optional() });
    expect(form.parse({ nric: "850412 10 1234" })).toEqual({ nric: "850412101234" });
    expect(form.safeParse({ nric: "850412-10-1234", bankAccount: "12" }).error?.issues[0]?.path).toEqual(["bankAccount"]);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
