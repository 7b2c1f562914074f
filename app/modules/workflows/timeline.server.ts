import type { TenantDb } from "~db/client";

/**
 * The one timeline of state changes (table state_changes, append-only): every transition a
 * machine allowed is written here by the code that made it, in the same database transaction.
 */
export interface StateChange {
  entity: string;
  entityId: string;
  from: string | null;
  to: string;
  event: string;
  reason?: string | null;
  actorUserId?: string | null;
}

export async function recordStateChange(db: TenantDb, entry: StateChange): Promise<void> {
  await db
    .insertInto("state_changes")
    .values({
      entity: entry.entity,
      entity_id: entry.entityId,
      from_state: entry.from,
      to_state: entry.to,
      event: entry.event,
      reason: entry.reason ?? null,
      actor_user_id: entry.actorUserId ?? null,
    })
    .execute();
}

export interface TimelineEntry {
  from: string | null;
  to: string;
  event: string;
  reason: string | null;
  actorName: string | null;
  at: Date;
}

export async function timelineOf(db: TenantDb, entity: string, entityId: string): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom("state_changes")
    .leftJoin("users", "users.id", "state_changes.actor_user_id")
    .select(["from_state", "to_state", "event", "reason", "users.name as actor_name", "state_changes.created_at"])
    .where("entity", "=", entity)
    .where("entity_id", "=", entityId)
    .orderBy("state_changes.created_at")
    .execute();
  return rows.map((r) => ({
    from: r.from_state,
    to: r.to_state,
    event: r.event,
    reason: r.reason,
    actorName: r.actor_name,
    at: r.created_at,
  }));
}
