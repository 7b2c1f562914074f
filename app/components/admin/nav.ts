import type { Role, TenantFeatures } from "~db/schema";
import { can, type Permission } from "~/modules/auth/permissions";

/**
 * The back office's navigation, in one place: the layout renders it and the tests read it. A link
 * shows only to people with its permission (and, for the agent network's pages, only in agencies
 * that run one); each page still checks on the server, so hiding a link is only a courtesy.
 */
export interface BackOfficeLink {
  to: string;
  label: string;
  permission: Permission;
  feature?: keyof TenantFeatures;
  /** Current only on this exact path (the overview), not on the pages below it. */
  end?: boolean;
}

export interface BackOfficeGroup {
  id: string;
  label: string;
  links: BackOfficeLink[];
}

export const BACK_OFFICE_NAV: readonly BackOfficeGroup[] = [
  {
    id: "sales",
    label: "Sales",
    links: [
      { to: "/admin", label: "Overview", permission: "read:backoffice:any", end: true },
      { to: "/admin/catalogue", label: "Catalogue", permission: "read:catalogue:any" },
      { to: "/admin/transactions", label: "Transactions", permission: "read:transaction:any" },
    ],
  },
  {
    id: "policies",
    label: "Policies",
    links: [
      { to: "/admin/policies", label: "Policies", permission: "read:policy:any" },
      { to: "/admin/underwriting", label: "Underwriting", permission: "underwrite:policy:any" },
      { to: "/admin/policy-rules", label: "Policy rules", permission: "manage:policy-rules:any" },
    ],
  },
  {
    id: "claims",
    label: "Claims",
    links: [
      { to: "/admin/tasks", label: "My tasks", permission: "work:task:own" },
      { to: "/admin/claims", label: "Claims queue", permission: "read:claim:any" },
      { to: "/admin/claims/figures", label: "Claims figures", permission: "read:claims-report:any" },
      // Assessors and staff read the directory (claims managers and admins edit it), as the pages allow.
      { to: "/admin/facilities", label: "Hospitals & clinics", permission: "read:facility:any" },
      { to: "/admin/workflows", label: "Workflows", permission: "manage:workflow:any" },
      { to: "/admin/claims/settings", label: "Claim settings", permission: "manage:claim-settings:any" },
    ],
  },
  {
    id: "money",
    label: "Money",
    links: [
      { to: "/admin/chargebacks", label: "Chargebacks", permission: "read:transaction:any" },
      { to: "/admin/offline-payments", label: "Offline payments", permission: "confirm:offline-payment:any", feature: "agentNetwork" },
      { to: "/admin/commissions", label: "Commissions", permission: "read:commission:any", feature: "agentNetwork" },
      { to: "/admin/commissions/months", label: "Payouts", permission: "read:commission:any", feature: "agentNetwork" },
      { to: "/admin/payments", label: "Payment providers", permission: "manage:payments:any" },
    ],
  },
  {
    id: "network",
    label: "Network",
    links: [
      { to: "/admin/agents", label: "Agents", permission: "read:agent:any", feature: "agentNetwork" },
      { to: "/admin/members", label: "Members", permission: "read:member:any", feature: "agentNetwork" },
      // Staff may read the rules (only admins change them), as the page itself allows.
      { to: "/admin/commission-rules", label: "Commission rules", permission: "read:commission:any", feature: "agentNetwork" },
    ],
  },
  {
    id: "messages",
    label: "Messages",
    links: [
      { to: "/admin/outbox", label: "Message log", permission: "read:outbox:any" },
      { to: "/admin/messages/templates", label: "Templates", permission: "manage:messaging:any" },
      { to: "/admin/messages/broadcasts", label: "Broadcasts", permission: "send:broadcast:any" },
      { to: "/admin/messages/providers", label: "Messaging providers", permission: "manage:messaging:any" },
      { to: "/admin/messages/settings", label: "Quiet hours & limits", permission: "manage:messaging:any" },
      { to: "/admin/alerts", label: "Alerts", permission: "read:alert:any" },
    ],
  },
  {
    id: "settings",
    label: "Settings",
    links: [
      { to: "/admin/users", label: "Users", permission: "read:user:any" },
      { to: "/admin/security", label: "Security", permission: "manage:security:any" },
      { to: "/admin/audit", label: "Audit log", permission: "read:audit:any" },
    ],
  },
];

export type VisibleLink = Pick<BackOfficeLink, "to" | "label" | "end">;
export type VisibleGroup = { id: string; label: string; links: VisibleLink[] };

/** The groups and links these roles may open in this agency; a group with none is left out. */
export function backOfficeNav(roles: readonly Role[], features: TenantFeatures): VisibleGroup[] {
  return BACK_OFFICE_NAV.map((group) => ({
    id: group.id,
    label: group.label,
    links: group.links
      .filter((link) => can(roles, link.permission) && (!link.feature || features[link.feature]))
      .map(({ to, label, end }) => ({ to, label, ...(end ? { end } : {}) })),
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
