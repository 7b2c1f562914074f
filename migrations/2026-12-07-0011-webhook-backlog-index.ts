import { sql, type Kysely } from "kysely";

/**
 * The webhook backlog metric (server/worker.ts, docs/decisions/013-observability.md) counts stored
 * provider events not processed yet, at every scrape. A partial index holds only those rows — a
 * handful in normal times — so the count stays cheap however many events were ever received.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index provider_events_unprocessed on provider_events (provider, received_at) where processed_at is null`.execute(db);
}
