import type { TenantDb } from "~db/client";
import type { Role } from "~db/schema";
import { formatDateTime } from "~/lib/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { closureBlockers } from "./closure.server";
import { myDataExports } from "./exports.server";
import type { TFunction } from "i18next";

// English, for a caller without the reader's words; the page passes `t` (account namespace, privacy.*).
const STATUS_WORDS = {
  requested: "Waiting to start",
  building: "Being prepared",
  ready: "Ready to download",
  failed: "Failed",
  expired: "Expired",
} as const;

/** /account/privacy: the person's data exports and whether they may close their account now. */
export async function privacyPageData(
  db: TenantDb,
  tenant: TenantInfo,
  user: { id: string; roles: readonly Role[] },
  now = new Date(),
  t?: TFunction,
) {
  const [exports, blockers] = await Promise.all([myDataExports(db, user.id), closureBlockers(db, user.id, user.roles)]);
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  return {
    inFlight: exports.some((e) => e.status === "requested" || e.status === "building"),
    exports: exports.map((e) => {
      const live = e.status === "ready" && e.expiresAt !== null && e.expiresAt > now;
      return {
        id: e.id,
        status: live || e.status !== "ready" ? e.status : ("expired" as const),
        statusLabel:
          t?.(`privacy.status.${live || e.status !== "ready" ? e.status : "expired"}`) ??
          STATUS_WORDS[live || e.status !== "ready" ? e.status : "expired"],
        requestedAt: when(e.requestedAt),
        expiresAt: live && e.expiresAt ? when(e.expiresAt) : null,
        size: e.sizeBytes === null ? null : `${Math.max(1, Math.round(e.sizeBytes / 1024)).toLocaleString(tenant.locale)} KB`,
        href: live ? `/account/privacy/exports/${e.id}` : null,
        error: e.error,
      };
    }),
    blockers: blockers.map((b) => {
      if (!t) return b.message;
      const numbers = b.numbers ?? [];
      return t(`privacy.blocker.${b.code}${numbers.length ? "_named" : ""}`, { count: numbers.length, numbers: numbers.join(", ") });
    }),
  };
}
