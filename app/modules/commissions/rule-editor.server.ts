import type { TFunction } from "i18next";
import type { SerializeFrom } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { formatDateTime, wallClockIn } from "~/lib/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { networkSettings } from "~/modules/network/settings.server";
import { toMajorInput } from "~/modules/rating/inputs";
import { FREQUENCIES, type Frequency } from "~/modules/rating/rules";
import { bpToPercentInput, commissionRulesFormSchema, parseMoneyField } from "./admin-forms";
import { defaultBaseMinor, describeTier, ruleProduct, versionState } from "./admin.server";
import { versionChanges, withdrawnVersions } from "./rule-history.server";
import { latestSavedVersion, ruleTimeline, type RuleRow, type RuleVersion } from "./rules.server";
import type { z } from "zod";

/**
 * What the rules editor (/admin/commission-rules/:productId) shows of one product at one
 * frequency: the version in force with a preview of a sale, the next scheduled one, the form's
 * starting values (including `seen`, the latest version it was built from, which a save checks
 * against), and the history of versions with who saved what when.
 */

export type RulesFormInput = z.input<ReturnType<typeof commissionRulesFormSchema>>;
type Tenant = Pick<TenantInfo, "id" | "currency" | "locale" | "timeZone">;

/** The product, its versions and the network's settings; null for a product that is not this tenant's. */
export async function loadRuleProduct(tenantId: string, productId: string) {
  return withTenant(tenantId, async (db) => {
    const product = await ruleProduct(db, productId);
    if (!product) return null;
    const [timeline, settings] = await Promise.all([ruleTimeline(db, productId), networkSettings(db)]);
    // The product's own frequencies, and any that still has rules (the rating may have changed since).
    const available = FREQUENCIES.filter((f) => product.offered.includes(f) || timeline.versions.some((v) => v.frequency === f));
    return { product, ...timeline, settings, available };
  });
}

const inForce = (versions: RuleVersion[], frequency: Frequency, now: Date) =>
  versions.find((v) => v.frequency === frequency && versionState(v, now) === "in_force");

const asPreviewRules = (tiers: RuleRow[]) =>
  tiers.map((r) => ({ tier: r.tier, kind: r.kind, amountMinor: r.amountMinor, rateBp: r.rateBp }));

export async function ruleEditorPage(
  tenant: Tenant,
  data: NonNullable<Awaited<ReturnType<typeof loadRuleProduct>>>,
  url: URL,
  t: TFunction,
  canEdit: boolean,
) {
  const { product, versions, now, settings, available } = data;
  const paying = (f: Frequency) => (inForce(versions, f, now)?.tiers.length ?? 0) > 0;
  const requested = url.searchParams.get("frequency");
  const frequency: Frequency =
    requested && (available as string[]).includes(requested)
      ? (requested as Frequency)
      : (available.find(paying) ?? available[0] ?? "annual");
  const mine = versions.filter((v) => v.frequency === frequency);
  const current = inForce(versions, frequency, now);
  const scheduled = mine.filter((v) => versionState(v, now) === "scheduled");
  const next = scheduled.at(-1);
  // "Change" on a scheduled version: the editor starts from it, and saving replaces it.
  const changing = scheduled.find((v) => v.id === url.searchParams.get("change"));

  // The sale the preview prices: the admin's amount, else the product's price at that frequency.
  const fallbackBase = defaultBaseMinor(product, frequency);
  const baseText = url.searchParams.get("base")?.trim() ?? "";
  const parsedBase = baseText ? parseMoneyField(baseText, tenant.currency, "The sale amount") : null;
  const baseMinor = parsedBase?.ok ? parsedBase.minor : fallbackBase;

  const when = (at: Date) => formatDateTime(at, tenant.locale, tenant.timeZone);
  const describe = (r: RuleRow) => describeTier(r, tenant.currency, tenant.locale, t);
  const [latest, withdrawals] = await withTenant(tenant.id, (db) =>
    Promise.all([latestSavedVersion(db, product.id, frequency), withdrawnVersions(db, product.id, frequency, when)]),
  );
  const changes = versionChanges(mine, { currency: tenant.currency, locale: tenant.locale, t });
  const source = changing ?? current;
  const defaults: RulesFormInput = {
    frequency,
    start: changing ? "later" : "now",
    startsAt: changing ? wallClockIn(tenant.timeZone, changing.effectiveAt) : undefined,
    replaces: changing?.id,
    seen: latest?.id ?? "none",
    base: toMajorInput(baseMinor, tenant.currency),
    tiers: source?.tiers.length
      ? source.tiers.map((r) => ({
          kind: r.kind,
          amount: r.amountMinor !== null ? toMajorInput(r.amountMinor, tenant.currency) : undefined,
          rate: r.rateBp !== null ? bpToPercentInput(r.rateBp) : undefined,
          cap: r.capMinor !== null ? toMajorInput(r.capMinor, tenant.currency) : undefined,
          requiresActive: r.requiresActive,
          minPersonalSales: r.minPersonalSales,
        }))
      : [{ kind: "percent", requiresActive: true, minPersonalSales: 0 }],
  };
  const saved = versions.find((v) => v.id === url.searchParams.get("saved"));

  return {
    title: t("rules.productTitle", { name: product.name }),
    product: { id: product.id, name: product.name, active: product.active },
    canEdit,
    currency: tenant.currency,
    locale: tenant.locale,
    timeZone: tenant.timeZone,
    nowLocal: wallClockIn(tenant.timeZone, now),
    nowLabel: when(now),
    maxTiers: settings.tiers,
    frequency,
    frequencies: available.map((f) => ({ value: f, label: t(`frequency.${f}`), hasRules: paying(f) })),
    base: {
      text: baseText || toMajorInput(fallbackBase, tenant.currency),
      minor: baseMinor,
      error: parsedBase && !parsedBase.ok ? parsedBase.message : null,
      fallback: toMajorInput(fallbackBase, tenant.currency),
    },
    current: (current?.tiers ?? []).map((r) => ({ ...describe(r), tier: r.tier })),
    // The preview prices a sale under the version in force now, as the ledger would; the browser
    // recomputes the same way while typing. The next scheduled version is previewed alongside.
    previewRules: asPreviewRules(current?.tiers ?? []),
    next: next ? { from: when(next.effectiveAt), rules: asPreviewRules(next.tiers) } : null,
    versions: mine.map((v) => ({
      id: v.id,
      from: when(v.effectiveAt),
      to: v.endsAt ? when(v.endsAt) : null,
      state: versionState(v, now),
      tiers: v.tiers.map((r) => describe(r)),
      savedBy: v.createdBy?.name ?? null,
      savedAt: when(v.createdAt),
      first: v === mine.at(-1),
      changes: changes.get(v.id) ?? [],
    })),
    withdrawals,
    changing: changing ? { id: changing.id, from: when(changing.effectiveAt) } : null,
    defaults,
    saved: url.searchParams.has("saved") ? { from: saved ? when(saved.effectiveAt) : null } : null,
    cancelled: url.searchParams.get("cancelled") === "1",
  };
}

export type RuleEditorData = SerializeFrom<Awaited<ReturnType<typeof ruleEditorPage>>>;
