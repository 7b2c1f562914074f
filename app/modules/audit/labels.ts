/**
 * Human wording for audit actions, shown next to the action code in the back office. Shared
 * with route components (no server code here). An action missing here is shown by its code.
 * This English is the source: each action also has a key `audit.actions.<action>` in the `admin`
 * namespace (en/sw/ms admin.json, decision 037) — add it there too when adding one here.
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "account.registered": "Created an account",
  "account.invited": "Invited a user",
  "account.email_verified": "Confirmed their email",
  "account.verification_sent": "Asked for a new confirmation link",
  "account.registration_for_existing": "Someone tried to register with this email (the owner was told)",
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
  // The customer's data-protection rights (decision 034)
  "privacy.export_requested": "Asked for a copy of their data",
  "privacy.export_ready": "Their copy of their data was prepared",
  "privacy.export_failed": "Their copy of their data could not be prepared",
  "privacy.export_downloaded": "Downloaded the copy of their data",
  "privacy.close_refused": "Tried to close their account (refused)",
  "privacy.account_closed": "Closed their account",
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
  "policy.cancelled": "Cancelled a policy",
  "policy.cancellation_returned": "Recorded money the agency returned for a cancellation",
  "policy.referred": "Referred a policy in underwriting to the next stage",
  "payment.refund_requested": "Requested a refund",
  "payment.issuance_retried": "Retried a policy issuance",
  "payment.provider_updated": "Changed a payment provider's settings",
  "policy.rules_updated": "Changed the policy rules (grace, reinstatement, reminders)",
  // Members and offline payments (agent network)
  "member.registered": "Registered a member",
  "member.updated": "Edited a member",
  "member.sale_started": "Started a sale to a member",
  "member.sale_terms_accepted": "Confirmed the member accepts the terms",
  "member.payment_link_sent": "Sent a member a payment link",
  "payment.offline_recorded": "Recorded a payment collected offline",
  "payment.offline_confirmed": "Confirmed an offline payment",
  "payment.offline_rejected": "Rejected an offline payment",
  "payment.offline_refund_recorded": "Recorded a refund of an offline payment",
  // Agent network
  "agent.joined": "Joined as an agent through a referral link",
  "agent.created": "Added an agent",
  "agent.approve": "Approved an agent",
  "agent.reject": "Rejected an agent's application",
  "agent.suspend": "Suspended an agent",
  "agent.reinstate": "Reinstated an agent",
  "agent.terminate": "Terminated an agent",
  "agent.moved": "Moved an agent to another sponsor",
  "agent.bank_updated": "Changed an agent's bank details",
  "agent.phone_code_sent": "Sent a phone confirmation code",
  "agent.phone_verified": "Confirmed an agent's phone",
  "agent.network_settings_updated": "Changed the network settings",
  "agent.duitnow_updated": "Changed an agent's DuitNow choice",
  "agent.rank_added": "Added an agent rank",
  "agent.rank_removed": "Removed an agent rank",
  "agent.rank_set": "Changed an agent's rank",
  // Commissions back office
  "commission.rules_saved": "Changed a product's commission rules",
  "commission.rules_cancelled": "Cancelled a scheduled version of a product's commission rules",
  "commission.bonus_saved": "Changed a commission bonus",
  "commission.month_closed": "Closed a commission month",
  "commission.batch_paid": "Marked a payout batch paid",
  "commission.payout_file_downloaded": "Downloaded a payout batch's bank-transfer file",
  "commission.bank_file_downloaded": "Downloaded a payout batch's bulk-payment file",
  "commission.bank_file_settings_updated": "Changed the bank file settings",
  "commission.payouts_started": "Started a payout batch's M-Pesa payouts",
  "commission.dispute_replied": "Replied to a commission dispute",
  "commission.dispute_rejected": "Rejected a commission dispute",
  "commission.dispute_adjusted": "Adjusted a disputed commission entry",
  // Hospitals and clinics
  "facility.created": "Added a hospital or clinic",
  "facility.updated": "Edited a hospital or clinic",
  "facility.activated": "Reactivated a hospital or clinic",
  "facility.deactivated": "Deactivated a hospital or clinic",
  "facility.imported": "Uploaded hospitals and clinics from a CSV file",
  // Workflows
  "workflow.template_saved": "Saved a new version of a workflow",
  "workflow.task_taken": "Took a task",
  // The API: apps signed in with tokens, partners' keys (decision 045)
  "api.signed_in": "An app signed in",
  "api.token_refreshed": "An app renewed its sign-in",
  "api.refresh_reused": "A refresh token was used twice; the app's sign-in was ended",
  "api.signed_out": "An app signed out",
  "api.app_revoked": "Signed out an app",
  "api.token_used": "Used the API from an app",
  "api.key_used": "A partner used an API key",
  "api.key_created": "Created an API key",
  "api.key_revoked": "Revoked an API key",
  "api.settings_saved": "Changed the API settings",
};

/** Prefixes offered in the audit log's filter. */
export const AUDIT_ACTION_PREFIXES = [
  { value: "auth.", label: "Sign-ins and passwords" },
  { value: "account.", label: "Accounts" },
  { value: "user.", label: "User administration" },
  { value: "catalogue.", label: "Catalogue" },
  { value: "payment.", label: "Payments" },
  { value: "policy.", label: "Policies" },
  { value: "member.", label: "Members" },
  { value: "agent.", label: "Agents" },
  { value: "commission.", label: "Commissions" },
  { value: "facility.", label: "Hospitals and clinics" },
  { value: "workflow.", label: "Workflows" },
  { value: "api.", label: "API" },
] as const;

export function auditActionLabel(action: string): string | undefined {
  return AUDIT_ACTION_LABELS[action];
}

/** `t` of the `admin` namespace: `serverT(language, "admin")` in a loader, `useTranslation("admin").t` in a component. */
type AdminT = (key: string, options: { defaultValue: string }) => string;

/**
 * An action's wording in the reader's language: its `audit.actions.<action>` key in `admin`,
 * else the English above; undefined for an action without wording (show its code).
 */
export function auditActionText(t: AdminT, action: string): string | undefined {
  const english = AUDIT_ACTION_LABELS[action];
  return english === undefined ? undefined : t(`audit.actions.${action}`, { defaultValue: english });
}

/** A filter prefix's wording in the reader's language (`audit.prefixes.<prefix without its dot>`). */
export function auditPrefixText(t: AdminT, prefix: { value: string; label: string }): string {
  return t(`audit.prefixes.${prefix.value.replace(/\.$/, "")}`, { defaultValue: prefix.label });
}
