import type { OrderStep } from "~db/schema";
import { FREQUENCY_LABELS, type Frequency } from "~/modules/rating";
import type { IdentifierKind } from "~/modules/pii/identifiers";

/**
 * The checkout wizard's steps, in order, and the small rules every step shares. Browser-safe: the
 * progress indicator and the forms use them too.
 */
export const STEPS: readonly OrderStep[] = ["details", "plan", "review", "payment"];

export const STEP_LABELS: Record<OrderStep, string> = {
  details: "Your details",
  plan: "Payment plan",
  review: "Review",
  payment: "Pay",
};

/** The URL segment of each step (the payment step lives at /pay). */
export const STEP_PATHS: Record<OrderStep, string> = { details: "details", plan: "plan", review: "review", payment: "pay" };

export function stepIndex(step: OrderStep): number {
  return STEPS.indexOf(step);
}

/** The later of two steps: saving a step moves the order forward, never back. */
export function furthest(a: OrderStep, b: OrderStep): OrderStep {
  return stepIndex(a) >= stepIndex(b) ? a : b;
}

export function stepUrl(orderId: string, step: OrderStep): string {
  return `/checkout/${orderId}/${STEP_PATHS[step]}`;
}

/**
 * The identity numbers an agency must collect from a policyholder, by the market it sells in:
 * Kenya (KES) asks for the national ID and the KRA PIN, Malaysia (MYR) for the MyKad (NRIC).
 */
export function identifierKindsFor(tenant: { currency: string }): IdentifierKind[] {
  switch (tenant.currency) {
    case "KES":
      return ["national_id", "kra_pin"];
    case "MYR":
      return ["nric"];
    default:
      return [];
  }
}

export const IDENTIFIER_LABELS: Record<IdentifierKind, string> = {
  national_id: "National ID number",
  kra_pin: "KRA PIN",
  nric: "MyKad (NRIC) number",
  bank_account: "Bank account number",
};

export const IDENTIFIER_HINTS: Partial<Record<IdentifierKind, string>> = {
  national_id: "7 or 8 digits, as on your national ID card.",
  kra_pin: "Like A123456789Z, as on your KRA PIN certificate.",
  nric: "12 digits, like 850412-10-1234.",
};

/** How a frequency is offered at checkout: paying annually is paying in full. */
export function frequencyChoiceLabel(frequency: Frequency): string {
  return frequency === "annual" ? "Pay in full" : FREQUENCY_LABELS[frequency];
}

export const RELATIONSHIPS = [
  { value: "spouse", label: "Spouse" },
  { value: "child", label: "Child" },
  { value: "parent", label: "Parent" },
  { value: "sibling", label: "Brother or sister" },
  { value: "other_relative", label: "Other relative" },
  { value: "other", label: "Someone else" },
] as const;

/** How many beneficiary rows the form shows: a fixed set, so it works without JavaScript. */
export const BENEFICIARY_ROWS = 4;

/** Uploads: what we accept and how large (checked again on the server by the file's own bytes). */
export const UPLOAD_TYPES = ["application/pdf", "image/jpeg", "image/png"] as const;
export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
export const UPLOAD_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png";
