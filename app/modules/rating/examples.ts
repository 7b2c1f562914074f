import type { Levy, RatingDeclarationInput } from "./rules";

/**
 * One realistic declaration per kind of product, for catalogue engineers to copy into tenant
 * manifests (they are plain JSON: no functions, no dates, no undefined). Money is in minor units
 * (KES and MYR cents: KES 37,500 → 3_750_000), rates in basis points (0.25% → 25).
 *
 * The Kenyan rates are illustrative market-typical figures, not an insurer's filed tariff; the
 * KHHoldings prices are those of the agency's plan.
 */

/** Kenya's statutory charges on general insurance premiums (a tenant's default levy list). */
export const kenyaLevies = [
  { code: "training_levy", label: "Training levy (0.2%)", kind: "percent", rateBp: 20 },
  { code: "phcf", label: "Policyholders' Compensation Fund levy (0.25%)", kind: "percent", rateBp: 25 },
  { code: "stamp_duty", label: "Stamp duty", kind: "fixed", amount: 4_000 },
] satisfies Levy[];

/** Instalment multipliers: each instalment's share of the annual premium (monthly 12 × 9% = 108%). */
const instalmentMultipliers = {
  annual: { multiplierBp: 10_000 },
  semi_annual: { multiplierBp: 5_200 },
  quarterly: { multiplierBp: 2_650 },
  monthly: { multiplierBp: 900 },
};

/** Motor private/commercial comprehensive: rate by value band, minimum, loadings, add-ons. */
export const motorComprehensive = {
  inputs: [
    {
      kind: "money",
      name: "vehicleValue",
      label: "Vehicle value",
      requiredMessage: "Enter the vehicle's value",
      hint: "The market value today, as on the valuation report",
      min: 10_000_000, // KES 100,000
      max: 3_000_000_000, // KES 30,000,000
    },
    { kind: "integer", name: "yearOfManufacture", label: "Year of manufacture", min: { fromQuoteYear: -20 }, max: { fromQuoteYear: 0 } },
    {
      kind: "select",
      name: "use",
      label: "Vehicle use",
      options: [
        { value: "private", label: "Private" },
        { value: "commercial", label: "Commercial (own goods)" },
        { value: "ride_hailing", label: "Ride-hailing (Uber, Bolt)" },
      ],
    },
    {
      kind: "text",
      name: "registrationNumber",
      label: "Registration number",
      required: false,
      uppercase: true,
      maxLength: 10,
      pattern: "^K[A-Z]{2} ?[0-9]{3}[A-Z]?$",
      patternMessage: "Enter a Kenyan registration like KDA 123A",
    },
    { kind: "boolean", name: "excessProtector", label: "Excess protector", hint: "You pay no excess on an own-damage claim" },
    { kind: "boolean", name: "politicalViolence", label: "Political violence and terrorism" },
  ],
  derived: [{ kind: "age", name: "vehicleAge", label: "Vehicle age", from: "yearOfManufacture" }],
  premium: [
    {
      kind: "bandRate",
      code: "basic",
      label: "Comprehensive cover",
      of: "vehicleValue",
      by: "vehicleValue",
      bands: [
        { max: 100_000_000, rateBp: 500, label: "up to KES 1,000,000" },
        { min: 100_000_001, max: 250_000_000, rateBp: 400, label: "KES 1,000,001 to 2,500,000" },
        { min: 250_000_001, rateBp: 350, label: "over KES 2,500,000" },
      ],
      minimum: 3_750_000, // KES 37,500
      minimumLabel: "Minimum comprehensive premium (KES 37,500) adjustment",
    },
    // Loadings on the basic premium only, so they do not compound.
    {
      kind: "loading",
      code: "old_vehicle",
      label: "Vehicle over 10 years old (+10%)",
      rateBp: 1_000,
      on: ["basic"],
      when: { field: "vehicleAge", op: "gt", value: 10 },
    },
    {
      kind: "loading",
      code: "commercial_use",
      label: "Commercial use (+25%)",
      rateBp: 2_500,
      on: ["basic"],
      when: { field: "use", op: "in", value: ["commercial", "ride_hailing"] },
    },
    {
      kind: "addon",
      code: "excess_protector",
      label: "Excess protector (0.25%, minimum KES 5,000)",
      input: "excessProtector",
      of: "vehicleValue",
      rateBp: 25,
      minimum: 500_000,
    },
    {
      kind: "addon",
      code: "political_violence",
      label: "Political violence and terrorism (0.25%)",
      input: "politicalViolence",
      of: "vehicleValue",
      rateBp: 25,
    },
  ],
  frequencies: instalmentMultipliers,
} satisfies RatingDeclarationInput;

const adults = (amount: number) => ({ principal: amount, spouse: amount });

/** Family medical: age-band tables per insured person, one table per inpatient limit, optional outpatient. */
export const medicalFamily = {
  inputs: [
    {
      kind: "select",
      name: "inpatientLimit",
      label: "Inpatient limit",
      options: [
        { value: "500k", label: "KES 500,000" },
        { value: "1m", label: "KES 1,000,000" },
        { value: "2m", label: "KES 2,000,000" },
      ],
    },
    { kind: "boolean", name: "outpatient", label: "Add outpatient cover (KES 50,000 per person)" },
    {
      kind: "persons",
      name: "persons",
      label: "People to cover",
      roles: [
        { value: "principal", label: "Principal member", min: 1, max: 1, minAge: 18, maxAge: 65 },
        { value: "spouse", label: "Spouse", min: 0, max: 1, minAge: 18, maxAge: 65 },
        { value: "child", label: "Child", plural: "Children", min: 0, max: 6, minAge: 0, maxAge: 24 },
      ],
      maxPersons: 8,
    },
  ],
  premium: [
    {
      kind: "ageBandTable",
      code: "inpatient",
      label: "Inpatient",
      persons: "persons",
      tableBy: "inpatientLimit",
      tables: {
        "500k": [
          { min: 0, max: 17, amounts: { child: 780_000 } },
          { min: 18, max: 24, amounts: { ...adults(1_560_000), child: 975_000 } },
          { min: 25, max: 30, amounts: adults(1_790_000) },
          { min: 31, max: 40, amounts: adults(2_080_000) },
          { min: 41, max: 50, amounts: adults(2_670_000) },
          { min: 51, max: 60, amounts: adults(3_640_000) },
          { min: 61, max: 65, amounts: adults(5_070_000) },
        ],
        "1m": [
          { min: 0, max: 17, amounts: { child: 1_200_000 } },
          { min: 18, max: 24, amounts: { ...adults(2_400_000), child: 1_500_000 } },
          { min: 25, max: 30, amounts: adults(2_750_000) },
          { min: 31, max: 40, amounts: adults(3_200_000) },
          { min: 41, max: 50, amounts: adults(4_100_000) },
          { min: 51, max: 60, amounts: adults(5_600_000) },
          { min: 61, max: 65, amounts: adults(7_800_000) },
        ],
        "2m": [
          { min: 0, max: 17, amounts: { child: 1_740_000 } },
          { min: 18, max: 24, amounts: { ...adults(3_480_000), child: 2_175_000 } },
          { min: 25, max: 30, amounts: adults(3_990_000) },
          { min: 31, max: 40, amounts: adults(4_640_000) },
          { min: 41, max: 50, amounts: adults(5_950_000) },
          { min: 51, max: 60, amounts: adults(8_120_000) },
          { min: 61, max: 65, amounts: adults(11_310_000) },
        ],
      },
    },
    {
      kind: "ageBandTable",
      code: "outpatient",
      label: "Outpatient",
      persons: "persons",
      when: { field: "outpatient", op: "eq", value: true },
      rows: [
        { min: 0, max: 17, amounts: { child: 900_000 } },
        { min: 18, max: 40, amounts: { ...adults(1_500_000), child: 1_100_000 } },
        { min: 41, max: 65, amounts: adults(2_100_000) },
      ],
    },
  ],
  frequencies: instalmentMultipliers,
} satisfies RatingDeclarationInput;

/** Travel: trip length band × destination zone, per traveller. */
export const travel = {
  inputs: [
    { kind: "date", name: "departureDate", label: "Departure date", min: { fromQuoteDays: 0 }, max: { fromQuoteDays: 365 } },
    { kind: "date", name: "returnDate", label: "Return date", min: { fromQuoteDays: 0 }, max: { fromQuoteDays: 457 } },
    {
      kind: "select",
      name: "zone",
      label: "Destination",
      options: [
        { value: "east_africa", label: "East Africa" },
        { value: "africa", label: "Africa" },
        { value: "worldwide_excl_us", label: "Worldwide excluding USA and Canada" },
        { value: "worldwide", label: "Worldwide" },
      ],
    },
    { kind: "integer", name: "travellers", label: "Travellers", min: 1, max: 10, default: 1, unit: "travellers" },
  ],
  derived: [
    {
      kind: "days",
      name: "tripDays",
      label: "Trip length",
      from: "departureDate",
      to: "returnDate",
      min: 1,
      max: 92,
      message: "Trips can be 1 to 92 days long: check the return date",
    },
  ],
  premium: [
    {
      kind: "bandTable2D",
      code: "travel_cover",
      label: "Travel cover",
      rows: {
        field: "tripDays",
        bands: [
          { min: 1, max: 7 },
          { min: 8, max: 14 },
          { min: 15, max: 21 },
          { min: 22, max: 31 },
          { min: 32, max: 62 },
          { min: 63, max: 92 },
        ],
      },
      columns: { field: "zone" },
      // Per traveller, one amount per trip-length band above.
      amounts: {
        east_africa: [120_000, 180_000, 230_000, 290_000, 460_000, 620_000],
        africa: [170_000, 260_000, 330_000, 410_000, 650_000, 880_000],
        worldwide_excl_us: [250_000, 390_000, 490_000, 620_000, 980_000, 1_320_000],
        worldwide: [360_000, 560_000, 710_000, 890_000, 1_410_000, 1_900_000],
      },
      multiplyBy: "travellers",
    },
  ],
} satisfies RatingDeclarationInput;

/** Term life (annually renewable): sum assured per thousand by age, smoker loading, policy fee. */
export const termLife = {
  inputs: [
    { kind: "date", name: "dateOfBirth", label: "Date of birth", max: { fromQuoteDays: 0 } },
    {
      kind: "money",
      name: "sumAssured",
      label: "Sum assured",
      min: 50_000_000, // KES 500,000
      max: 5_000_000_000, // KES 50,000,000
      step: 10_000_000, // KES 100,000
    },
    { kind: "boolean", name: "smoker", label: "I have smoked or used tobacco in the last 12 months" },
  ],
  derived: [{ kind: "age", name: "age", label: "Age", from: "dateOfBirth", min: 18, max: 65 }],
  premium: [
    {
      kind: "perThousand",
      code: "life_cover",
      label: "Life cover",
      of: "sumAssured",
      by: "age",
      // KES per KES 1,000 of cover, in cents: 2.10 → 210.
      bands: [
        { min: 18, max: 30, rate: 120 },
        { min: 31, max: 40, rate: 210 },
        { min: 41, max: 50, rate: 450 },
        { min: 51, max: 60, rate: 980 },
        { min: 61, max: 65, rate: 1_850 },
      ],
    },
    {
      kind: "loading",
      code: "smoker",
      label: "Smoker loading (+50%)",
      rateBp: 5_000,
      on: ["life_cover"],
      when: { field: "smoker", op: "eq", value: true },
    },
    { kind: "fixed", code: "policy_fee", label: "Policy fee", amount: 50_000 },
  ],
  // The PHCF levy funds general-insurance policyholders; life business does not pay it.
  levies: { exclude: ["phcf"] },
  frequencies: {
    annual: { multiplierBp: 10_000 },
    semi_annual: { multiplierBp: 5_150 },
    quarterly: { multiplierBp: 2_600 },
    monthly: { multiplierBp: 875 },
  },
} satisfies RatingDeclarationInput;

/** Home: buildings and contents rates, a security discount, a minimum premium. */
export const home = {
  inputs: [
    {
      kind: "money",
      name: "buildingValue",
      label: "Building value",
      hint: "What it would cost to rebuild; leave empty if you rent",
      required: false,
      default: 0,
      max: 50_000_000_000,
    },
    { kind: "money", name: "contentsValue", label: "Contents value", required: false, default: 0, max: 5_000_000_000 },
    { kind: "boolean", name: "securityAlarm", label: "Monitored alarm or guarded compound" },
  ],
  premium: [
    { kind: "rate", code: "buildings", label: "Buildings (0.15%)", of: "buildingValue", rateBp: 15 },
    { kind: "rate", code: "contents", label: "Contents (0.60%)", of: "contentsValue", rateBp: 60 },
    {
      kind: "discount",
      code: "security",
      label: "Security discount (5%)",
      rateBp: 500,
      when: { field: "securityAlarm", op: "eq", value: true },
    },
  ],
  minimumPremium: 500_000, // KES 5,000
} satisfies RatingDeclarationInput;

// ── KHHoldings (MYR, no levies): fixed prices per payment frequency ────────────────────────────

/** Hibah Senior Care, Gold 270: RM150 monthly, RM450 quarterly, RM900 semi-annually, RM1,800 annually. */
export const hibahGold270 = {
  priceLabel: "Hibah Gold 270: annual contribution",
  frequencies: {
    annual: { price: 180_000 },
    semi_annual: { price: 90_000 },
    quarterly: { price: 45_000 },
    monthly: { price: 15_000 },
  },
  levies: "none",
} satisfies RatingDeclarationInput;

/** Hibah Senior Care, Diamond 370: RM210 monthly, RM630 quarterly, RM1,260 semi-annually, RM2,520 annually. */
export const hibahDiamond370 = {
  priceLabel: "Hibah Diamond 370: annual contribution",
  frequencies: {
    annual: { price: 252_000 },
    semi_annual: { price: 126_000 },
    quarterly: { price: 63_000 },
    monthly: { price: 21_000 },
  },
  levies: "none",
} satisfies RatingDeclarationInput;

/**
 * Medical card, RM150. The plan pays its commission per card sold ("for every customer"), so the
 * card is one payment a year.
 */
export const medicalCard = {
  priceLabel: "Medical card (12 months)",
  frequencies: { annual: { price: 15_000 } },
  levies: "none",
} satisfies RatingDeclarationInput;

/** Road tax renewal at the RM100 base price; the registration number is captured, not priced. */
export const roadTax = {
  inputs: [
    {
      kind: "text",
      name: "registrationNumber",
      label: "Registration number",
      uppercase: true,
      maxLength: 12,
      pattern: "^[A-Z]{1,3} ?[0-9]{1,4} ?[A-Z]{0,2}$",
      patternMessage: "Enter a Malaysian registration like WXY 1234",
    },
  ],
  priceLabel: "Road tax renewal (base price)",
  frequencies: { annual: { price: 10_000 } },
  levies: "none",
} satisfies RatingDeclarationInput;

export const ratingExamples = {
  motorComprehensive,
  medicalFamily,
  travel,
  termLife,
  home,
  hibahGold270,
  hibahDiamond370,
  medicalCard,
  roadTax,
};
