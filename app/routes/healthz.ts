import { json } from "@remix-run/node";
import { sql } from "kysely";
import { runtimeDb } from "~/lib/db.server";

/** For Fly's health check and uptime monitors: 200 when the database answers, 503 when not. */
export async function loader() {
  const started = Date.now();
  try {
    await sql`select 1`.execute(runtimeDb());
    return json({ status: "ok", database: "ok", latencyMs: Date.now() - started }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return json({ status: "error", database: "unreachable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
