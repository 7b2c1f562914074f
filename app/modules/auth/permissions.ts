import type { Role } from "~db/schema";

/**
 * Permission strings are `verb:resource:scope`. Loaders and actions check them on the server;
 * the UI only uses them to hide what a person cannot do.
 */
export const PERMISSIONS = {
  customer: ["read:account:own", "update:account:own", "buy:policy:own"],
  agent: [
    "read:account:own",
    "update:account:own",
    "buy:policy:own",
    // The agent portal: their own downline, members, sales and commissions, nobody else's.
    "read:network:own",
    "register:member:own",
    "sell:policy:member",
    "record:offline-payment:own",
    "dispute:commission:own",
  ],
  assessor: ["read:account:own", "update:account:own", "buy:policy:own"],
  underwriter: [
    "read:account:own",
    "update:account:own",
    "buy:policy:own",
    "read:backoffice:any",
    "read:policy:any",
    "underwrite:policy:any",
  ],
  staff: [
    "read:account:own",
    "update:account:own",
    "buy:policy:own",
    "read:backoffice:any",
    "read:user:any",
    "read:catalogue:any",
    "read:policy:any",
    "read:transaction:any",
    "read:agent:any",
    "read:commission:any",
    "confirm:offline-payment:any",
  ],
  admin: [
    "read:account:own",
    "update:account:own",
    "buy:policy:own",
    "read:policy:any",
    "read:transaction:any",
    "refund:transaction:any",
    "retry:issuance:any",
    "underwrite:policy:any",
    "manage:payments:any",
    "manage:policy-rules:any",
    "read:backoffice:any",
    "read:user:any",
    "update:user-roles:any",
    "read:audit:any",
    "read:outbox:any",
    "read:catalogue:any",
    "manage:catalogue:any",
    "read:agent:any",
    "manage:agent:any",
    "read:commission:any",
    "manage:commission-rules:any",
    "close:commission-month:any",
    "pay:payout:any",
    "resolve:commission-dispute:any",
    "confirm:offline-payment:any",
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
  underwriter: "Underwriter",
  admin: "Administrator",
};
