import { sql } from "kysely";
import { runtimeDb } from "~db/client";

/**
 * Whether this app process should get traffic (/readyz): not shutting down, the database answers,
 * and the job queue it writes to is there. The runtime role cannot read graphile-worker's tables
 * (docs/decisions/006-jobs-through-enqueue-job.md), so the queue check is what the app itself
 * needs: the worker's schema exists (the catalogue says so, readable by anyone) and this role may
 * call enqueue_job.
 */

const state = ((globalThis as Record<symbol, unknown>)[Symbol.for("covera.lifecycle")] ??= { draining: false }) as { draining: boolean };

/** From SIGTERM on, readiness fails so the proxy sends new requests elsewhere while we drain. */
export function markDraining(): void {
  state.draining = true;
}

export type Readiness =
  | { ready: true; checks: { database: "ok"; jobQueue: "ok" } }
  | { ready: false; reason: "shutting_down" | "database_unreachable" | "job_queue_unavailable"; checks: Record<string, string> };

const TIMEOUT_MS = 2000;

export async function readiness(): Promise<Readiness> {
  if (state.draining) return { ready: false, reason: "shutting_down", checks: {} };
  let timer: NodeJS.Timeout | undefined;
  try {
    const query = sql<{ queue: boolean; can_enqueue: boolean }>`
      select exists (
               select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'graphile_worker' and c.relname = '_private_jobs'
             ) as queue,
             coalesce(has_function_privilege(to_regprocedure('public.enqueue_job(text, json, timestamptz, integer, text)'), 'execute'), false) as can_enqueue
    `.execute(runtimeDb());
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS)));
    const row = (await Promise.race([query, timeout])).rows[0];
    if (!row?.queue || !row.can_enqueue) {
      return {
        ready: false,
        reason: "job_queue_unavailable",
        checks: { database: "ok", jobQueue: row?.queue ? "cannot_enqueue" : "missing" },
      };
    }
    return { ready: true, checks: { database: "ok", jobQueue: "ok" } };
  } catch {
    return { ready: false, reason: "database_unreachable", checks: { database: "unreachable" } };
  } finally {
    clearTimeout(timer);
  }
}
