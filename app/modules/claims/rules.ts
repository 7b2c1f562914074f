import type { ClaimFamily, ProductClaimRules } from "~db/schema";

/**
 * What can be claimed on a policy, by its category's claim family (issue 12 item 1), and what each
 * kind of claim needs. Pure and browser-safe: the wizard shows the same lists the server checks.
 *
 * A product's `claim_rules` (catalogue data) refine the family's defaults: its documents for a claim
 * type are added to the defaults (same code: the product's label wins), its waiting days per type
 * replace the product's general waiting period.
 */

export const CLAIM_FAMILIES = ["motor", "medical", "life", "travel", "home"] as const satisfies readonly ClaimFamily[];

export interface ClaimDocumentNeed {
  code: string;
  label: string;
}

interface ClaimTypeDef {
  label: string;
  /** One line the claimant reads when choosing. */
  hint: string;
  documents: readonly ClaimDocumentNeed[];
}

const doc = (code: string, label: string): ClaimDocumentNeed => ({ code, label });
const POLICE_ABSTRACT = doc("police_abstract", "Police abstract (police report)");
const DAMAGE_PHOTOS = doc("damage_photos", "Photos of the damage");
const DRIVING_LICENCE = doc("driving_licence", "Driving licence");
const REPAIR_ESTIMATE = doc("repair_estimate", "Repair estimate or quotation");
const MEDICAL_REPORT = doc("medical_report", "Medical report from the doctor");
const ITEMISED_BILL = doc("itemised_bill", "Itemised hospital bill");
const RECEIPTS = doc("receipts", "Receipts");
const BOARDING_PASS = doc("boarding_pass", "Boarding pass or ticket");

export const CLAIM_TYPES = {
  motor: {
    accident: {
      label: "Accident damage",
      hint: "Your vehicle was damaged in a collision or an accident.",
      documents: [POLICE_ABSTRACT, DAMAGE_PHOTOS, DRIVING_LICENCE, REPAIR_ESTIMATE],
    },
    theft: {
      label: "Theft of the vehicle",
      hint: "Your vehicle, or parts of it, were stolen.",
      documents: [POLICE_ABSTRACT, doc("logbook", "Vehicle logbook (ownership certificate)")],
    },
    third_party: {
      label: "Third-party claim",
      hint: "Someone else's vehicle, property or person was harmed.",
      documents: [POLICE_ABSTRACT, DRIVING_LICENCE, doc("third_party_claim", "The third party's claim or demand letter")],
    },
    windscreen: {
      label: "Windscreen or glass",
      hint: "A cracked or broken windscreen or window.",
      documents: [DAMAGE_PHOTOS, doc("glass_invoice", "Glass repair or replacement invoice")],
    },
  },
  medical: {
    inpatient: {
      label: "Hospital stay (inpatient)",
      hint: "You were admitted to hospital.",
      documents: [doc("discharge_summary", "Discharge summary"), ITEMISED_BILL, MEDICAL_REPORT],
    },
    outpatient: {
      label: "Clinic visit (outpatient)",
      hint: "A consultation, tests or medicine without a hospital stay.",
      documents: [RECEIPTS, doc("prescription", "Prescription or doctor's note")],
    },
    accident: {
      label: "Accident treatment",
      hint: "Treatment after an accident or injury.",
      documents: [MEDICAL_REPORT, ITEMISED_BILL],
    },
    cancer: {
      label: "Cancer treatment",
      hint: "Diagnosis or treatment of cancer.",
      documents: [MEDICAL_REPORT, doc("pathology_report", "Pathology (biopsy) report"), ITEMISED_BILL],
    },
  },
  life: {
    death: {
      label: "Death of the insured",
      hint: "For the family or beneficiaries of the person insured.",
      documents: [
        doc("death_certificate", "Death certificate"),
        doc("burial_permit", "Burial permit"),
        doc("claimant_id", "ID of the person claiming"),
      ],
    },
    disability: {
      label: "Disability",
      hint: "The insured can no longer work because of illness or injury.",
      documents: [MEDICAL_REPORT, doc("disability_assessment", "Doctor's disability assessment")],
    },
  },
  travel: {
    medical: {
      label: "Medical treatment abroad",
      hint: "You were ill or injured while travelling.",
      documents: [MEDICAL_REPORT, ITEMISED_BILL, BOARDING_PASS],
    },
    baggage: {
      label: "Lost or delayed baggage",
      hint: "Your luggage was lost, damaged or delayed.",
      documents: [doc("irregularity_report", "Airline's property irregularity report"), BOARDING_PASS, RECEIPTS],
    },
    cancellation: {
      label: "Trip cancellation",
      hint: "You had to cancel or cut short your trip.",
      documents: [doc("booking_invoice", "Booking invoice"), doc("cancellation_proof", "Proof of why the trip was cancelled")],
    },
  },
  home: {
    fire: {
      label: "Fire",
      hint: "Fire, smoke or lightning damage.",
      documents: [doc("fire_report", "Fire brigade report"), DAMAGE_PHOTOS, REPAIR_ESTIMATE],
    },
    burglary: {
      label: "Burglary or theft",
      hint: "A break-in, or things stolen from your home.",
      documents: [POLICE_ABSTRACT, DAMAGE_PHOTOS, doc("stolen_items", "List of the items stolen, with receipts")],
    },
    water_damage: {
      label: "Water damage",
      hint: "A burst pipe, a leak or a flood.",
      documents: [DAMAGE_PHOTOS, REPAIR_ESTIMATE],
    },
    accidental_damage: {
      label: "Accidental damage",
      hint: "Something broken by accident.",
      documents: [DAMAGE_PHOTOS, REPAIR_ESTIMATE],
    },
  },
} as const satisfies Record<ClaimFamily, Record<string, ClaimTypeDef>>;

/** Any document the claimant adds beyond the list (a letter, another photo). */
export const OTHER_DOCUMENT: ClaimDocumentNeed = doc("other", "Other document");

export interface ClaimTypeOption {
  value: string;
  label: string;
  hint: string;
}

/** The claim types of a family, in the order the claimant sees them. */
export function claimTypesFor(family: ClaimFamily | null): ClaimTypeOption[] {
  if (!family) return [];
  return Object.entries(CLAIM_TYPES[family]).map(([value, def]) => ({ value, label: def.label, hint: def.hint }));
}

export function isClaimType(family: ClaimFamily | null, type: string): boolean {
  return family !== null && Object.hasOwn(CLAIM_TYPES[family], type);
}

/** A claim type's name in plain words ("Accident damage"); the code itself when unknown. */
export function claimTypeLabel(family: ClaimFamily | null, type: string): string {
  if (!family || !isClaimType(family, type)) return type.replace(/_/g, " ");
  return (CLAIM_TYPES[family] as Record<string, ClaimTypeDef>)[type]!.label;
}

/** The documents a claim of this type needs: the family's defaults with the product's own added. */
export function requiredDocuments(family: ClaimFamily | null, type: string, rules: ProductClaimRules = {}): ClaimDocumentNeed[] {
  const defaults = family && isClaimType(family, type) ? (CLAIM_TYPES[family] as Record<string, ClaimTypeDef>)[type]!.documents : [];
  const merged = new Map<string, ClaimDocumentNeed>(defaults.map((d) => [d.code, d]));
  for (const d of rules.documents?.[type] ?? []) merged.set(d.code, { code: d.code, label: d.label });
  return [...merged.values()];
}

/** Every document kind a claim of this type may carry: the required ones, then "other". */
export function documentKindsFor(family: ClaimFamily | null, type: string, rules: ProductClaimRules = {}): ClaimDocumentNeed[] {
  return [...requiredDocuments(family, type, rules), OTHER_DOCUMENT];
}

/** A document kind's label on this claim, or the code in words for a kind asked for later. */
export function documentLabel(kinds: readonly ClaimDocumentNeed[], code: string): string {
  return kinds.find((k) => k.code === code)?.label ?? code.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** Days from the start of cover before a claim of this type is covered. */
export function waitingDaysFor(type: string, rules: ProductClaimRules, productWaitingDays: number): number {
  return rules.waitingDays?.[type] ?? productWaitingDays;
}

/**
 * The family a category's claims belong to when it does not say: its slug, as migration 0012 set
 * it for existing rows (KHHoldings' hibah is life cover).
 */
export function familyFromSlug(slug: string): ClaimFamily | null {
  if ((CLAIM_FAMILIES as readonly string[]).includes(slug)) return slug as ClaimFamily;
  if (["hibah", "takaful", "funeral", "education"].includes(slug)) return "life";
  if (slug === "health") return "medical";
  return null;
}
