import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { issueTokens } from "~/modules/auth/api-tokens.server";
import { addToCart } from "~/modules/cart/cart.server";
import { startPayment } from "~/modules/payments/payments.server";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import { createQuote } from "~/modules/quotes/quotes.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { ApiClient } from "../support/api";
import { ORIGIN, customerWithOrder, paymentsTenant, policiesOf, transactionRow, transactionsOf } from "../support/checkout";
import { createUser, eventually, ownerDb } from "../support/db";

/** The customer side of /api/v1 (issue 15 item 5): a person's own data only, cursor pages, idempotent payments. */

async function appFor(tenant: TenantInfo, user: { id: string }): Promise<ApiClient> {
  const api = new ApiClient(`${tenant.slug}.localhost`);
  const { tokens } = await withTenant(tenant.id, (db) => issueTokens(db, tenant.id, user.id, { name: "test app" }));
  api.token = tokens.accessToken;
  return api;
}

async function inAppMessages(tenantId: string, user: { id: string; email: string }, count: number) {
  const rows = await ownerDb()
    .insertInto("messages")
    .values(
      Array.from({ length: count }, (_, i) => ({
        tenant_id: tenantId,
        channel: "in_app" as const,
        template: "test",
        recipient: user.email,
        subject: `Notice ${i + 1}`,
        body_text: `Something happened (${i + 1})`,
        status: "delivered" as const,
        user_id: user.id,
        delivered_at: new Date(),
      })),
    )
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

describe("another customer's things are not found, exactly like unknown ids", () => {
  it("orders, payments, policies, documents, notifications, cart items and quotes of someone else answer 404 and stay as they were", async () => {
    const tenant = await paymentsTenant();
    // B buys a policy (through the modules), gets a notification and has something in a new cart.
    const b = await customerWithOrder(tenant);
    const started = await startPayment(tenant, {
      target: { orderId: b.orderId },
      userId: b.user.id,
      method: "card",
      email: b.user.email,
      origin: ORIGIN,
    });
    if (!started.ok) throw new Error(started.message);
    const tx = await transactionRow(started.transactionId);
    await playSandboxChoice(tenant, tx.provider_ref!, "approve");
    const [policy] = await eventually(async () => {
      const policies = await policiesOf(b.orderId);
      return policies.length && policies.every((p) => p.certificate_file_key) ? policies : undefined;
    }, 30_000);
    const [message] = await inAppMessages(tenant.id, b.user, 1);
    const { quoteId, itemId } = await withTenant(tenant.id, async (db) => {
      const quote = await createQuote(db, tenant, {
        productSlug: "home-cover",
        input: { buildingValue: 1_000_000_000 },
        frequency: "annual",
        userId: b.user.id,
      });
      if (!quote.ok) throw new Error("quote");
      const added = await addToCart(db, { userId: b.user.id, cartId: null }, quote.quote.id);
      if (!added.ok) throw new Error(added.message);
      return { quoteId: quote.quote.id, itemId: added.itemId };
    });

    const a = await appFor(tenant, await createUser(tenant.id));
    const unknown = randomUUID();
    const pairs: [string, string][] = [
      [`/orders/${b.orderId}`, `/orders/${unknown}`],
      [`/payments/${started.transactionId}`, `/payments/${unknown}`],
      [`/policies/${policy!.id}`, `/policies/${unknown}`],
      [`/policies/${policy!.id}/documents`, `/policies/${unknown}/documents`],
    ];
    for (const [theirs, none] of pairs) {
      const [r1, r2] = [await a.get(theirs), await a.get(none)];
      expect(r1.status, theirs).toBe(404);
      expect(r1.text).toBe(r2.text);
    }
    const writes: [() => Promise<{ status: number; text: string }>, () => Promise<{ status: number; text: string }>][] = [
      [() => a.post(`/orders/${b.orderId}/payments`, { method: "card" }), () => a.post(`/orders/${unknown}/payments`, { method: "card" })],
      [() => a.post(`/notifications/${message}/read`), () => a.post(`/notifications/${unknown}/read`)],
      [() => a.delete(`/cart/items/${itemId}`), () => a.delete(`/cart/items/${unknown}`)],
      [() => a.post("/cart/items", { quoteId }), () => a.post("/cart/items", { quoteId: unknown })],
    ];
    for (const [theirs, none] of writes) {
      const [r1, r2] = [await theirs(), await none()];
      expect(r1.status, r1.text).toBe(404);
      expect(r1.text).toBe(r2.text);
    }
    // Nothing of B's moved.
    expect(await transactionsOf(b.orderId)).toHaveLength(1);
    expect(
      (await ownerDb().selectFrom("messages").select("read_at").where("id", "=", message!).executeTakeFirstOrThrow()).read_at,
    ).toBeNull();
    expect(await ownerDb().selectFrom("cart_items").select("id").where("id", "=", itemId).executeTakeFirst()).toBeDefined();
    // And A's own lists hold nothing of B's.
    for (const list of ["/quotes", "/policies", "/payments", "/notifications"]) {
      const res = await a.get(list);
      expect(res.status, list).toBe(200);
      expect(res.json).toEqual({ results: [], nextCursor: null, next: null });
    }
    expect((await a.get("/cart")).json.cart.items).toEqual([]);
  });
});

describe("GET /notifications pages with a cursor", () => {
  it("walks 25 notifications written in the same instant in pages of 10, each once, newest first; a forged cursor is a 400", async () => {
    const tenant = await paymentsTenant();
    const user = await createUser(tenant.id);
    const ids = await inAppMessages(tenant.id, user, 25);
    await inAppMessages(tenant.id, await createUser(tenant.id), 3);
    const api = await appFor(tenant, user);

    const seen: string[] = [];
    const sizes: number[] = [];
    let path: string | null = "/notifications?limit=10";
    while (path) {
      const res = await api.get(path);
      expect(res.status, res.text).toBe(200);
      sizes.push(res.json.results.length);
      seen.push(...res.json.results.map((n: { id: string }) => n.id));
      if (res.json.nextCursor) expect(res.json.next).toContain(`cursor=${res.json.nextCursor}`);
      path = res.json.nextCursor ? `/notifications?limit=10&cursor=${res.json.nextCursor}` : null;
    }
    expect(sizes).toEqual([10, 10, 5]);
    // One insert, one created_at: the id breaks the tie, so no row is skipped or repeated.
    expect(seen).toEqual([...ids].sort().reverse());

    const forged = await api.get(`/notifications?cursor=${Buffer.from(JSON.stringify(["yesterday", "x"])).toString("base64url")}`);
    expect(forged.status).toBe(400);
    expect(forged.json).toMatchObject({ code: "VALIDATION_ERROR", errors: { cursor: [expect.any(String)] } });

    const read = await api.post(`/notifications/${seen[0]}/read`);
    expect(read.status, read.text).toBe(204);
    const first = await api.get("/notifications?limit=1");
    expect(first.json.results[0]).toMatchObject({ id: seen[0], read: true });
  });
});

describe("POST /orders/{orderId}/payments with an Idempotency-Key", () => {
  it("answers a repeat with the first answer and starts no second payment; the key with another body is a 422", async () => {
    const tenant = await paymentsTenant();
    const { user, orderId } = await customerWithOrder(tenant, { method: "card" });
    const api = await appFor(tenant, user);
    const key = { "idempotency-key": `pay-${orderId}` };

    const first = await api.post(`/orders/${orderId}/payments`, { method: "card" }, key);
    expect(first.status, first.text).toBe(201);
    const again = await api.post(`/orders/${orderId}/payments`, { method: "card" }, key);
    expect(again.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json).toEqual(first.json);
    const transactions = await transactionsOf(orderId);
    expect(transactions.map((t) => t.id)).toEqual([first.json.payment.transactionId]);
    const initiations = await ownerDb()
      .selectFrom("gateway_log")
      .select("kind")
      .where("transaction_id", "=", first.json.payment.transactionId)
      .where("kind", "=", "initiate")
      .execute();
    expect(initiations).toHaveLength(1);

    const otherBody = await api.post(`/orders/${orderId}/payments`, { method: "mpesa", phone: "0712345678" }, key);
    expect(otherBody.status).toBe(422);
    expect(otherBody.json.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await transactionsOf(orderId)).toHaveLength(1);
  });
});
