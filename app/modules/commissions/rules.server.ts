import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { CommissionRuleKind, Frequency } from "~db/schema";
import { splitSale, type TierRule } from "./calculate";

/**
 * Commission rules: per product × payment frequency × tier, each version in force from a date
 * (inclusive) to a date (exclusive). Changing the rules closes the versions in force and starts new
 * ones, so a payment is always paid by the rules in force on the day it was made (an exclusion
 * constraint keeps versions from overlapping). Versions only start today or later: the past stays
 * as it was earned.
 */

export interface TierInput {
  tier: number;
  kind: CommissionRuleKind;
  amountMinor: number | null;
  rateBp: number | null;
  capMinor: number | null;
  requiresActive: boolean;
  minPersonalSales: number;
}

export interface RuleRow extends TierInput {
  id: string;
  productId: string;
  frequency: Frequency;
  effectiveFrom: string;
  effectiveTo: string | null;
}

const RULE_COLUMNS = [
  "id",
  "product_id",
  "frequency",
  "tier",
  "kind",
  "amount_minor",
  "rate_bp",
  "cap_minor",
  "requires_active",
  "min_personal_sales",
  "effective_from",
  "effective_to",
] as const;

function toRule(r: {
  id: string;
  product_id: string;
  frequency: Frequency;
  tier: number;
  kind: CommissionRuleKind;
  amount_minor: number | null;
  rate_bp: number | null;
  cap_minor: number | null;
  requires_active: boolean;
  min_personal_sales: number;
  effective_from: string;
  effective_to: string | null;
}): RuleRow {
  return {
    id: r.id,
    productId: r.product_id,
    frequency: r.frequency,
    tier: r.tier,
    kind: r.kind,
    amountMinor: r.amount_minor,
    rateBp: r.rate_bp,
    capMinor: r.cap_minor,
    requiresActive: r.requires_active,
    minPersonalSales: r.min_personal_sales,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
  };
}

/** The rules in force on a day (YYYY-MM-DD), optionally for one product. */
export async function rulesOn(db: TenantDb, day: string, productId?: string): Promise<RuleRow[]> {
  let query = db
    .selectFrom("commission_rules")
    .select(RULE_COLUMNS)
    .where("effective_from", "<=", day)
    .where((eb) => eb.or([eb("effective_to", "is", null), eb("effective_to", ">", day)]));
  if (productId) query = query.where("product_id", "=", productId);
  const rows = await query.orderBy("product_id").orderBy("frequency").orderBy("tier").execute();
  return rows.map(toRule);
}

/** Every version of one product's rules, newest first: the history an admin reads. */
export async function ruleHistory(db: TenantDb, productId: string): Promise<RuleRow[]> {
  const rows = await db
    .selectFrom("commission_rules")
    .select(RULE_COLUMNS)
    .where("product_id", "=", productId)
    .orderBy("effective_from", "desc")
    .orderBy("frequency")
    .orderBy("tier")
    .execute();
  return rows.map(toRule);
}

export type SaveRulesResult = { ok: true; created: number } | { ok: false; formError: string };

/**
 * Replaces the tiers of one product at one frequency from `effectiveFrom` on (an empty list stops
 * paying commission for it). Versions in force are closed at that day; versions that would have
 * started on or after it are withdrawn, unless a payment was already earned under them.
 */
export async function saveRules(
  db: TenantDb,
  input: { productId: string; frequency: Frequency; effectiveFrom: string; today: string; tiers: TierInput[]; actorUserId: string | null },
): Promise<SaveRulesResult> {
  const { productId, frequency, effectiveFrom } = input;
  if (effectiveFrom < input.today)
    return { ok: false, formError: "New rules can start today or later: past payments keep the rules they were earned under." };
  const tiers = [...input.tiers].sort((a, b) => a.tier - b.tier);
  if (tiers.some((t, i) => t.tier !== i + 1)) return { ok: false, formError: "Tiers must run 1, 2, 3 … without gaps." };

  // One editor at a time per product and frequency.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`commission_rules:${productId}:${frequency}`} || current_tenant_id()::text, 0))`.execute(
    db,
  );
  const later = await db
    .selectFrom("commission_rules")
    .select([
      "id",
      (eb) =>
        eb
          .exists(eb.selectFrom("commission_entries").select("id").whereRef("commission_entries.rule_id", "=", "commission_rules.id"))
          .as("used"),
    ])
    .where("product_id", "=", productId)
    .where("frequency", "=", frequency)
    .where("effective_from", ">=", effectiveFrom)
    .execute();
  if (later.some((r) => r.used))
    return { ok: false, formError: "Commissions were already earned under the rules starting that day: start the new rules tomorrow." };
  if (later.length > 0)
    await db
      .deleteFrom("commission_rules")
      .where(
        "id",
        "in",
        later.map((r) => r.id),
      )
      .execute();
  await db
    .updateTable("commission_rules")
    .set({ effective_to: effectiveFrom })
    .where("product_id", "=", productId)
    .where("frequency", "=", frequency)
    .where("effective_from", "<", effectiveFrom)
    .where((eb) => eb.or([eb("effective_to", "is", null), eb("effective_to", ">", effectiveFrom)]))
    .execute();
  if (tiers.length > 0)
    await db
      .insertInto("commission_rules")
      .values(
        tiers.map((t) => ({
          product_id: productId,
          frequency,
          tier: t.tier,
          kind: t.kind,
          amount_minor: t.kind === "fixed" ? t.amountMinor : null,
          rate_bp: t.kind === "percent" ? t.rateBp : null,
          cap_minor: t.capMinor,
          requires_active: t.requiresActive,
          min_personal_sales: t.minPersonalSales,
          effective_from: effectiveFrom,
          created_by: input.actorUserId,
        })),
      )
      .execute();
  return { ok: true, created: tiers.length };
}

/** "A RM150 monthly Hibah Gold 270 sale pays T1 RM16.67, T2 RM3.33 …" under the rules in force on `day`. */
export async function previewSale(
  db: TenantDb,
  input: { productId: string; frequency: Frequency; baseMinor: number; day: string },
): Promise<{ tier: number; amountMinor: number; rule: TierRule }[]> {
  const rules = (await rulesOn(db, input.day, input.productId)).filter((r) => r.frequency === input.frequency);
  const split = splitSale(rules, input.baseMinor);
  return split.map((s) => ({ ...s, rule: rules.find((r) => r.tier === s.tier)! }));
}
