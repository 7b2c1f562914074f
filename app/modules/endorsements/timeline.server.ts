import type { TFunction } from "i18next";
import type { TenantDb } from "~db/client";
import type { PolicyVersionKind } from "~db/schema";
import type { PolicyTimelineItem } from "~/components/policy/policy-timeline";
import { POLICY_STATUS_LABELS } from "~/modules/policies/admin.server";
import { timelineOf } from "~/modules/workflows/timeline.server";

/**
 * A policy's timeline (decision 027): its versions (each dated, priced, with its certificate) and
 * the changes of its status, newest first. The caller formats dates and money and signs links, so
 * the customer's page and the back office's share one reading.
 */
export const VERSION_TITLES: Record<PolicyVersionKind, string> = {
  issue: "Policy issued",
  endorsement: "Cover changed",
  cancellation: "Policy cancelled",
  reinstatement: "Policy reinstated",
  reversal: "Change reversed",
};

export interface TimelineFormat {
  day: (isoDate: string) => string;
  when: (at: Date) => string;
  money: (minor: number, currency: string) => string;
  /** A signed download link for a stored file. */
  link: (fileKey: string, filename: string) => string;
  fileStem: string;
  /** The reader's words (the `policy` namespace); without it, the English of the tables above. */
  t?: TFunction;
}

export async function policyTimelineItems(db: TenantDb, policyId: string, fmt: TimelineFormat): Promise<PolicyTimelineItem[]> {
  const versions = await db
    .selectFrom("policy_versions")
    .select([
      "id",
      "version",
      "kind",
      "status",
      "effective_date",
      "premium_delta_minor",
      "currency",
      "summary",
      "certificate_file_key",
      "created_at",
    ])
    .where("policy_id", "=", policyId)
    .where("status", "!=", "void")
    .orderBy("version", "desc")
    .execute();
  const policy = await db.selectFrom("policies").select("certificate_file_key").where("id", "=", policyId).executeTakeFirst();
  const t = fmt.t;
  const items: (PolicyTimelineItem & { at: number })[] = versions.map((v) => {
    const delta = Number(v.premium_delta_minor);
    // Version 1's certificate is the one issued with the policy (policies.certificate_file_key).
    const key = v.certificate_file_key ?? (v.version === 1 ? (policy?.certificate_file_key ?? null) : null);
    return {
      key: `v${v.version}`,
      at: v.created_at.getTime(),
      when: fmt.day(v.effective_date),
      title: t
        ? t("timeline.version", { version: v.version, kind: t(`timeline.kind.${v.kind}`) })
        : `Version ${v.version}: ${VERSION_TITLES[v.kind]}`,
      detail: v.summary === VERSION_TITLES[v.kind] ? null : v.summary,
      money:
        delta > 0
          ? (t?.("timeline.additionalPremium", { amount: fmt.money(delta, v.currency) }) ??
            `additional premium ${fmt.money(delta, v.currency)}`)
          : delta < 0
            ? (t?.("timeline.premiumReturned", { amount: fmt.money(-delta, v.currency) }) ??
              `premium returned ${fmt.money(-delta, v.currency)}`)
            : null,
      pending: v.status === "pending",
      certificateUrl: key ? fmt.link(key, `Certificate-${fmt.fileStem}-v${v.version}.pdf`) : null,
    };
  });
  // Status changes a version already tells (issue, cancellation, reinstatement) are not repeated.
  const told = new Set(["issue", "approve", "cancel", "reinstate"]);
  for (const [i, s] of (await timelineOf(db, "policy", policyId)).entries()) {
    if (told.has(s.event)) continue;
    items.push({
      key: `s${i}`,
      at: s.at.getTime(),
      when: fmt.when(s.at),
      title:
        s.to in POLICY_STATUS_LABELS
          ? (t?.(`timeline.status.${s.to}`) ?? POLICY_STATUS_LABELS[s.to as keyof typeof POLICY_STATUS_LABELS])
          : s.to,
      detail: s.reason,
      money: null,
      pending: false,
      certificateUrl: null,
    });
  }
  return items.sort((a, b) => b.at - a.at).map(({ at: _at, ...item }) => item);
}
