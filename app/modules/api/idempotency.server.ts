import { createHash } from "node:crypto";
import { sql } from "kysely";
import { withTenant, type TenantDb } from "~db/client";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { principalKey, type Principal } from "./principal.server";
import { ApiProblem } from "./problem.server";

/**
 * Idempotency-Key on POSTs that create (decision 045): the first answer is kept in api_idempotency
 * and answered again for a repeat, so a client that lost an answer can retry without creating twice.
 */

/** Stored first answers to POSTs with an Idempotency-Key: replay, conflict, or go ahead (and store after). */
export async function idempotent(
  tenant: TenantInfo,
  principal: Principal,
  request: Request,
  key: string,
  rawBody: string,
  run: () => Promise<Response>,
): Promise<Response> {
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiProblem(400, "VALIDATION_ERROR", "Idempotency-Key must be 1 to 255 visible ASCII characters", {
      "Idempotency-Key": ["Invalid key"],
    });
  }
  const who = principalKey(principal, request);
  const path = new URL(request.url).pathname;
  const hash = createHash("sha256").update(`${request.method} ${path}\n${rawBody}`).digest("hex");
  const claimed = await withTenant(tenant.id, async (db) => {
    const inserted = await db
      .insertInto("api_idempotency")
      .values({ principal: who, idempotency_key: key, method: request.method, path, request_hash: hash })
      .onConflict((oc) => oc.columns(["tenant_id", "principal", "idempotency_key"]).doNothing())
      .returning("idempotency_key")
      .executeTakeFirst();
    if (inserted) return null;
    return db
      .selectFrom("api_idempotency")
      .select(["request_hash", "status", "body", "headers"])
      .where("principal", "=", who)
      .where("idempotency_key", "=", key)
      .executeTakeFirstOrThrow();
  });
  if (claimed) {
    if (claimed.request_hash !== hash) {
      throw new ApiProblem(422, "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with a different request");
    }
    if (claimed.status === null) {
      throw new ApiProblem(
        409,
        "REQUEST_IN_PROGRESS",
        "A request with this Idempotency-Key is still being answered; try again shortly",
        {},
        { "Retry-After": "1" },
      );
    }
    const replay = new Response(JSON.stringify(claimed.body), {
      status: claimed.status,
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...claimed.headers },
    });
    replay.headers.set("Idempotent-Replayed", "true");
    return replay;
  }
  let response: Response;
  try {
    response = await run();
  } catch (error) {
    await forget(tenant.id, who, key);
    throw error;
  }
  // Failures a retry could change (5xx, 409, 429) are not kept: the client may try again.
  if (response.status >= 500 || response.status === 409 || response.status === 429) {
    await forget(tenant.id, who, key);
    return response;
  }
  const text = await response.clone().text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const kept: Record<string, string> = {};
  for (const name of ["location", "etag"]) {
    const value = response.headers.get(name);
    if (value) kept[name] = value;
  }
  await withTenant(tenant.id, (db) =>
    db
      .updateTable("api_idempotency")
      .set({ status: response.status, body: JSON.stringify(body), headers: JSON.stringify(kept) })
      .where("principal", "=", who)
      .where("idempotency_key", "=", key)
      .execute(),
  );
  return response;
}

async function forget(tenantId: string, principal: string, key: string): Promise<void> {
  await withTenant(tenantId, (db) =>
    db.deleteFrom("api_idempotency").where("principal", "=", principal).where("idempotency_key", "=", key).execute(),
  );
}

/** Kept answers are for retries, which come within minutes: a day is plenty (the hourly sweep). */
export async function sweepApiIdempotency(db: TenantDb): Promise<number> {
  const result = await db
    .deleteFrom("api_idempotency")
    .where("created_at", "<", sql<Date>`now() - interval '24 hours'`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
