import { sql } from "kysely";
import type { PlatformDb, TenantDb } from "./client";

export interface JobOptions {
  /** `task:tenant:id`: a repeat with the same key replaces the pending job instead of adding one. */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * Queues a graphile-worker job inside the caller's transaction, so the job exists exactly when
 * the write that needs it commits (docs/architecture.md §5).
 */
export async function addJob(
  db: TenantDb | PlatformDb,
  task: string,
  /** A tenant's work names its tenant; the platform's own (an operators' alert) says so. */
  payload: ({ tenantId: string } | { platform: true }) & Record<string, unknown>,
  options: JobOptions = {},
): Promise<void> {
  // enqueue_job (a migration) wraps graphile_worker.add_job for roles without access to its tables.
  await sql`
    select enqueue_job(${task}, ${JSON.stringify(payload)}::json, ${options.runAt ?? null}::timestamptz, ${options.maxAttempts ?? null}::int, ${options.jobKey ?? null}::text)
  `.execute(db);
}
