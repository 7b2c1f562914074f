import { describe, expect, it } from "vitest";
import { priceQuote, type Quote, type RatingDeclarationInput } from "./index";
import {
  hibahDiamond370,
  hibahGold270,
  home,
  kenyaLevies,
  medicalCard,
  medicalFamily,
  motorComprehensive,
  roadTax,
  termLife,
  travel,
} from "./examples";

/**
 * Worked examples, computed by hand in the comments. All amounts are minor units (cents):
 * KES 118,571.00 → 11_857_100. Rounding is half-up to the cent (applyRate / divideHalfUp).
 */

const KES = { currency: "KES", quoteDate: "2026-06-01", levies: kenyaLevies };
const MYR = { currency: "MYR", quoteDate: "2026-06-01", levies: [] };

function quoteOf(declaration: unknown, input: unknown, options: Parameters<typeof priceQuote>[2] = KES): Quote {
  const result = priceQuote(declaration, input, options);
  if (!result.ok) throw new Error(`expected a quote, got errors: ${JSON.stringify(result.errors)}`);
  expectAddsUp(result.quote);
  return result.quote;
}

/** The breakdown adds up exactly, for the quote and for every payment frequency. */
function expectAddsUp(quote: Quote) {
  const sum = (lines: { amount: number }[]) => lines.reduce((total, line) => total + line.amount, 0);
  for (const line of [...quote.lines, ...quote.levies]) expect(Number.isSafeInteger(line.amount)).toBe(true);
  expect(sum(quote.lines)).toBe(quote.basePremium);
  expect(sum(quote.levies)).toBe(quote.totalLevies);
  expect(sum(quote.lines) + sum(quote.levies)).toBe(quote.total);
  const fixedDuties = quote.levies.filter((line) => line.detail?.rateBp === undefined).reduce((t, l) => t + l.amount, 0);
  const annual = quote.frequencies.find((f) => f.frequency === "annual");
  expect(annual?.annualEquivalent).toBe(quote.total);
  expect(annual?.firstInstalmentAmount).toBe(quote.total);
  for (const option of quote.frequencies) {
    expect(option.instalmentAmount).toBe(option.instalmentPremium + option.instalmentLevies);
    expect(option.firstInstalmentAmount).toBe(option.instalmentAmount + fixedDuties);
    expect(option.annualEquivalent).toBe(option.instalmentAmount * option.instalmentsPerYear + fixedDuties);
  }
}

const amounts = (quote: Quote) => Object.fromEntries(quote.lines.map((line) => [line.code, line.amount]));
const levyAmounts = (quote: Quote) => Object.fromEntries(quote.levies.map((line) => [line.code, line.amount]));

describe("motor comprehensive (bandRate, minimum, loadings, add-ons, Kenyan levies)", () => {
  it("prices a KES 2,000,000, 12-year-old commercial vehicle with both add-ons", () => {
    // Basic: KES 2,000,000 is in the 1,000,001–2,500,000 band at 4%      = 80,000.00
    // Vehicle over 10 years (2026 − 2014 = 12): +10% of basic            =  8,000.00
    // Commercial use: +25% of basic                                      = 20,000.00
    // Excess protector 0.25% of 2,000,000 = 5,000 (minimum 5,000)        =  5,000.00
    // Political violence 0.25% of 2,000,000                              =  5,000.00
    // Base premium                                                       = 118,000.00
    // Training levy 0.2% = 236.00; PHCF 0.25% = 295.00; stamp duty 40.00 → 571.00
    // Total                                                              = 118,571.00
    const quote = quoteOf(motorComprehensive, {
      vehicleValue: "2,000,000",
      yearOfManufacture: "2014",
      use: "commercial",
      excessProtector: "on",
      politicalViolence: "on",
    });
    expect(amounts(quote)).toEqual({
      basic: 8_000_000,
      old_vehicle: 800_000,
      commercial_use: 2_000_000,
      excess_protector: 500_000,
      political_violence: 500_000,
    });
    expect(quote.basePremium).toBe(11_800_000);
    expect(levyAmounts(quote)).toEqual({ training_levy: 23_600, phcf: 29_500, stamp_duty: 4_000 });
    expect(quote.total).toBe(11_857_100);
    expect(quote.lines[0]).toMatchObject({ label: "Comprehensive cover", detail: { basis: 200_000_000, rateBp: 400 } });
    expect(quote.input).toEqual({
      vehicleValue: 200_000_000,
      yearOfManufacture: 2014,
      use: "commercial",
      excessProtector: true,
      politicalViolence: true,
    });
  });

  it("tops the basic premium up to the KES 37,500 minimum, as its own line", () => {
    // KES 500,000 at 5% = 25,000.00 < 37,500 → adjustment 12,500.00 → base 37,500.00
    // Training 75.00 + PHCF 93.75 + stamp 40.00 = 208.75 → total 37,708.75
    const quote = quoteOf(motorComprehensive, { vehicleValue: "500000", yearOfManufacture: "2020", use: "private" });
    expect(quote.lines.map((l) => [l.code, l.amount])).toEqual([
      ["basic", 2_500_000],
      ["basic.minimum", 1_250_000],
    ]);
    expect(quote.lines[1]!.label).toBe("Minimum comprehensive premium (KES 37,500) adjustment");
    expect(quote.basePremium).toBe(3_750_000);
    expect(levyAmounts(quote)).toEqual({ training_levy: 7_500, phcf: 9_375, stamp_duty: 4_000 });
    expect(quote.total).toBe(3_770_875);
  });

  it("applies loadings to the basic premium after its minimum", () => {
    // KES 500,000, 2015 (11 years), ride-hailing: basic 25,000 → minimum 37,500;
    // +10% = 3,750.00; +25% (ride_hailing is in the commercial list) = 9,375.00 → base 50,625.00
    const quote = quoteOf(motorComprehensive, { vehicleValue: "500000", yearOfManufacture: "2015", use: "ride_hailing" });
    expect(amounts(quote)).toEqual({ basic: 2_500_000, "basic.minimum": 1_250_000, old_vehicle: 375_000, commercial_use: 937_500 });
    expect(quote.basePremium).toBe(5_062_500);
  });

  it("rounds every rate half-up to the cent", () => {
    // KES 1,234,567.89 = 123,456,789 cents at 4% = 4,938,271.56 → 4,938,272
    // Excess protector 0.25% = 308,641.9725 → 308,642, below the 500,000 minimum → +191,358
    // Base 4,938,272 + 500,000 = 5,438,272
    // Training 0.2% = 10,876.544 → 10,877; PHCF 0.25% = 13,595.68 → 13,596; stamp 4,000
    // Total 5,438,272 + 10,877 + 13,596 + 4,000 = 5,466,745 (KES 54,667.45)
    const quote = quoteOf(motorComprehensive, {
      vehicleValue: "1,234,567.89",
      yearOfManufacture: "2022",
      use: "private",
      excessProtector: "on",
    });
    expect(amounts(quote)).toEqual({ basic: 4_938_272, excess_protector: 308_642, "excess_protector.minimum": 191_358 });
    expect(levyAmounts(quote)).toEqual({ training_levy: 10_877, phcf: 13_596, stamp_duty: 4_000 });
    expect(quote.total).toBe(5_466_745);
  });

  it("picks the value band with inclusive bounds", () => {
    // KES 1,000,000.00 is the top of the first band (5%) = 50,000.00
    expect(amounts(quoteOf(motorComprehensive, { vehicleValue: "1000000", yearOfManufacture: "2024", use: "private" })).basic).toBe(
      5_000_000,
    );
    // KES 1,000,000.01 is in the second band (4%): 100,000,001 × 4% = 4,000,000.04 → 4,000,000
    expect(amounts(quoteOf(motorComprehensive, { vehicleValue: "1000000.01", yearOfManufacture: "2024", use: "private" })).basic).toBe(
      4_000_000,
    );
    // KES 3,000,000 at 3.5% = 105,000.00
    expect(amounts(quoteOf(motorComprehensive, { vehicleValue: "3000000", yearOfManufacture: "2024", use: "private" })).basic).toBe(
      10_500_000,
    );
  });

  it("loads only vehicles older than 10 years, and only for commercial uses", () => {
    const ten = quoteOf(motorComprehensive, { vehicleValue: "2000000", yearOfManufacture: "2016", use: "private" });
    expect(amounts(ten)).toEqual({ basic: 8_000_000 });
    const eleven = quoteOf(motorComprehensive, { vehicleValue: "2000000", yearOfManufacture: "2015", use: "private" });
    expect(amounts(eleven)).toEqual({ basic: 8_000_000, old_vehicle: 800_000 });
  });

  it("prices political violence alone at 0.25% with no minimum", () => {
    // KES 1,500,000: basic 4% = 60,000.00; PV 0.25% = 3,750.00 → base 63,750.00
    const quote = quoteOf(motorComprehensive, {
      vehicleValue: "1500000",
      yearOfManufacture: "2024",
      use: "private",
      politicalViolence: true,
    });
    expect(amounts(quote)).toEqual({ basic: 6_000_000, political_violence: 375_000 });
  });

  it("offers instalments by multiplier, levies on each instalment and stamp duty on the first", () => {
    // Base 118,000.00 (the first example). Monthly: 9% = 10,620.00 premium per instalment;
    // training 0.2% = 21.24, PHCF 0.25% = 26.55 → instalment 10,667.79; first + 40.00 = 10,707.79;
    // over the year 12 × 10,667.79 + 40.00 = 128,053.48 (8% more premium than paying once).
    const quote = quoteOf(motorComprehensive, {
      vehicleValue: "2000000",
      yearOfManufacture: "2014",
      use: "commercial",
      excessProtector: "on",
      politicalViolence: "on",
    });
    expect(quote.frequencies.map((f) => f.frequency)).toEqual(["annual", "semi_annual", "quarterly", "monthly"]);
    expect(quote.frequencies[3]).toEqual({
      frequency: "monthly",
      label: "Monthly",
      instalmentsPerYear: 12,
      instalmentPremium: 1_062_000,
      instalmentLevies: 4_779,
      instalmentAmount: 1_066_779,
      firstInstalmentAmount: 1_070_779,
      annualEquivalent: 12_805_348,
    });
  });
});

describe("bandRate by a derived value (rate by vehicle age band)", () => {
  const thirdPartyFireTheft: RatingDeclarationInput = {
    inputs: [
      { kind: "money", name: "vehicleValue", label: "Vehicle value" },
      { kind: "integer", name: "yearOfManufacture", label: "Year of manufacture" },
    ],
    derived: [{ kind: "age", name: "vehicleAge", label: "Vehicle age", from: "yearOfManufacture" }],
    premium: [
      {
        kind: "bandRate",
        code: "tpft",
        label: "Third party, fire and theft",
        of: "vehicleValue",
        by: "vehicleAge",
        bands: [
          { min: 0, max: 5, rateBp: 400 },
          { min: 6, max: 10, rateBp: 450 },
          { min: 11, max: 15, rateBp: 550 },
        ],
      },
    ],
    levies: "none",
  };

  it("uses the rate of the vehicle's age band", () => {
    // 2026 − 2014 = 12 years → 5.5% of KES 2,000,000 = 110,000.00
    const quote = quoteOf(thirdPartyFireTheft, { vehicleValue: "2000000", yearOfManufacture: "2014" });
    expect(quote.lines).toEqual([
      {
        code: "tpft",
        label: "Third party, fire and theft",
        amount: 11_000_000,
        detail: { basis: 200_000_000, rateBp: 550, band: "11–15 years" },
      },
    ]);
  });

  it("reports an age outside every band on the year field", () => {
    const result = priceQuote(thirdPartyFireTheft, { vehicleValue: "2000000", yearOfManufacture: "2010" }, KES);
    expect(result).toEqual({ ok: false, errors: { yearOfManufacture: ["Vehicle age 16 years is outside the rated range"] } });
  });
});

describe("medical (age-band tables per person, chosen by the inpatient option)", () => {
  const family = {
    inpatientLimit: "1m",
    persons: [
      { role: "principal", age: "35" },
      { role: "spouse", age: "33" },
      { role: "child", age: "8" },
      { role: "child", age: "5" },
    ],
  };

  it("prices principal 35, spouse 33 and two children in the KES 1,000,000 table", () => {
    // Principal 31–40: 32,000.00; spouse 31–40: 32,000.00; children 0–17: 12,000.00 each
    // Base 88,000.00; training 176.00; PHCF 220.00; stamp 40.00 → total 88,436.00
    const quote = quoteOf(medicalFamily, family);
    expect(quote.lines.map((l) => [l.code, l.label, l.amount])).toEqual([
      ["inpatient.principal", "Inpatient (KES 1,000,000): Principal member, age 35", 3_200_000],
      ["inpatient.spouse", "Inpatient (KES 1,000,000): Spouse, age 33", 3_200_000],
      ["inpatient.child_1", "Inpatient (KES 1,000,000): Child 1, age 8", 1_200_000],
      ["inpatient.child_2", "Inpatient (KES 1,000,000): Child 2, age 5", 1_200_000],
    ]);
    expect(quote.basePremium).toBe(8_800_000);
    expect(levyAmounts(quote)).toEqual({ training_levy: 17_600, phcf: 22_000, stamp_duty: 4_000 });
    expect(quote.total).toBe(8_843_600);
  });

  it("adds the outpatient table when ticked", () => {
    // Outpatient: adults 18–40 15,000.00 each, children 0–17 9,000.00 each → +48,000.00
    // Base 136,000.00; training 272.00; PHCF 340.00; stamp 40.00 → 136,652.00
    const quote = quoteOf(medicalFamily, { ...family, outpatient: "on" });
    expect(quote.lines.filter((l) => l.code.startsWith("outpatient.")).map((l) => l.amount)).toEqual([
      1_500_000, 1_500_000, 900_000, 900_000,
    ]);
    expect(quote.basePremium).toBe(13_600_000);
    expect(quote.total).toBe(13_665_200);
  });

  it("uses the table of the chosen option", () => {
    // KES 2,000,000 option, principal alone aged 61: 113,100.00
    const quote = quoteOf(medicalFamily, { inpatientLimit: "2m", persons: [{ role: "principal", age: 61 }] });
    expect(amounts(quote)).toEqual({ "inpatient.principal": 11_310_000 });
    // KES 500,000 option, principal 24 and a student child of 19: 15,600.00 + 9,750.00
    const young = quoteOf(medicalFamily, {
      inpatientLimit: "500k",
      persons: [
        { role: "principal", age: 24 },
        { role: "child", age: 19 },
      ],
    });
    expect(amounts(young)).toEqual({ "inpatient.principal": 1_560_000, "inpatient.child_1": 975_000 });
  });

  it("reports a person the table has no rate for on that person's age", () => {
    const noAdultChildRate: RatingDeclarationInput = {
      inputs: [
        {
          kind: "persons",
          name: "persons",
          label: "People",
          roles: [
            { value: "principal", label: "Principal", max: 1 },
            { value: "child", label: "Child", max: 4, maxAge: 24 },
          ],
        },
      ],
      premium: [
        {
          kind: "ageBandTable",
          code: "cover",
          label: "Cover",
          persons: "persons",
          rows: [
            { min: 0, max: 17, amounts: { child: 100_000 } },
            { min: 18, max: 99, amounts: { principal: 300_000 } },
          ],
        },
      ],
    };
    const result = priceQuote(
      noAdultChildRate,
      {
        persons: [
          { role: "principal", age: 40 },
          { role: "child", age: 20 },
        ],
      },
      KES,
    );
    expect(result).toEqual({ ok: false, errors: { "persons[1].age": ["No cover rate for a child aged 20"] } });
  });
});

describe("travel (trip length band × destination zone, per traveller)", () => {
  it("prices a 10-day trip outside the USA for two travellers", () => {
    // 1–10 July inclusive = 10 days → the 8–14 band; worldwide excl. USA = 3,900.00 × 2 = 7,800.00
    // Training 15.60 + PHCF 19.50 + stamp 40.00 → total 7,875.10
    const quote = quoteOf(travel, { departureDate: "2026-07-01", returnDate: "2026-07-10", zone: "worldwide_excl_us", travellers: "2" });
    expect(quote.lines).toEqual([
      {
        code: "travel_cover",
        label: "Travel cover (8–14 days, Worldwide excluding USA and Canada) × 2",
        amount: 780_000,
        detail: { band: "8–14 days", unitAmount: 390_000, quantity: 2 },
      },
    ]);
    expect(levyAmounts(quote)).toEqual({ training_levy: 1_560, phcf: 1_950, stamp_duty: 4_000 });
    expect(quote.total).toBe(787_510);
  });

  it("counts a same-day trip as 1 day and defaults to one traveller", () => {
    // 1 day → 1–7 band, East Africa 1,200.00 × 1
    const quote = quoteOf(travel, { departureDate: "2026-06-01", returnDate: "2026-06-01", zone: "east_africa", travellers: "" });
    expect(quote.lines.map((l) => [l.label, l.amount])).toEqual([["Travel cover (1–7 days, East Africa)", 120_000]]);
    expect(quote.input.travellers).toBe(1);
  });

  it("reports a return before departure, or a trip too long, on the return date", () => {
    const message = "Trips can be 1 to 92 days long: check the return date";
    const before = priceQuote(travel, { departureDate: "2026-07-10", returnDate: "2026-07-09", zone: "africa" }, KES);
    expect(before).toEqual({ ok: false, errors: { returnDate: [message] } });
    // 1 July to 1 October inclusive = 93 days
    const long = priceQuote(travel, { departureDate: "2026-07-01", returnDate: "2026-10-01", zone: "africa" }, KES);
    expect(long).toEqual({ ok: false, errors: { returnDate: [message] } });
  });
});

describe("term life (sum assured per thousand by age)", () => {
  it("prices age 40, KES 1,000,000 at KES 2.10 per thousand, plus the policy fee", () => {
    // Born 15 March 1986 → 40 on 1 June 2026 → 31–40 band at KES 2.10 per KES 1,000
    // 1,000,000 ÷ 1,000 × 2.10 = 2,100.00; policy fee 500.00 → base 2,600.00
    // Life products skip the PHCF levy: training 5.20 + stamp 40.00 → total 2,645.20
    const quote = quoteOf(termLife, { dateOfBirth: "1986-03-15", sumAssured: "1,000,000" });
    expect(quote.lines.map((l) => [l.code, l.amount])).toEqual([
      ["life_cover", 210_000],
      ["policy_fee", 50_000],
    ]);
    expect(quote.lines[0]!.detail).toEqual({ basis: 100_000_000, ratePerThousand: 210, band: "31–40 years" });
    expect(levyAmounts(quote)).toEqual({ training_levy: 520, stamp_duty: 4_000 });
    expect(quote.total).toBe(264_520);
  });

  it("loads smokers by 50% of the life cover line only", () => {
    // 2,100.00 + 1,050.00 + 500.00 = 3,650.00; training 7.30 + stamp 40.00 → 3,697.30
    const quote = quoteOf(termLife, { dateOfBirth: "1986-03-15", sumAssured: "1000000", smoker: "on" });
    expect(amounts(quote)).toEqual({ life_cover: 210_000, smoker: 105_000, policy_fee: 50_000 });
    expect(quote.total).toBe(369_730);
  });

  it("moves to the next band on the birthday", () => {
    // Born 1 June 1985 → 41 on the quote date → KES 4.50 per thousand = 4,500.00
    expect(amounts(quoteOf(termLife, { dateOfBirth: "1985-06-01", sumAssured: "1000000" })).life_cover).toBe(450_000);
    // Born 2 June 1985 → still 40
    expect(amounts(quoteOf(termLife, { dateOfBirth: "1985-06-02", sumAssured: "1000000" })).life_cover).toBe(210_000);
  });

  it("rounds the per-thousand premium half-up", () => {
    const life: RatingDeclarationInput = {
      inputs: [
        { kind: "money", name: "sumAssured", label: "Sum assured" },
        { kind: "integer", name: "age", label: "Age", min: 18, max: 65 },
      ],
      premium: [
        { kind: "perThousand", code: "cover", label: "Cover", of: "sumAssured", by: "age", bands: [{ min: 18, max: 65, rate: 250 }] },
      ],
      levies: "none",
    };
    // KES 1,000,002.00 × 2.50 / 1,000 = 2,500.005 → 2,500.01
    expect(quoteOf(life, { sumAssured: "1000002", age: "30" }).total).toBe(250_001);
    // KES 1,000,001.00 × 2.50 / 1,000 = 2,500.0025 → 2,500.00
    expect(quoteOf(life, { sumAssured: "1000001", age: "30" }).total).toBe(250_000);
  });
});

describe("home (building and contents rates, discount, minimum premium)", () => {
  it("prices building KES 8,000,000 and contents KES 1,500,000 with the security discount", () => {
    // Buildings 0.15% = 12,000.00; contents 0.60% = 9,000.00; security −5% of 21,000 = −1,050.00
    // Base 19,950.00; training 0.2% = 39.90; PHCF 0.25% = 49.875 → 49.88 (half-up); stamp 40.00
    // Total 19,950.00 + 39.90 + 49.88 + 40.00 = 20,079.78
    const quote = quoteOf(home, { buildingValue: "8,000,000", contentsValue: "1,500,000", securityAlarm: "on" });
    expect(amounts(quote)).toEqual({ buildings: 1_200_000, contents: 900_000, security: -105_000 });
    expect(quote.basePremium).toBe(1_995_000);
    expect(levyAmounts(quote)).toEqual({ training_levy: 3_990, phcf: 4_988, stamp_duty: 4_000 });
    expect(quote.total).toBe(2_007_978);
  });

  it("applies the product minimum premium as its own line; no building line when there is no building", () => {
    // Contents KES 300,000 × 0.60% = 1,800.00 < 5,000.00 → adjustment 3,200.00
    // Training 10.00 + PHCF 12.50 + stamp 40.00 → total 5,062.50
    const quote = quoteOf(home, { contentsValue: "300000" });
    expect(quote.lines.map((l) => [l.code, l.label, l.amount])).toEqual([
      ["contents", "Contents (0.60%)", 180_000],
      ["minimum", "Minimum premium adjustment", 320_000],
    ]);
    expect(quote.total).toBe(506_250);
  });
});

describe("KHHoldings fixed prices per payment frequency (MYR, no levies)", () => {
  it("Hibah Gold 270: RM150 monthly, RM450 quarterly, RM900 semi-annually, RM1,800 annually", () => {
    // Tenant levies are passed, but the product opts out of them.
    const quote = quoteOf(hibahGold270, {}, { ...MYR, levies: kenyaLevies });
    expect(quote.lines).toEqual([{ code: "price", label: "Hibah Gold 270: annual contribution", amount: 180_000 }]);
    expect(quote.levies).toEqual([]);
    expect(quote.total).toBe(180_000);
    expect(quote.frequencies.map((f) => [f.frequency, f.instalmentsPerYear, f.instalmentAmount, f.annualEquivalent])).toEqual([
      ["annual", 1, 180_000, 180_000],
      ["semi_annual", 2, 90_000, 180_000],
      ["quarterly", 4, 45_000, 180_000],
      ["monthly", 12, 15_000, 180_000],
    ]);
  });

  it("Hibah Diamond 370: RM210 / RM630 / RM1,260 / RM2,520", () => {
    const quote = quoteOf(hibahDiamond370, {}, MYR);
    expect(quote.total).toBe(252_000);
    expect(Object.fromEntries(quote.frequencies.map((f) => [f.frequency, f.instalmentAmount]))).toEqual({
      annual: 252_000,
      semi_annual: 126_000,
      quarterly: 63_000,
      monthly: 21_000,
    });
  });

  it("Medical card: RM150, paid once a year", () => {
    const quote = quoteOf(medicalCard, {}, MYR);
    expect(quote.total).toBe(15_000);
    expect(quote.frequencies.map((f) => [f.frequency, f.instalmentAmount])).toEqual([["annual", 15_000]]);
  });

  it("Road tax: RM100 base, with the registration number captured in capitals", () => {
    const quote = quoteOf(roadTax, { registrationNumber: " wxy 1234 " }, MYR);
    expect(quote.total).toBe(10_000);
    expect(quote.input).toEqual({ registrationNumber: "WXY 1234" });
  });
});

describe("payment frequency multipliers", () => {
  const cover = (levies: RatingDeclarationInput["levies"]): RatingDeclarationInput => ({
    premium: [{ kind: "fixed", code: "cover", label: "Cover", amount: 1_234_550 }],
    frequencies: {
      annual: { multiplierBp: 10_000 },
      semi_annual: { multiplierBp: 5_200 },
      quarterly: { multiplierBp: 2_650 },
      monthly: { multiplierBp: 900 },
    },
    levies,
  });

  it("rounds each instalment half-up, then multiplies", () => {
    // 12,345.50 × 52% = 6,419.66 exactly            → × 2  = 12,839.32
    // 12,345.50 × 26.5% = 3,271.5575 → 3,271.56     → × 4  = 13,086.24
    // 12,345.50 × 9% = 1,111.095 → 1,111.10         → × 12 = 13,333.20
    const quote = quoteOf(cover("none"), {});
    expect(quote.frequencies.map((f) => [f.frequency, f.instalmentAmount, f.annualEquivalent])).toEqual([
      ["annual", 1_234_550, 1_234_550],
      ["semi_annual", 641_966, 1_283_932],
      ["quarterly", 327_156, 1_308_624],
      ["monthly", 111_110, 1_333_320],
    ]);
  });

  it("charges percent levies on each instalment and fixed duties once", () => {
    // Monthly premium 1,111.10: training 2.2222 → 2.22; PHCF 2.77775 → 2.78 → 1,116.10 per month;
    // first instalment + stamp duty 40.00 = 1,156.10; the year: 12 × 1,116.10 + 40.00 = 13,433.20
    const monthly = quoteOf(cover(undefined), {}).frequencies.find((f) => f.frequency === "monthly");
    expect(monthly).toMatchObject({
      instalmentPremium: 111_110,
      instalmentLevies: 500,
      instalmentAmount: 111_610,
      firstInstalmentAmount: 115_610,
      annualEquivalent: 1_343_320,
    });
  });
});

describe("levies", () => {
  const small = (levies?: RatingDeclarationInput["levies"]): RatingDeclarationInput => ({
    premium: [{ kind: "fixed", code: "cover", label: "Cover", amount: 1_250 }],
    ...(levies ? { levies } : {}),
  });

  it("round half-up to the cent", () => {
    // KES 12.50: training 0.2% = 0.025 → 0.03; PHCF 0.25% = 0.03125 → 0.03; stamp 40.00 → 52.56
    const quote = quoteOf(small(), {});
    expect(levyAmounts(quote)).toEqual({ training_levy: 3, phcf: 3, stamp_duty: 4_000 });
    expect(quote.total).toBe(5_256);
  });

  it("opt out entirely with 'none', or exclude and replace per product", () => {
    expect(quoteOf(small("none"), {}).levies).toEqual([]);
    const adjusted = quoteOf(
      small({ exclude: ["stamp_duty"], add: [{ code: "phcf", label: "PHCF levy (special)", kind: "percent", rateBp: 1_000 }] }),
      {},
    );
    // training 0.03 (tenant); PHCF replaced by 10% = 1.25; no stamp duty
    expect(adjusted.levies.map((l) => [l.code, l.label, l.amount])).toEqual([
      ["training_levy", "Training levy (0.2%)", 3],
      ["phcf", "PHCF levy (special)", 125],
    ]);
  });

  it("are none when the tenant declares none", () => {
    expect(quoteOf(small(), {}, { ...KES, levies: [] }).total).toBe(1_250);
  });
});

describe("other component kinds and conditions", () => {
  const declaration: RatingDeclarationInput = {
    inputs: [
      { kind: "integer", name: "drivers", label: "Drivers", min: 1, max: 5 },
      { kind: "boolean", name: "roadside", label: "Roadside assistance" },
      { kind: "integer", name: "score", label: "Score", min: 0, max: 100 },
    ],
    premium: [
      { kind: "fixed", code: "per_driver", label: "Per driver", amount: 100_000, multiplyBy: "drivers" },
      { kind: "addon", code: "roadside", label: "Roadside assistance", input: "roadside", amount: 250_000 },
      // No `on`: a percentage of everything so far (drivers + roadside).
      { kind: "loading", code: "high_score", label: "High score", rateBp: 1_000, when: { field: "score", op: "gte", value: 80 } },
      {
        kind: "discount",
        code: "low_score",
        label: "Low score",
        rateBp: 1_000,
        when: [
          { field: "score", op: "lt", value: 20 },
          { field: "drivers", op: "neq", value: 1 },
        ],
      },
      { kind: "fixed", code: "mid", label: "Mid score fee", amount: 1_000, when: { field: "score", op: "lte", value: 20 } },
    ],
    levies: "none",
  };

  it("multiplies fixed amounts, adds fixed add-ons, loads the running total", () => {
    // 2 drivers × 1,000.00 = 2,000.00; roadside 2,500.00; +10% of 4,500.00 = 450.00 → 4,950.00
    const quote = quoteOf(declaration, { drivers: "2", roadside: "on", score: "80" });
    expect(quote.lines.map((l) => [l.code, l.label, l.amount])).toEqual([
      ["per_driver", "Per driver × 2", 200_000],
      ["roadside", "Roadside assistance", 250_000],
      ["high_score", "High score", 45_000],
    ]);
  });

  it("needs every condition of a list to hold", () => {
    // score 10, 2 drivers: −10% of 2,000.00 = −200.00, and the mid fee (score ≤ 20) 10.00
    expect(amounts(quoteOf(declaration, { drivers: "2", score: "10" }))).toEqual({ per_driver: 200_000, low_score: -20_000, mid: 1_000 });
    // score 10, 1 driver: the discount's second condition fails
    expect(amounts(quoteOf(declaration, { drivers: "1", score: "10" }))).toEqual({ per_driver: 100_000, mid: 1_000 });
    // score 79: no loading (gte 80), no fee (lte 20)
    expect(amounts(quoteOf(declaration, { drivers: "1", score: "79" }))).toEqual({ per_driver: 100_000 });
  });
});

describe("re-pricing a stored quote", () => {
  it("gives the same quote from the validated input (JSON, money in minor units)", () => {
    const first = quoteOf(motorComprehensive, {
      vehicleValue: "1,234,567.89",
      yearOfManufacture: "2014",
      use: "commercial",
      excessProtector: "on",
    });
    const again = quoteOf(motorComprehensive, JSON.parse(JSON.stringify(first.input)));
    expect(again).toEqual(first);
  });
});
