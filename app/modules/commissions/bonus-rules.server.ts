import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { BonusKind } from "~db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import type { BonusRuleInput } from "./bonus-forms";

/**
 * Bonus versions (decision 048): a bonus is a series of versions, each in force from its month
 * until the next one's; saving always adds a version (never edits one), and only from a month
 * that is not closed, so what a closed month paid is never rewritten.
 */

export interface BonusVersion {
  id: string;
  seriesId: string;
  name: string;
  kind: BonusKind;
  effectiveFrom: string;
  stopped: boolean;
  thresholdMinor: number | null;
  amountMinor: number | null;
  rateBp: number | null;
  rankName: string | null;
  levels: number | null;
  state: "ended" | "in_force" | "scheduled";
}

/** Every version, newest series first, each series' versions newest first, with its state in `month`. */
export async function listBonusVersions(db: TenantDb, month: string): Promise<BonusVersion[]> {
  const rows = await db
    .selectFrom("commission_bonus_rules as b")
    .leftJoin("agent_ranks as r", "r.id", "b.rank_id")
    .select([
      "b.id",
      "b.series_id",
      "b.name",
      "b.kind",
      sql<string>`to_char(b.effective_from, 'YYYY-MM-DD')`.as("effective_from"),
      "b.stopped",
      "b.threshold_minor",
      "b.amount_minor",
      "b.rate_bp",
      "r.name as rank_name",
      "b.levels",
      sql<string | null>`to_char(lead(b.effective_from) over (partition by b.series_id order by b.effective_from), 'YYYY-MM-DD')`.as(
        "ends",
      ),
      sql<Date>`min(b.created_at) over (partition by b.series_id)`.as("series_created"),
    ])
    .execute();
  return rows
    .sort((a, b) => b.series_created.getTime() - a.series_created.getTime() || (a.effective_from < b.effective_from ? 1 : -1))
    .map((r) => ({
      id: r.id,
      seriesId: r.series_id,
      name: r.name,
      kind: r.kind,
      effectiveFrom: r.effective_from,
      stopped: r.stopped,
      thresholdMinor: r.threshold_minor === null ? null : Number(r.threshold_minor),
      amountMinor: r.amount_minor === null ? null : Number(r.amount_minor),
      rateBp: r.rate_bp,
      rankName: r.rank_name,
      levels: r.levels,
      state: r.effective_from > month ? "scheduled" : r.ends !== null && r.ends <= month ? "ended" : "in_force",
    }));
}

export type SaveBonusResult = { ok: true; id: string } | { ok: false; fieldErrors: Record<string, string[]> };

/** Adds a version (a new bonus without `seriesId`); refuses a closed month, an unknown rank or series, and a month the series already starts in. */
export async function saveBonusVersion(db: TenantDb, input: BonusRuleInput, actor: Actor): Promise<SaveBonusResult> {
  // One close or one save at a time: the close reads the versions in force under the same lock.
  await sql`select pg_advisory_xact_lock(hashtextextended('commission_close:' || current_tenant_id()::text, 0))`.execute(db);
  const closed = await db
    .selectFrom("commission_months")
    .select(sql<string | null>`to_char(max(month), 'YYYY-MM-DD')`.as("m"))
    .executeTakeFirst();
  if (closed?.m && input.effectiveFrom <= closed.m)
    return { ok: false, fieldErrors: { effectiveFrom: ["That month is closed: choose a later month."] } };
  if (input.rankId && !(await db.selectFrom("agent_ranks").select("id").where("id", "=", input.rankId).executeTakeFirst()))
    return { ok: false, fieldErrors: { rankId: ["Choose a rank."] } };
  if (input.seriesId) {
    const series = await db.selectFrom("commission_bonus_rules").select("kind").where("series_id", "=", input.seriesId).executeTakeFirst();
    if (!series) return { ok: false, fieldErrors: { seriesId: ["Reload the page and try again."] } };
    if (series.kind !== input.kind) return { ok: false, fieldErrors: { kind: ["A bonus keeps its kind: add a new bonus instead."] } };
  } else if (input.stopped) return { ok: false, fieldErrors: { stopped: ["Only a bonus that exists can be stopped."] } };
  const row = await db
    .insertInto("commission_bonus_rules")
    .values({
      series_id: input.seriesId ?? randomUUID(),
      name: input.name,
      kind: input.kind,
      effective_from: input.effectiveFrom,
      stopped: input.stopped,
      threshold_minor: input.thresholdMinor,
      amount_minor: input.amountMinor,
      rate_bp: input.rateBp,
      rank_id: input.rankId,
      levels: input.levels,
      created_by: actor.userId ?? null,
    })
    .onConflict((oc) => oc.columns(["tenant_id", "series_id", "effective_from"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row)
    return { ok: false, fieldErrors: { effectiveFrom: ["A version of this bonus already starts that month: choose another month."] } };
  await recordAudit(db, actor, { action: "commission.bonus_saved", details: { ...input, id: row.id } });
  return { ok: true, id: row.id };
}
