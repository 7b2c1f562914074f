import { sql } from "kysely";
import { addJob } from "~db/jobs";
import { withTenant } from "~db/client";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { broadcastMachine, transition } from "~/modules/workflows";
import { dispatchJobOptions, expandBroadcast } from "./broadcasts.server";
import { deliverMessage, recordSendFailure } from "./delivery.server";
import { quietUntil } from "./quiet-hours";
import type { MessageProvider } from "./providers/types";
import { SEND_ATTEMPTS } from "./queue.server";

/**
 * The paced dispatcher of a broadcast (docs/decisions/043-broadcasts-and-alerts.md). One
 * `broadcast_dispatch` job per broadcast (job key per broadcast): each run writes the messages if
 * they are not written yet, sends the next batch itself through `deliverMessage` (which locks the
 * row and checks its state, so a message goes once however runs overlap), then schedules the next
 * run. A batch is the agency's rate over the interval, so 100,000 messages never become 100,000
 * jobs at once. A message whose send throws is handed to its own `send_message` job, which retries
 * with back-off; the dispatcher skips it from then on (it has an attempt).
 */
export interface DispatchPlan {
  intervalMs: number;
  batch: number;
}

/** Ten-second runs; a rate below six a minute runs once per message. */
export function dispatchPlan(ratePerMinute: number): DispatchPlan {
  const intervalMs = Math.max(10_000, Math.ceil(60_000 / ratePerMinute));
  return { intervalMs, batch: Math.max(1, Math.floor((ratePerMinute * intervalMs) / 60_000)) };
}

export interface DispatchDeps {
  provider?: MessageProvider;
  /** The run's instant (tests fix it). */
  now?: Date;
  /** Sends in flight at once within a run: a provider's latency should not cap the rate. */
  concurrency?: number;
}

export interface DispatchRun {
  sent: number;
  /** When the next run is scheduled; null when the broadcast is done (or stopped). */
  nextRunAt: Date | null;
}

export async function dispatchBroadcast(tenantId: string, broadcastId: string, deps: DispatchDeps = {}): Promise<DispatchRun> {
  const now = deps.now ?? new Date();
  const setup = await withTenant(tenantId, async (db) => ({
    broadcast: await db.selectFrom("broadcasts").select(["status", "channel"]).where("id", "=", broadcastId).executeTakeFirst(),
    tenant: await db.selectFrom("tenants").select("time_zone").where("id", "=", tenantId).executeTakeFirstOrThrow(),
    settings: await db
      .selectFrom("messaging_settings")
      .select(["broadcast_rate_per_minute", "quiet_hours_start", "quiet_hours_end"])
      .executeTakeFirst(),
  }));
  if (!setup.broadcast || (setup.broadcast.status !== "queued" && setup.broadcast.status !== "sending"))
    return { sent: 0, nextRunAt: null };
  if (setup.broadcast.status === "queued") {
    await expandBroadcast((work) => withTenant(tenantId, work), tenantId, broadcastId, setup.tenant.time_zone);
  }
  const plan = dispatchPlan(setup.settings?.broadcast_rate_per_minute ?? 600);
  // A broadcast is never urgent: during the agency's quiet hours it pauses and resumes at their end
  // (in-app notifications make no sound, so they go on).
  const { quiet_hours_start: quietStart, quiet_hours_end: quietEnd } = setup.settings ?? {};
  const quietEnds =
    setup.broadcast.channel !== "in_app" && quietStart && quietEnd ? quietUntil(now, setup.tenant.time_zone, quietStart, quietEnd) : null;
  if (quietEnds) {
    return withTenant(tenantId, async (db) => {
      await addJob(db, "broadcast_dispatch", { tenantId, broadcastId }, dispatchJobOptions(tenantId, broadcastId, quietEnds));
      return { sent: 0, nextRunAt: quietEnds };
    });
  }
  const ids = await withTenant(tenantId, (db) =>
    db
      .selectFrom("messages")
      .select("id")
      .where("broadcast_id", "=", broadcastId)
      .where("status", "=", "queued")
      .where("attempts", "=", 0)
      // A message held for quiet hours waits for them to end.
      .where((eb) => eb.or([eb("send_after", "is", null), eb("send_after", "<=", now)]))
      .limit(plan.batch)
      .execute(),
  );
  const sent = await sendAll(
    tenantId,
    ids.map((r) => r.id),
    deps,
  );
  return withTenant(tenantId, async (db) => {
    const broadcast = await db
      .selectFrom("broadcasts")
      .select(["id", "status"])
      .where("id", "=", broadcastId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (broadcast.status !== "sending") return { sent, nextRunAt: null };
    const left = await db
      .selectFrom("messages")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("broadcast_id", "=", broadcastId)
      .where("status", "=", "queued")
      .executeTakeFirstOrThrow();
    if (left.n === 0) {
      const moved = transition(broadcastMachine, broadcast.status, "finish");
      if (moved.ok) {
        await recordStateChange(db, { entity: "broadcast", entityId: broadcastId, from: moved.from, to: moved.to, event: "finish" });
        await db.updateTable("broadcasts").set({ status: "sent", finished_at: now }).where("id", "=", broadcastId).execute();
      }
      return { sent, nextRunAt: null };
    }
    // Messages left only with their own retrying jobs: look again in a minute to close the broadcast.
    const nextRunAt = new Date(now.getTime() + (ids.length > 0 ? plan.intervalMs : 60_000));
    await addJob(db, "broadcast_dispatch", { tenantId, broadcastId }, dispatchJobOptions(tenantId, broadcastId, nextRunAt));
    return { sent, nextRunAt };
  });
}

async function sendAll(tenantId: string, ids: string[], deps: DispatchDeps): Promise<number> {
  let next = 0;
  let sent = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        const result = await withTenant(tenantId, (db) => deliverMessage(db, tenantId, id, { provider: deps.provider }));
        if (result === "delivered" || result === "rejected") sent += 1;
      } catch (error) {
        // Written as the first attempt; the message's own job retries it with back-off.
        await withTenant(tenantId, async (db) => {
          await recordSendFailure(db, id, error, { number: 1, max: SEND_ATTEMPTS });
          await addJob(
            db,
            "send_message",
            { tenantId, messageId: id },
            { jobKey: `send_message:${tenantId}:${id}`, runAt: new Date(Date.now() + 60_000), maxAttempts: SEND_ATTEMPTS - 1 },
          );
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 4, ids.length) }, worker));
  return sent;
}
