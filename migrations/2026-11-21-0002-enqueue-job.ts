import { sql, type Kysely } from "kysely";

/**
 * graphile-worker keeps row-level security on its own tables, so the runtime roles cannot call
 * `graphile_worker.add_job` directly. This function, owned by the migrator, queues a job on their
 * behalf inside the caller's transaction; it is the only part of the worker's schema they reach.
 * plpgsql, so it may be created before the worker's schema exists (it is resolved at call time).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function enqueue_job(task text, payload json, run_at timestamptz default null, max_attempts int default null, job_key text default null)
    returns void
    language plpgsql
    security definer
    set search_path = pg_catalog, public
    as $$
    begin
      perform graphile_worker.add_job(task, payload, run_at => run_at, max_attempts => max_attempts, job_key => job_key);
    end
    $$
  `.execute(db);
  await sql`revoke all on function enqueue_job(text, json, timestamptz, int, text) from public`.execute(db);
}
