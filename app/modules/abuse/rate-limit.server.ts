import { createHmac } from "node:crypto";
import { json, type HeadersFunction } from "@remix-run/node";
import { sql } from "kysely";
import { runtimeDb } from "~db/client";
import { env } from "~/lib/env.server";
import { CLIENT_IP_HEADER } from "~/lib/http";
import { limitOf, type LimitName } from "./limits.server";
import { networkOf } from "./network.server";

/**
 * Rate limits kept in PostgreSQL, so that every app instance counts into the same buckets
 * (decision 012, docs/architecture.md §8: nothing that matters lives in one process's memory).
 */

export type Counted = { limited: false; name: LimitName; keyHash: string; windowStart: Date };
export type Limited = { limited: true; retryAfterSeconds: number };

/** Who is asking: the signed-in account where there is one, else the client's network. */
export function clientOf(request: Request, userId?: string | null): string {
  return userId ? `account:${userId}` : `network:${networkOf(request.headers.get(CLIENT_IP_HEADER))}`;
}

// Keyed, so the table (readable without a tenant) holds neither addresses nor account ids.
const keyHash = (scope: string, client: string) =>
  createHmac("sha256", `rate-limit:${env().SESSION_SECRET}`).update(`${scope}\n${client}`).digest("base64url");

/**
 * Counts one request of `client` under a limit, within `scope` (the tenant's id, or "platform"),
 * and says whether it is over. One atomic upsert on the database's clock, so every app instance
 * counts into the same window whatever its own clock says. A window starts at the client's first
 * request and lasts the limit's length; the first request after it starts a new one. A refused
 * request counts too: hammering does not shorten the wait.
 */
export async function countRequest(name: LimitName, scope: string, client: string, maxOverride?: number): Promise<Counted | Limited> {
  const { max, windowSeconds } = limitOf(name, maxOverride);
  const hash = keyHash(scope, client);
  const { rows } = await sql<{ hits: number; window_start: Date; retry_after: number }>`
    insert into rate_limit_buckets as b (limit_name, key_hash, window_start, window_end, hits)
    select ${name}, ${hash}, t.start, t.start + make_interval(secs => ${windowSeconds}), 1
    -- Milliseconds, as a JS Date holds them: forgive() finds the window by its start.
    from (select date_trunc('milliseconds', now()) as start) t
    on conflict (limit_name, key_hash) do update set
      hits = case when b.window_end > now() then b.hits + 1 else 1 end,
      window_start = case when b.window_end > now() then b.window_start else excluded.window_start end,
      window_end = case when b.window_end > now() then b.window_end else excluded.window_end end
    returning b.hits, b.window_start, greatest(1, ceil(extract(epoch from b.window_end - now())))::int as retry_after
  `.execute(runtimeDb());
  const row = rows[0]!;
  if (row.hits > max) return { limited: true, retryAfterSeconds: row.retry_after };
  return { limited: false, name, keyHash: hash, windowStart: row.window_start };
}

/** Gives a counted request back (a sign-in that succeeds is not a guess), if its window is still the current one. */
export async function forgive(counted: Counted): Promise<void> {
  await runtimeDb()
    .updateTable("rate_limit_buckets")
    .set({ hits: sql<number>`greatest(hits - 1, 0)` })
    .where("limit_name", "=", counted.name)
    .where("key_hash", "=", counted.keyHash)
    .where("window_start", "=", counted.windowStart)
    .execute();
}

/** Buckets whose window has ended count nothing any more (the hourly sweep job). */
export async function sweepRateLimitBuckets(): Promise<number> {
  const result = await runtimeDb()
    .deleteFrom("rate_limit_buckets")
    .where("window_end", "<", sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The words a page or a form shows when a client is refused. */
export function tryAgainMessage(limited: Limited): string {
  const minutes = Math.ceil(limited.retryAfterSeconds / 60);
  return `Too many attempts. Please wait and try again in ${minutes === 1 ? "a minute" : `${minutes} minutes`}.`;
}

export const retryAfterHeaders = (limited: Limited) => ({ "Retry-After": String(limited.retryAfterSeconds) });

/** An action's answer when its client is refused: its usual body, built around the message; 429 and Retry-After. */
export function refusedWith<T>(limited: Limited, body: (message: string) => T) {
  return json(body(tryAgainMessage(limited)), { status: 429, headers: retryAfterHeaders(limited) });
}

/** A loader's answer to a refused page view: the error page, saying when to come back. */
export function tooManyRequests(limited: Limited): Response {
  return new Response(tryAgainMessage(limited), { status: 429, statusText: "Too Many Requests", headers: retryAfterHeaders(limited) });
}

/**
 * A rate-limited route's `headers` export: what its parent sends, plus Retry-After from a refused
 * loader or action (a document response drops a route's own headers unless it exports this).
 */
export const keepRetryAfter: HeadersFunction = ({ parentHeaders, actionHeaders, loaderHeaders, errorHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retry = errorHeaders?.get("Retry-After") ?? actionHeaders.get("Retry-After") ?? loaderHeaders.get("Retry-After");
  if (retry) headers.set("Retry-After", retry);
  return headers;
};
