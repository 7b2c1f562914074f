import { json } from "@remix-run/node";

/**
 * Liveness: the process answers HTTP. No database here on purpose — a database outage must not
 * make every app machine look dead and be restarted; /readyz says whether to send traffic.
 */
export function loader() {
  return json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
