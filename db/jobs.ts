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
 * the write that needs it commits (DESIGN.md §5).
 */
export async function addJob(
  db: TenantDb | PlatformDb,
  task: string,
  payload: { tenantId: string } & Record<string, unknown>,
  options: JobOptions = {},
): Promise<void> {
  await sql`
    select graphile_worker.add_job(
      ${task},
      ${JSON.stringify(payload)}::json,
      run_at => ${options.runAt ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? null}::int,
      job_key => ${options.jobKey ?? null}::text
    )
  `.execute(db);
}
