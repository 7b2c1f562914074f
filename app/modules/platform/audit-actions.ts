/** The platform audit log's actions, in the words the console shows (client-safe: no server code). */
export const PLATFORM_AUDIT_ACTIONS = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Failed sign-in",
  "auth.lockout": "Locked out",
  "auth.sign_out": "Signed out",
  "auth.password_changed": "Changed password",
  "tenant.onboarded": "Onboarded an agency",
  "tenant.branding_updated": "Updated branding",
  "tenant.suspended": "Suspended an agency",
  "tenant.reactivated": "Reactivated an agency",
} as const satisfies Record<string, string>;

export function auditActionLabel(action: string): string {
  return (PLATFORM_AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}

/** The parts of an audit entry's details worth a glance: a reason, what changed, a slug. */
export function auditSummary(details: Record<string, unknown> | null | undefined): string {
  if (!details) return "";
  const parts: string[] = [];
  if (typeof details.reason === "string") parts.push(`Reason: ${details.reason}`);
  if (Array.isArray(details.changed) && details.changed.length) parts.push(`Changed: ${details.changed.join(", ")}`);
  if (typeof details.slug === "string") parts.push(`Address: ${details.slug}`);
  if (typeof details.adminEmail === "string") parts.push(`Admin: ${details.adminEmail}`);
  return parts.join(" · ");
}
