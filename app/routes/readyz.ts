import { json } from "@remix-run/node";
import { readiness } from "~/lib/readiness.server";

/** Readiness for the proxy and deploys: 200 when this process can serve, 503 with the reason when not. */
export async function loader() {
  const result = await readiness();
  const headers = { "Cache-Control": "no-store" };
  if (result.ready) return json({ status: "ok", checks: result.checks }, { headers });
  return json({ status: "error", reason: result.reason, checks: result.checks }, { status: 503, headers });
}
