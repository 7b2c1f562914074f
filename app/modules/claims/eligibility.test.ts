import { describe, expect, it } from "vitest";
import { checkEligibility, policyYearStart, type EligibilityFacts, type PolicyFacts } from "./eligibility";
import { requiredDocuments } from "./rules";

/**
 * Eligibility as a table (issue 12 item 2): each row is a policy and an incident, and the flags the
 * claim must be filed with. A claim is never refused here, only flagged.
 */

const ACTIVE: PolicyFacts = {
  status: "active",
  startDate: "2026-01-01",
  endDate: "2026-12-31",
  graceStartedOn: null,
  lapsedOn: null,
  cancelledOn: null,
};
const MOTOR_DOCS = requiredDocuments("motor", "accident");

function facts(overrides: Partial<Omit<EligibilityFacts, "policy">> & { policy?: Partial<PolicyFacts> } = {}): EligibilityFacts {
  const { policy, ...rest } = overrides;
  return {
    incidentDate: "2026-06-15",
    policy: { ...ACTIVE, ...policy },
    graceCoverDays: 0,
    waitingDays: 0,
    claimedMinor: 100_000,
    benefitLeftMinor: null,
    formatMoney: (minor) => `KES ${minor / 100}`,
    formatDate: (date) => date,
    required: MOTOR_DOCS,
    provided: MOTOR_DOCS.map((d) => d.code),
    ...rest,
  };
}

const codes = (f: EligibilityFacts) => checkEligibility(f).map((flag) => flag.code);

describe("checkEligibility", () => {
  it.each([
    ["in force, every document, no limit", facts(), []],
    ["after the cover ended", facts({ incidentDate: "2027-01-02", policy: { status: "expired" } }), ["not_in_force"]],
    ["not issued", facts({ policy: { status: "pending_underwriting" } }), ["not_in_force"]],
    [
      "lapsed before the incident",
      facts({ policy: { status: "lapsed", graceStartedOn: "2026-05-01", lapsedOn: "2026-06-01" } }),
      ["lapsed"],
    ],
    [
      "lapsed after the incident, which fell in the grace period (no grace cover)",
      facts({ policy: { status: "lapsed", graceStartedOn: "2026-06-10", lapsedOn: "2026-07-10" } }),
      ["unpaid_grace"],
    ],
    [
      "lapsed after the incident, inside the tenant's grace cover",
      facts({ graceCoverDays: 7, policy: { status: "lapsed", graceStartedOn: "2026-06-10", lapsedOn: "2026-07-10" } }),
      [],
    ],
    [
      "in grace, inside the tenant's grace cover (5 of 7 days)",
      facts({ graceCoverDays: 7, policy: { status: "grace", graceStartedOn: "2026-06-10" } }),
      [],
    ],
    [
      "in grace, beyond the tenant's grace cover (5 of 3 days)",
      facts({ graceCoverDays: 3, policy: { status: "grace", graceStartedOn: "2026-06-10" } }),
      ["unpaid_grace"],
    ],
    [
      "in grace, on its last covered day (6 of 7)",
      facts({ graceCoverDays: 7, incidentDate: "2026-06-16", policy: { status: "grace", graceStartedOn: "2026-06-10" } }),
      [],
    ],
    [
      "in grace, the first day past it (7 of 7)",
      facts({ graceCoverDays: 7, incidentDate: "2026-06-17", policy: { status: "grace", graceStartedOn: "2026-06-10" } }),
      ["unpaid_grace"],
    ],
    ["in grace, incident before the unpaid due date", facts({ policy: { status: "grace", graceStartedOn: "2026-07-01" } }), []],
    ["cancelled before the incident", facts({ policy: { status: "cancelled", cancelledOn: "2026-06-01" } }), ["cancelled"]],
    ["cancelled after the incident", facts({ policy: { status: "cancelled", cancelledOn: "2026-07-01" } }), []],
    ["inside the waiting period", facts({ waitingDays: 180 }), ["waiting_period"]],
    ["on the day the waiting period ends", facts({ waitingDays: 165 }), []],
    ["claimed more than the benefit left", facts({ benefitLeftMinor: 50_000 }), ["over_benefit_left"]],
    ["claimed exactly the benefit left", facts({ benefitLeftMinor: 100_000 }), []],
    ["the benefit used up", facts({ benefitLeftMinor: 0 }), ["over_benefit_left"]],
    ["documents missing", facts({ provided: ["damage_photos"] }), ["documents_missing"]],
    [
      "several at once",
      facts({ waitingDays: 365, benefitLeftMinor: 10, provided: [], policy: { status: "grace", graceStartedOn: "2026-06-01" } }),
      ["unpaid_grace", "waiting_period", "over_benefit_left", "documents_missing"],
    ],
  ])("%s", (_label, input, expected) => {
    expect(codes(input)).toEqual(expected);
  });

  it("says what is missing and why, in plain words", () => {
    const flags = checkEligibility(facts({ provided: ["damage_photos"], benefitLeftMinor: 50_000, waitingDays: 180 }));
    expect(flags.find((f) => f.code === "documents_missing")!.message).toBe(
      "Documents missing: police abstract (police report), driving licence, repair estimate or quotation.",
    );
    expect(flags.find((f) => f.code === "over_benefit_left")!.message).toContain("KES 500 left");
    expect(flags.find((f) => f.code === "waiting_period")!.message).toContain("covered from 2026-06-30");
  });
});

describe("policyYearStart", () => {
  it.each([
    ["2026-01-01", "2026-06-15", "2026-01-01"],
    ["2024-03-10", "2026-03-09", "2025-03-10"],
    ["2024-03-10", "2026-03-10", "2026-03-10"],
    ["2024-02-29", "2025-03-01", "2025-02-28"],
    ["2026-05-01", "2026-05-01", "2026-05-01"],
  ])("cover from %s, incident on %s: the year from %s", (start, on, expected) => {
    expect(policyYearStart(start, on)).toBe(expected);
  });
});

describe("requiredDocuments", () => {
  it("adds a product's own documents to the family's and lets it rename one", () => {
    const docs = requiredDocuments("medical", "inpatient", {
      documents: {
        inpatient: [
          { code: "nric_copy", label: "Copy of MyKad (NRIC)" },
          { code: "itemised_bill", label: "Final hospital bill" },
        ],
      },
    });
    expect(docs.map((d) => d.code)).toEqual(["discharge_summary", "itemised_bill", "medical_report", "nric_copy"]);
    expect(docs.find((d) => d.code === "itemised_bill")!.label).toBe("Final hospital bill");
  });

  it("knows no documents for a claim type outside the family", () => {
    expect(requiredDocuments("motor", "inpatient")).toEqual([]);
  });
});
