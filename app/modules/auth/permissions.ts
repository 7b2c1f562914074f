import type { Role } from "~db/schema";

/**
 * Permission strings are `verb:resource:scope`. Loaders and actions check them on the server;
 * the UI only uses them to hide what a person cannot do.
 */
export const PERMISSIONS = {
  customer: ["read:account:own", "update:account:own", "buy:policy:own", "cancel:policy:own", "file:claim:own"],
  agent: [
    "read:account:own",
    "update:account:own",
    "buy:policy:own",
    "cancel:policy:own",
    // The agent portal: their own downline, members, sales and commissions, nobody else's.
    "read:network:own",
    "register:member:own",
    // Suspend, reinstate or terminate their own members (decision 035).
    "manage:member:own",
    "sell:policy:member",
    "record:offline-payment:own",
    "dispute:commission:own",
    "file:claim:own",
    // Their own members' claims: filed for them and reviewed as a stage of the tenant's workflow.
    "file:claim:member",
    "review:claim:member",
  ],
  assessor: [
    "read:account:own",
    "update:account:own",
    "buy:policy:own",
    "cancel:policy:own",
    "file:claim:own",
    "read:backoffice:any",
    "read:claim:any",
    "assess:claim:any",
    // Alone up to the tenant's four-eyes amount; above it a second person must sign (never the assessor).
    "approve:claim:any",
    "read:facility:any",
    "work:task:own",
  ],
  claims_manager: [
    "read:account:own",
    "update:account:own",
    "buy:policy:own",
    "cancel:policy:own",
    "file:claim:own",
    "read:backoffice:any",
    "read:policy:any",
    "read:claim:any",
    "assess:claim:any",
    "assign:claim:any",
    "approve:claim:any",
    "settle:claim:any",
    "read:claims-report:any",
    "read:facility:any",
    "manage:facility:any",
    "work:task:own",
  ],
  underwriter: [
    "read:account:own",
    "update:account:own",
    "buy:policy:own",
    "cancel:policy:own",
    "read:backoffice:any",
    "read:policy:any",
    "underwrite:policy:any",
    // Changes of cover mid-term, and reversing one (issue 13).
    "endorse:policy:any",
    "file:claim:own",
    "work:task:own",
  ],
  staff: [
    "read:account:own",
    "update:account:own",
    "buy:policy:own",
    "cancel:policy:own",
    "read:backoffice:any",
    "read:user:any",
    "read:catalogue:any",
    "read:policy:any",
    "read:transaction:any",
    "read:agent:any",
    "read:member:any",
    "read:commission:any",
    "confirm:offline-payment:any",
    "file:claim:own",
    "read:claim:any",
    "read:facility:any",
  ],
  admin: [
    "read:account:own",
    "update:account:own",
    "buy:policy:own",
    "cancel:policy:own",
    "read:policy:any",
    "read:transaction:any",
    "refund:transaction:any",
    "retry:issuance:any",
    // Cancel any policy with a refund of the unearned premium (issue 13; decision 030).
    "cancel:policy:any",
    "underwrite:policy:any",
    "manage:payments:any",
    "manage:policy-rules:any",
    // Changes of cover mid-term and reinstatement of a lapsed policy (issue 13).
    "endorse:policy:any",
    "reinstate:policy:any",
    "read:backoffice:any",
    "read:user:any",
    "update:user-roles:any",
    "read:audit:any",
    "read:outbox:any",
    "read:catalogue:any",
    "manage:catalogue:any",
    "read:agent:any",
    "manage:agent:any",
    "read:member:any",
    "manage:member:any",
    "read:commission:any",
    "manage:commission-rules:any",
    "close:commission-month:any",
    "pay:payout:any",
    "resolve:commission-dispute:any",
    "confirm:offline-payment:any",
    "file:claim:own",
    "read:claim:any",
    "assess:claim:any",
    "assign:claim:any",
    "approve:claim:any",
    "settle:claim:any",
    "manage:claim-settings:any",
    "read:claims-report:any",
    "read:facility:any",
    "manage:facility:any",
    "manage:workflow:any",
    "work:task:own",
    // Whether staff must use two-factor sign-in (decision 033).
    "manage:security:any",
    // Messaging (issue 14): providers, templates and quiet hours; broadcasts; alerts.
    "manage:messaging:any",
    "send:broadcast:any",
    "read:alert:any",
    // Partners' API keys, allowed websites and hourly allowances (issue 15, decision 045).
    "manage:api:any",
  ],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof PERMISSIONS)[Role][number];

export function permissionsFor(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((role) => PERMISSIONS[role] as readonly Permission[]));
}

export function can(roles: readonly Role[], permission: Permission): boolean {
  return permissionsFor(roles).has(permission);
}

export const ROLE_LABELS: Record<Role, string> = {
  customer: "Customer",
  agent: "Agent",
  staff: "Staff",
  assessor: "Assessor",
  claims_manager: "Claims manager",
  underwriter: "Underwriter",
  admin: "Administrator",
};

/**
 * Staff, for rules that apply to the people who run an agency rather than to its customers: every
 * role but a customer's (a KHHoldings member is a customer). An agency can require two-factor
 * sign-in of them (decision 033).
 */
export const STAFF_ROLES: readonly Role[] = (Object.keys(ROLE_LABELS) as Role[]).filter((role) => role !== "customer");

export function isStaff(roles: readonly Role[]): boolean {
  return roles.some((role) => STAFF_ROLES.includes(role));
}
