import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { deliverMessage } from "~/modules/notifications/delivery.server";
import { outboxProvider } from "~/modules/notifications/providers/outbox.server";
import { resendProvider } from "~/modules/notifications/providers/resend.server";
import { createTenant, ownerDb } from "../support/db";
import { resendHandlers, type SentEmail } from "../mocks/resend";

const sent: SentEmail[] = [];
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  sent.length = 0;
});
afterAll(() => server.close());

/** A message row with no job: the running worker must not deliver it before the test does. */
async function queuedMessage(tenantId: string) {
  const row = await withTenant(tenantId, (db) =>
    db
      .insertInto("messages")
      .values({
        template: "test",
        recipient: "amina@example.com",
        subject: "Hello",
        body_text: "Hello Amina",
        body_html: "<p>Hello Amina</p>",
      })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

describe("email delivery through Resend", () => {
  it("sends once with an idempotency key and records the provider's id", async () => {
    server.use(...resendHandlers(sent));
    process.env.RESEND_API_KEY = "re_test_key";
    const tenant = await createTenant();
    const id = await queuedMessage(tenant.id);
    const sender = resendSender();
    expect(await withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id, { provider: sender }))).toBe("delivered");
    // A retried job finds the message delivered and sends nothing.
    expect(await withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id, { provider: sender }))).toBe("already-delivered");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      idempotencyKey: `message-${id}`,
      authorization: "Bearer re_test_key",
      body: { to: "amina@example.com", subject: "Hello", text: "Hello Amina" },
    });
    const row = await ownerDb().selectFrom("messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "sent", provider: "resend", provider_message_id: "re_000000", attempts: 1 });
  });

  it("leaves the message queued when Resend fails, so the job retries", async () => {
    server.use(...resendHandlers(sent, { fail: true }));
    const tenant = await createTenant();
    const id = await queuedMessage(tenant.id);
    await expect(withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id, { provider: resendSender() }))).rejects.toThrow(/Resend/);
    const row = await ownerDb().selectFrom("messages").select(["status", "sent_at"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "queued", sent_at: null });
  });

  it("without a key, the message goes to the development outbox", async () => {
    const tenant = await createTenant();
    const id = await queuedMessage(tenant.id);
    await withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id, { provider: outboxProvider }));
    const row = await ownerDb().selectFrom("messages").select(["status", "provider"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "outbox", provider: "outbox" });
  });
});

function resendSender() {
  // env() is parsed once per process; the sender reads the key it was built with.
  return resendProvider({ apiKey: process.env.RESEND_API_KEY!, from: "Covera <no-reply@covera.app>" });
}
