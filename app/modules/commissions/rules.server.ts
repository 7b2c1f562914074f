import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { TenantDb } from "~db/client";
import type { CommissionRuleKind, Database, Frequency } from "~db/schema";

/**
 * Commission rules: per product × payment frequency, a line of versions, each in force from an
 * instant until the next one starts (docs/decisions/016-commission-rules-from-an-instant.md). A
 * payment is paid by the version in force at the instant it completed, whenever the ledger runs.
 * A version that has started is history and never changes (the database refuses); a change is a
 * new version, from now or from a later time. A version still scheduled may be changed or
 * cancelled until it starts.
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
  versionId: string;
  productId: string;
  frequency: Frequency;
}

export interface RuleVersion {
  id: string;
  productId: string;
  frequency: Frequency;
  effectiveAt: Date;
  /** When the next version starts; null while none follows. */
  endsAt: Date | null;
  createdAt: Date;
  /** Who saved it (null: a seed, a migration, or an account since removed). */
  createdBy: { id: string; name: string } | null;
  /** Tier 1 first; none = this version pays no commission. */
  tiers: RuleRow[];
}

const RULE_COLUMNS = [
  "r.id",
  "r.version_id",
  "r.product_id",
  "r.frequency",
  "r.tier",
  "r.kind",
  "r.amount_minor",
  "r.rate_bp",
  "r.cap_minor",
  "r.requires_active",
  "r.min_personal_sales",
] as const;

function toRule(r: {
  id: string;
  version_id: string;
  product_id: string;
  frequency: Frequency;
  tier: number;
  kind: CommissionRuleKind;
  amount_minor: number | null;
  rate_bp: number | null;
  cap_minor: number | null;
  requires_active: boolean;
  min_personal_sales: number;
}): RuleRow {
  return {
    id: r.id,
    versionId: r.version_id,
    productId: r.product_id,
    frequency: r.frequency,
    tier: r.tier,
    kind: r.kind,
    amountMinor: r.amount_minor,
    rateBp: r.rate_bp,
    capMinor: r.cap_minor,
    requiresActive: r.requires_active,
    minPersonalSales: r.min_personal_sales,
  };
}

/**
 * Rule changes and the ledger take turns, per tenant: a change waits for the ledger statements in
 * flight and holds new ones back until it commits, and a version saved "now" starts only once the
 * change holds the lock. So a ledger run either sees a version or ran before the version's
 * instant, for payments completed before it: none is ever paid by a version that was replaced
 * while its job waited.
 */
export async function lockRuleVersions(db: TenantDb, purpose: "ledger" | "change"): Promise<void> {
  const key = sql`hashtextextended('commission_rule_versions:' || current_tenant_id()::text, 0)`;
  await (purpose === "change" ? sql`select pg_advisory_xact_lock(${key})` : sql`select pg_advisory_xact_lock_shared(${key})`).execute(db);
}

/** The tiers in force at an instant (default: now), every product's. */
export async function rulesAt(db: TenantDb, at?: Date): Promise<RuleRow[]> {
  const current = db
    .selectFrom("commission_rule_versions")
    .distinctOn(["product_id", "frequency"])
    .select("id")
    .where("effective_at", "<=", at ?? sql<Date>`now()`)
    .orderBy("product_id")
    .orderBy("frequency")
    .orderBy("effective_at", "desc");
  const rows = await db
    .selectFrom("commission_rules as r")
    .innerJoin(current.as("v"), "v.id", "r.version_id")
    .select(RULE_COLUMNS)
    .orderBy("r.product_id")
    .orderBy("r.frequency")
    .orderBy("r.tier")
    .execute();
  return rows.map(toRule);
}

/** Every version of one product's rules, newest first, with the database's now to tell past from scheduled. */
export async function ruleTimeline(db: TenantDb, productId: string): Promise<{ now: Date; versions: RuleVersion[] }> {
  const [versions, tiers, clock] = await Promise.all([
    db
      .selectFrom("commission_rule_versions as v")
      .leftJoin("users as u", (join) => join.onRef("u.tenant_id", "=", "v.tenant_id").onRef("u.id", "=", "v.created_by"))
      .select([
        "v.id",
        "v.product_id",
        "v.frequency",
        "v.effective_at",
        "v.created_at",
        "u.id as user_id",
        "u.name as user_name",
        sql<Date | null>`lead(v.effective_at) over (partition by v.frequency order by v.effective_at)`.as("ends_at"),
      ])
      .where("v.product_id", "=", productId)
      .orderBy("v.effective_at", "desc")
      .orderBy("v.frequency")
      .execute(),
    db.selectFrom("commission_rules as r").select(RULE_COLUMNS).where("r.product_id", "=", productId).orderBy("r.tier").execute(),
    sql<{ now: Date }>`select now() as now`.execute(db),
  ]);
  return {
    now: clock.rows[0]!.now,
    versions: versions.map((v) => ({
      id: v.id,
      productId: v.product_id,
      frequency: v.frequency,
      effectiveAt: v.effective_at,
      endsAt: v.ends_at,
      createdAt: v.created_at,
      createdBy: v.user_id && v.user_name !== null ? { id: v.user_id, name: v.user_name } : null,
      tiers: tiers.filter((t) => t.version_id === v.id).map(toRule),
    })),
  };
}

/** Where a version starts: as soon as it is saved, or at a wall-clock time in the agency's zone. */
export type VersionStart = { kind: "now" } | { kind: "at"; local: string; timeZone: string };

export type SaveRulesResult =
  | {
      ok: true;
      versionId: string;
      effectiveAt: Date;
      created: number;
      withdrawn: number;
      /** The scheduled versions this save took out of the line (the audit log keeps them). */
      withdrawnVersions: { id: string; effectiveAt: Date }[];
    }
  /** `changedAt`: when the version saved since the form was read was saved (null: one was cancelled). */
  | { ok: false; field: "start" | "form"; message: string; changedAt?: Date | null };

/** The form-level answer to a save whose form was read before someone else's change. */
export function staleRulesMessage(changedAt: string | null): string {
  return changedAt === null
    ? "Someone else changed these rules meanwhile; review the versions below and save again."
    : `Someone else changed these rules at ${changedAt}; review their version and save again.`;
}

/**
 * A new version of one product's tiers at one frequency (an empty list stops paying commission
 * for it). It replaces everything from its start on: versions scheduled at or after it are
 * withdrawn, and so is `replaces` (the scheduled version being changed). What has started stays.
 *
 * `seen` is the latest version the admin's form was built from (null: there was none): when
 * someone else saved or cancelled one since, nothing is saved and the admin is told, so two
 * admins saving at once never silently undo each other (the change lock orders them). Left out
 * (a seed, a script), nothing is compared. A start equal to another version's is refused: that
 * version is changed through `replaces`, never overwritten by accident.
 */
export async function saveRules(
  db: TenantDb,
  input: {
    productId: string;
    frequency: Frequency;
    start: VersionStart;
    tiers: TierInput[];
    actorUserId: string | null;
    replaces?: string | null;
    seen?: string | null;
  },
): Promise<SaveRulesResult> {
  const { productId, frequency } = input;
  const tiers = [...input.tiers].sort((a, b) => a.tier - b.tier);
  if (tiers.some((t, i) => t.tier !== i + 1)) return { ok: false, field: "form", message: "Tiers must run 1, 2, 3 … without gaps." };

  await lockRuleVersions(db, "change");
  if (input.seen !== undefined) {
    const stale = await changedSince(db, productId, frequency, input.seen);
    if (stale) return { ok: false, field: "form", message: staleRulesMessage(null), changedAt: stale.changedAt };
  }
  // The instant, read after the lock and kept as PostgreSQL's own text so no precision is lost.
  const local = input.start.kind === "at" ? input.start.local : null;
  const zone = input.start.kind === "at" ? input.start.timeZone : "UTC";
  const clock = (
    await sql<{ at: string; future: boolean }>`
      select a::text as at, a > n as future
      from (select clock_timestamp() as n) c,
           lateral (select coalesce(${local}::timestamp at time zone ${zone}, c.n) as a) x
    `.execute(db)
  ).rows[0]!;
  if (local !== null && !clock.future)
    return { ok: false, field: "start", message: "That time has passed: choose a later time, or start the new rules now." };
  const at = sql<Date>`${clock.at}::timestamptz`;
  const [same] = await versionsOf(db, productId, (eb) => eb.and([eb("v.frequency", "=", frequency), eb("v.effective_at", "=", at)]));
  if (same && same.id !== input.replaces)
    return {
      ok: false,
      field: "start",
      message: "Another version already starts at that time: change that version, or choose another time.",
    };

  const withdrawn = await versionsOf(db, productId, (eb) =>
    eb.and([
      eb("v.frequency", "=", frequency),
      eb.or([eb("v.effective_at", ">=", at), ...(input.replaces ? [eb("v.id", "=", input.replaces)] : [])]),
    ]),
  );
  if (input.replaces && !withdrawn.some((v) => v.id === input.replaces))
    return { ok: false, field: "form", message: "The version you were changing is gone: it was cancelled or replaced meanwhile." };
  if (withdrawn.some((v) => v.id === input.replaces && v.started))
    return {
      ok: false,
      field: "form",
      message: "The version you were changing has started: it is history now. Save the change as a new version.",
    };
  if (withdrawn.some((v) => v.started || v.used))
    return { ok: false, field: "start", message: "Commissions were already earned under the rules starting then: choose a later time." };
  await removeVersions(
    db,
    withdrawn.map((v) => v.id),
  );

  const version = await insertVersion(db, { productId, frequency, effectiveAt: at, tiers, createdBy: input.actorUserId });
  return {
    ok: true,
    versionId: version.id,
    effectiveAt: version.effectiveAt,
    created: tiers.length,
    withdrawn: withdrawn.length,
    withdrawnVersions: withdrawn.map((v) => ({ id: v.id, effectiveAt: v.effective_at })),
  };
}

/** The version of a product at a frequency saved last (what an editor form is built from), if any. */
export function latestSavedVersion(db: TenantDb, productId: string, frequency: Frequency) {
  return db
    .selectFrom("commission_rule_versions")
    .select(["id", "created_at"])
    .where("product_id", "=", productId)
    .where("frequency", "=", frequency)
    .orderBy("created_at", "desc")
    .orderBy("effective_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * Whether the product's line at this frequency moved on from the version a form was built from:
 * the latest saved version is another one. Read under the change lock, so of two saves from the
 * same form the second always sees the first.
 */
async function changedSince(
  db: TenantDb,
  productId: string,
  frequency: Frequency,
  seen: string | null,
): Promise<{ changedAt: Date | null } | null> {
  const latest = await latestSavedVersion(db, productId, frequency);
  if ((latest?.id ?? null) === seen) return null;
  // A newer version says when; the one the form saw being gone means it was cancelled (no row to date).
  const seenStill =
    seen !== null && (await db.selectFrom("commission_rule_versions").select("id").where("id", "=", seen).executeTakeFirst()) !== undefined;
  return { changedAt: latest && (seen === null || seenStill) ? latest.created_at : null };
}

/**
 * Writes a version and its tiers as given, with no check: `saveRules` decides what may start when;
 * a seed or a test fixture writes history (the database lets a version just written get its tiers).
 */
export async function insertVersion(
  db: TenantDb,
  input: { productId: string; frequency: Frequency; effectiveAt: Date | Expression<Date>; tiers: TierInput[]; createdBy: string | null },
): Promise<{ id: string; effectiveAt: Date }> {
  const version = await db
    .insertInto("commission_rule_versions")
    .values({ product_id: input.productId, frequency: input.frequency, effective_at: input.effectiveAt, created_by: input.createdBy })
    .returning(["id", "effective_at"])
    .executeTakeFirstOrThrow();
  if (input.tiers.length > 0)
    await db
      .insertInto("commission_rules")
      .values(
        input.tiers.map((t) => ({
          version_id: version.id,
          product_id: input.productId,
          frequency: input.frequency,
          tier: t.tier,
          kind: t.kind,
          amount_minor: t.kind === "fixed" ? t.amountMinor : null,
          rate_bp: t.kind === "percent" ? t.rateBp : null,
          cap_minor: t.capMinor,
          requires_active: t.requiresActive,
          min_personal_sales: t.minPersonalSales,
        })),
      )
      .execute();
  return { id: version.id, effectiveAt: version.effective_at };
}

export type CancelResult = { ok: true; version: { frequency: Frequency; effectiveAt: Date } } | { ok: false; message: string };

/** Cancels a version of this product that has not started yet; the one before it stays in force. */
export async function cancelScheduledVersion(db: TenantDb, input: { productId: string; versionId: string }): Promise<CancelResult> {
  await lockRuleVersions(db, "change");
  const [version] = await versionsOf(db, input.productId, (eb) => eb("v.id", "=", input.versionId));
  if (!version) return { ok: false, message: "That version is gone: it was cancelled or replaced meanwhile." };
  if (version.started || version.used)
    return { ok: false, message: "That version has started: it is history now and can only be followed by a new one." };
  await removeVersions(db, [version.id]);
  return { ok: true, version: { frequency: version.frequency, effectiveAt: version.effective_at } };
}

/**
 * Versions of a product, with whether each has started (by the clock, under the change lock) or
 * was already earned under: either makes it history.
 */
function versionsOf(
  db: TenantDb,
  productId: string,
  where: (eb: ExpressionBuilder<Database & { v: Database["commission_rule_versions"] }, "v">) => Expression<SqlBool>,
) {
  return db
    .selectFrom("commission_rule_versions as v")
    .select([
      "v.id",
      "v.frequency",
      "v.effective_at",
      sql<boolean>`v.effective_at <= clock_timestamp()`.as("started"),
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom("commission_entries as e")
              .innerJoin("commission_rules as r", "r.id", "e.rule_id")
              .select("e.id")
              .whereRef("r.version_id", "=", "v.id"),
          )
          .as("used"),
    ])
    .where("v.product_id", "=", productId)
    .where(where)
    .execute();
}

/** Scheduled versions only (the database refuses the others): their tiers, then themselves. */
async function removeVersions(db: TenantDb, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom("commission_rules").where("version_id", "in", ids).execute();
  await db.deleteFrom("commission_rule_versions").where("id", "in", ids).execute();
}
