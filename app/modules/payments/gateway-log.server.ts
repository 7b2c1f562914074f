import { createHash } from "node:crypto";
import type { TenantDb } from "~db/client";
import type { GatewayLogKind } from "~db/schema";
import type { Exchange } from "./providers/index.server";

/** Every provider call and callback, as it was (table gateway_log, append-only). */
export async function logExchange(
  db: TenantDb,
  entry: {
    transactionId: string | null;
    /** A claim settlement's payout (decision 025). */
    settlementId?: string | null;
    /** A commission payout (decision 047). */
    payoutId?: string | null;
    provider: string;
    kind: GatewayLogKind;
    exchange: Exchange | null;
  },
): Promise<void> {
  if (!entry.exchange) return;
  await db
    .insertInto("gateway_log")
    .values({
      transaction_id: entry.transactionId,
      settlement_id: entry.settlementId ?? null,
      payout_id: entry.payoutId ?? null,
      provider: entry.provider,
      kind: entry.kind,
      request: JSON.stringify(entry.exchange.request),
      response: JSON.stringify(entry.exchange.response),
      duration_ms: Math.round(entry.exchange.durationMs),
    })
    .execute();
}

export async function logCallback(
  db: TenantDb,
  entry: {
    transactionId: string | null;
    settlementId?: string | null;
    payoutId?: string | null;
    provider: string;
    /** payout_result: a payout's result callback (decision 025). */
    kind: "callback" | "rejected_callback" | "payout_result";
    headers: Headers;
    rawBody: string;
    note?: string;
  },
): Promise<void> {
  const headers: Record<string, string> = {};
  entry.headers.forEach((value, name) => {
    headers[name] = name === "authorization" || name === "cookie" ? "[redacted]" : value;
  });
  await db
    .insertInto("gateway_log")
    .values({
      transaction_id: entry.transactionId,
      settlement_id: entry.settlementId ?? null,
      payout_id: entry.payoutId ?? null,
      provider: entry.provider,
      kind: entry.kind,
      request: JSON.stringify({ headers }),
      response: entry.note ? JSON.stringify({ note: entry.note }) : null,
      raw_body: entry.rawBody,
    })
    .execute();
}

/** We keep a hash of each callback token, never the token: a database leak cannot forge callbacks. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
