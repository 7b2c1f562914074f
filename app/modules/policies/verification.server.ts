import type { TenantDb } from "~db/client";
import type { PolicyStatus } from "~db/schema";

/**
 * The public certificate check behind the QR code (`/verify/<verification_code>`): anyone holding a
 * certificate can confirm it is genuine and in force, and learn nothing about the person it covers.
 *
 * What is returned is deliberately narrow — policy number, product, insurer, status and cover dates —
 * and never the holder's name, identifiers, contact details, beneficiaries or premium. The code is
 * random and unique; the lookup is one indexed equality match, so a miss and a hit cost the same and
 * a malformed code is answered exactly like an unknown one.
 */

/** What a verification code looks like: URL-safe, long enough to be unguessable. */
const CODE_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

export type CertificateValidity =
  | { valid: true; reason: "in_force" | "not_started" }
  | { valid: false; reason: "not_issued" | "awaiting_underwriting" | "declined" | "cancelled" | "lapsed" | "expired" };

export interface CertificateCheck {
  policyNumber: string | null;
  productName: string;
  insurerName: string;
  categoryName: string;
  status: PolicyStatus;
  startDate: string | null;
  endDate: string | null;
  /** The first day without cover of a cancelled policy (issue 13): the check says since when. */
  cancelledOn: string | null;
  validity: CertificateValidity;
}

export function isVerificationCode(code: unknown): code is string {
  return typeof code === "string" && CODE_PATTERN.test(code);
}

/**
 * Whether a policy's certificate is valid on `today` (YYYY-MM-DD in the agency's time zone). Valid
 * only when the policy is active or in its grace period, issued, and its cover has not ended. Pure.
 */
export function certificateValidity(
  policy: { status: PolicyStatus; policyNumber: string | null; startDate: string | null; endDate: string | null },
  today: string,
): CertificateValidity {
  switch (policy.status) {
    case "active":
    case "grace":
      if (!policy.policyNumber || !policy.startDate) return { valid: false, reason: "not_issued" };
      if (policy.endDate && policy.endDate < today) return { valid: false, reason: "expired" };
      return policy.startDate > today ? { valid: true, reason: "not_started" } : { valid: true, reason: "in_force" };
    case "pending_underwriting":
      return { valid: false, reason: "awaiting_underwriting" };
    case "declined":
      return { valid: false, reason: "declined" };
    case "cancelled":
      return { valid: false, reason: "cancelled" };
    case "lapsed":
      return { valid: false, reason: "lapsed" };
    case "expired":
      return { valid: false, reason: "expired" };
    case "quoted":
    case "pending_payment":
      return { valid: false, reason: "not_issued" };
  }
}

/** The certificate behind a verification code, or undefined for an unknown (or malformed) code. */
export async function checkCertificate(db: TenantDb, code: string, today: string): Promise<CertificateCheck | undefined> {
  if (!isVerificationCode(code)) return undefined;
  const row = await db
    .selectFrom("policies as p")
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .innerJoin("insurers as i", (j) => j.onRef("i.tenant_id", "=", "pr.tenant_id").onRef("i.id", "=", "pr.insurer_id"))
    .innerJoin("categories as c", (j) => j.onRef("c.tenant_id", "=", "pr.tenant_id").onRef("c.id", "=", "pr.category_id"))
    // Only what the page may show: nothing that leads back to the holder.
    .select([
      "p.policy_number",
      "p.status",
      "p.start_date",
      "p.end_date",
      "p.cancelled_on",
      "pr.name as product_name",
      "i.name as insurer_name",
      "c.name as category_name",
    ])
    .where("p.verification_code", "=", code)
    .executeTakeFirst();
  if (!row) return undefined;
  const policy = { status: row.status, policyNumber: row.policy_number, startDate: row.start_date, endDate: row.end_date };
  return {
    ...policy,
    cancelledOn: row.status === "cancelled" ? row.cancelled_on : null,
    productName: row.product_name,
    insurerName: row.insurer_name,
    categoryName: row.category_name,
    validity: certificateValidity(policy, today),
  };
}
