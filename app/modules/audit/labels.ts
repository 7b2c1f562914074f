/**
 * Human wording for audit actions, shown next to the action code in the back office. Shared
 * with route components (no server code here). An action missing here is shown by its code.
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "account.registered": "Created an account",
  "account.invited": "Invited a user",
  "account.email_verified": "Confirmed their email",
  "account.verification_sent": "Asked for a new confirmation link",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Failed sign-in",
  "auth.lockout": "Account locked after failed sign-ins",
  "auth.sign_out": "Signed out",
  "auth.session_revoked": "Signed out another device",
  "auth.other_sessions_revoked": "Signed out everywhere else",
  "auth.password_changed": "Changed their password",
  "auth.password_reset_requested": "Asked for a password reset",
  "auth.password_reset": "Reset their password",
  "auth.invitation_accepted": "Accepted an invitation",
  "user.roles_changed": "Changed roles",
  // Catalogue back office
  "catalogue.insurer_created": "Added an insurer",
  "catalogue.insurer_updated": "Edited an insurer",
  "catalogue.insurer_activated": "Activated an insurer",
  "catalogue.insurer_deactivated": "Deactivated an insurer",
  "catalogue.category_created": "Added a category",
  "catalogue.category_updated": "Edited a category",
  "catalogue.category_activated": "Activated a category",
  "catalogue.category_deactivated": "Deactivated a category",
  "catalogue.product_created": "Added a product",
  "catalogue.product_updated": "Edited a product",
  "catalogue.product_activated": "Activated a product",
  "catalogue.product_deactivated": "Deactivated a product",
  "catalogue.products_imported": "Uploaded products from a CSV file",
  // Payments and policies
  "policy.approved": "Approved a policy in underwriting",
  "policy.declined": "Declined a policy in underwriting",
  "payment.refund_requested": "Requested a refund",
  "payment.issuance_retried": "Retried a policy issuance",
  "payment.provider_updated": "Changed a payment provider's settings",
  "policy.rules_updated": "Changed the policy rules (grace, reinstatement, reminders)",
};

/** Prefixes offered in the audit log's filter. */
export const AUDIT_ACTION_PREFIXES = [
  { value: "auth.", label: "Sign-ins and passwords" },
  { value: "account.", label: "Accounts" },
  { value: "user.", label: "User administration" },
  { value: "catalogue.", label: "Catalogue" },
  { value: "payment.", label: "Payments" },
  { value: "policy.", label: "Policies" },
] as const;

export function auditActionLabel(action: string): string | undefined {
  return AUDIT_ACTION_LABELS[action];
}
