import type { Role, TenantFeatures } from "~db/schema";
import { can, type Permission } from "~/modules/auth/permissions";

/**
 * The back office's navigation, in one place: the layout renders it and the tests read it. A link
 * shows only to people with its permission (and, for the agent network's pages, only in agencies
 * that run one); each page still checks on the server, so hiding a link is only a courtesy.
 */
export interface BackOfficeLink {
  to: string;
  /** Its name's key in the admin namespace (`menu.links.<key>`): the menu speaks the person's language. */
  key: string;
  permission: Permission;
  feature?: keyof TenantFeatures;
  /** Current only on this exact path (the overview), not on the pages below it. */
  end?: boolean;
}

export interface BackOfficeGroup {
  /** Also its heading's key (`menu.groups.<id>`). */
  id: string;
  links: BackOfficeLink[];
}

export const BACK_OFFICE_NAV: readonly BackOfficeGroup[] = [
  {
    id: "sales",
    links: [
      { to: "/admin", key: "overview", permission: "read:backoffice:any", end: true },
      { to: "/admin/catalogue", key: "catalogue", permission: "read:catalogue:any" },
      { to: "/admin/transactions", key: "transactions", permission: "read:transaction:any" },
    ],
  },
  {
    id: "policies",
    links: [
      { to: "/admin/policies", key: "policies", permission: "read:policy:any" },
      { to: "/admin/underwriting", key: "underwriting", permission: "underwrite:policy:any" },
      { to: "/admin/policy-rules", key: "policyRules", permission: "manage:policy-rules:any" },
    ],
  },
  {
    id: "claims",
    links: [
      { to: "/admin/tasks", key: "myTasks", permission: "work:task:own" },
      { to: "/admin/claims", key: "claimsQueue", permission: "read:claim:any" },
      { to: "/admin/claims/figures", key: "claimsFigures", permission: "read:claims-report:any" },
      // Assessors and staff read the directory (claims managers and admins edit it), as the pages allow.
      { to: "/admin/facilities", key: "facilities", permission: "read:facility:any" },
      { to: "/admin/workflows", key: "workflows", permission: "manage:workflow:any" },
      { to: "/admin/claims/settings", key: "claimSettings", permission: "manage:claim-settings:any" },
    ],
  },
  {
    id: "money",
    links: [
      { to: "/admin/chargebacks", key: "chargebacks", permission: "read:transaction:any" },
      { to: "/admin/offline-payments", key: "offlinePayments", permission: "confirm:offline-payment:any", feature: "agentNetwork" },
      { to: "/admin/commissions", key: "commissions", permission: "read:commission:any", feature: "agentNetwork" },
      { to: "/admin/commissions/months", key: "payouts", permission: "read:commission:any", feature: "agentNetwork" },
      { to: "/admin/payments", key: "paymentProviders", permission: "manage:payments:any" },
    ],
  },
  {
    id: "network",
    links: [
      { to: "/admin/agents", key: "agents", permission: "read:agent:any", feature: "agentNetwork" },
      { to: "/admin/members", key: "members", permission: "read:member:any", feature: "agentNetwork" },
      // Staff may read the rules (only admins change them), as the page itself allows.
      { to: "/admin/commission-rules", key: "commissionRules", permission: "read:commission:any", feature: "agentNetwork" },
    ],
  },
  {
    id: "messages",
    links: [
      { to: "/admin/outbox", key: "messageLog", permission: "read:outbox:any" },
      { to: "/admin/messages/templates", key: "templates", permission: "manage:messaging:any" },
      { to: "/admin/messages/broadcasts", key: "broadcasts", permission: "send:broadcast:any" },
      { to: "/admin/messages/providers", key: "messagingProviders", permission: "manage:messaging:any" },
      { to: "/admin/messages/settings", key: "quietHours", permission: "manage:messaging:any" },
      { to: "/admin/alerts", key: "alerts", permission: "read:alert:any" },
    ],
  },
  {
    id: "settings",
    links: [
      { to: "/admin/users", key: "users", permission: "read:user:any" },
      { to: "/admin/security", key: "security", permission: "manage:security:any" },
      { to: "/admin/api-keys", key: "apiKeys", permission: "manage:api:any" },
      { to: "/admin/audit", key: "auditLog", permission: "read:audit:any" },
    ],
  },
];

export type VisibleLink = Pick<BackOfficeLink, "to" | "key" | "end">;
export type VisibleGroup = { id: string; links: VisibleLink[] };

/** The groups and links these roles may open in this agency; a group with none is left out. */
export function backOfficeNav(roles: readonly Role[], features: TenantFeatures): VisibleGroup[] {
  return BACK_OFFICE_NAV.map((group) => ({
    id: group.id,
    links: group.links
      .filter((link) => can(roles, link.permission) && (!link.feature || features[link.feature]))
      .map(({ to, key, end }) => ({ to, key, ...(end ? { end } : {}) })),
  })).filter((group) => group.links.length > 0);
}

/**
 * The one link to mark as the current page: the longest that the path is at or below, so
 * /admin/commissions/months/2026-11 marks Payouts, not Commissions as well.
 */
export function currentLink(groups: readonly VisibleGroup[], pathname: string): VisibleLink | undefined {
  const path = pathname.replace(/\/+$/, "") || "/";
  let best: VisibleLink | undefined;
  for (const link of groups.flatMap((group) => group.links)) {
    const matches = path === link.to || (!link.end && path.startsWith(`${link.to}/`));
    if (matches && (!best || link.to.length > best.to.length)) best = link;
  }
  return best;
}
