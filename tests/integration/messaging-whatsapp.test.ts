import { createHmac } from "node:crypto";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { deliverMessage } from "~/modules/notifications/delivery.server";
import { metaWhatsappProvider } from "~/modules/notifications/providers/meta-whatsapp.server";
import { providerSetup, saveProviderSetup } from "~/modules/notifications/providers/index.server";
import { createTenant, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { metaWhatsappHandlers, type MetaAnswer, type SentWhatsapp } from "../mocks/meta-whatsapp";
import { hostOf } from "./accounts-support";

/**
 * WhatsApp through Meta's Cloud API (issue 14, decision 039): template sends at the mock, the
 * signed status webhook over HTTP to the built app, retries and refusals.
 */

const sent: SentWhatsapp[] = [];
const server = setupServer();
const APP_SECRET = "meta-app-secret-for-tests";
const PHONE_NUMBER_ID = "106540352242922";

// The app under test is reached over real HTTP; every other host must be mocked.
beforeAll(() =>
  server.listen({ onUnhandledRequest: ({ url }, print) => (new URL(url).hostname === "127.0.0.1" ? undefined : print.error()) }),
);
afterEach(() => {
  server.resetHandlers();
  sent.length = 0;
});
afterAll(() => server.close());

async function connectedTenant() {
  const tenant = await createTenant();
  await withTenant(tenant.id, (db) =>
    saveProviderSetup(db, tenant.id, {
      channel: "whatsapp",
      provider: "meta_whatsapp",
      enabled: true,
      mode: "test",
      sender: PHONE_NUMBER_ID,
      config: {
        accessToken: "EAAG-tenant-token",
        appSecret: APP_SECRET,
        templates: "payment_received = bowman_receipt(amount, receiptNumber)",
      },
    }),
  );
  return tenant;
}

/** A queued WhatsApp message with no job, so the suite's worker leaves it to the test. */
async function queuedWhatsapp(tenantId: string, overrides: { event?: string; language?: "en" | "sw" | "ms" } = {}) {
  const row = await withTenant(tenantId, (db) =>
    db
      .insertInto("messages")
      .values({
        channel: "whatsapp",
        template: overrides.event ?? "phone_code",
        event: overrides.event ?? "phone_code",
        language: overrides.language ?? "sw",
        recipient: "+254712345678",
        body_text: "Nambari yako ya uthibitisho ni 482913.",
        variables: JSON.stringify({ code: "482913", minutes: "10", tenantName: "Bowman Insurance" }),
      })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

/** A message the provider accepted, waiting for its status callbacks. */
async function sentWhatsapp(tenantId: string, wamid: string) {
  const row = await withTenant(tenantId, (db) =>
    db
      .insertInto("messages")
      .values({
        channel: "whatsapp",
        template: "phone_code",
        event: "phone_code",
        recipient: "+254712345678",
        body_text: "Your code is 482913.",
        status: "sent",
        provider: "meta_whatsapp",
        provider_message_id: wamid,
        sent_at: new Date(),
        attempts: 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

const messageRow = (id: string) => ownerDb().selectFrom("messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const eventsOf = (id: string) =>
  ownerDb()
    .selectFrom("message_events")
    .select(["status", "detail", "provider_status"])
    .where("message_id", "=", id)
    .orderBy("id")
    .execute();

function statusPayload(wamid: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: PHONE_NUMBER_ID },
              statuses: [{ id: wamid, status, timestamp: "1765100000", recipient_id: "254712345678", ...extra }],
            },
          },
        ],
      },
    ],
  };
}

async function postStatus(tenant: { slug: string }, payload: unknown, secret = APP_SECRET) {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return new Browser(hostOf(tenant)).send("POST", "/webhooks/messages/whatsapp", body, {
    "content-type": "application/json",
    "x-hub-signature-256": signature,
  });
}

describe("sending WhatsApp templates", () => {
  it("sends the event's template in the message's language with its values in order, and records Meta's id", async () => {
    server.use(...metaWhatsappHandlers(sent));
    const tenant = await connectedTenant();
    const id = await queuedWhatsapp(tenant.id);
    // The tenant's own provider, built from its saved (encrypted) setup.
    expect(await withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id))).toBe("delivered");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`https://graph.facebook.com/v21.0/${PHONE_NUMBER_ID}/messages`);
    expect(sent[0]!.authorization).toBe("Bearer EAAG-tenant-token");
    expect(sent[0]!.body).toMatchObject({
      messaging_product: "whatsapp",
      to: "254712345678",
      type: "template",
      biz_opaque_callback_data: id,
      template: {
        name: "covera_phone_code",
        language: { code: "sw" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "482913" },
              { type: "text", text: "10" },
              { type: "text", text: "Bowman Insurance" },
            ],
          },
        ],
      },
    });
    expect(await messageRow(id)).toMatchObject({
      status: "sent",
      provider: "meta_whatsapp",
      provider_message_id: "wamid.HBgM000001",
      attempts: 1,
    });
  });

  it("uses the agency's own template name and parameter order from its settings", async () => {
    server.use(...metaWhatsappHandlers(sent));
    const tenant = await connectedTenant();
    const row = await withTenant(tenant.id, (db) =>
      db
        .insertInto("messages")
        .values({
          channel: "whatsapp",
          template: "payment_received",
          event: "payment_received",
          language: "en",
          recipient: "+254712345678",
          body_text: "Payment received",
          variables: JSON.stringify({ name: "Amina", amount: "KES 12,500.00", receiptNumber: "BWM-RCT-1" }),
        })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    await withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, row.id));
    expect(sent[0]!.body.template).toEqual({
      name: "bowman_receipt",
      language: { code: "en" },
      components: [
        {
          type: "body",
          parameters: [
            { type: "text", text: "KES 12,500.00" },
            { type: "text", text: "BWM-RCT-1" },
          ],
        },
      ],
    });
  });

  it("retries a rate limit, a server error and a time-out, then sends exactly once", async () => {
    const script: MetaAnswer[] = ["rate_limit", "server_error", "timeout"];
    server.use(...metaWhatsappHandlers(sent, script));
    const tenant = await connectedTenant();
    const id = await queuedWhatsapp(tenant.id);
    const provider = metaWhatsappProvider({ phoneNumberId: PHONE_NUMBER_ID, accessToken: "EAAG-tenant-token", timeoutMs: 300 });
    const attempt = () => withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id, { provider }));
    await expect(attempt()).rejects.toThrow(/130429/);
    await expect(attempt()).rejects.toThrow(/WhatsApp refused the message/);
    await expect(attempt()).rejects.toThrow(/abort|timeout/i);
    expect(await messageRow(id)).toMatchObject({ status: "queued", provider_message_id: null });
    expect(await attempt()).toBe("delivered");
    // A retried job finds it sent and sends nothing more.
    expect(await attempt()).toBe("already-delivered");
    expect(sent).toHaveLength(1);
    expect(await messageRow(id)).toMatchObject({ status: "sent", provider_message_id: "wamid.HBgM000001" });
  });

  it("fails at once, with Meta's reason, a number that is not on WhatsApp", async () => {
    server.use(...metaWhatsappHandlers(sent, ["invalid_recipient"]));
    const tenant = await connectedTenant();
    const id = await queuedWhatsapp(tenant.id);
    expect(await withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id))).toBe("rejected");
    const row = await messageRow(id);
    expect(row).toMatchObject({ status: "failed", provider: "meta_whatsapp", provider_status: "131026", attempts: 1 });
    expect(row.error).toMatch(/not a valid WhatsApp user.*131026/);
    expect(await eventsOf(id)).toEqual([{ status: "failed", detail: row.error, provider_status: "131026" }]);
  });

  it("fails at once a template Meta does not have", async () => {
    server.use(...metaWhatsappHandlers(sent, ["template_missing"]));
    const tenant = await connectedTenant();
    const id = await queuedWhatsapp(tenant.id);
    expect(await withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id))).toBe("rejected");
    expect((await messageRow(id)).error).toMatch(/132001/);
  });
});

describe("Meta's webhook", () => {
  it("answers the subscription check with the challenge only for the agency's verify token", async () => {
    const tenant = await connectedTenant();
    const token = (await withTenant(tenant.id, (db) => providerSetup(db, tenant.id, "whatsapp")))!.callbackToken;
    const browser = new Browser(hostOf(tenant));
    const ok = await browser.get(`/webhooks/messages/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe("1158201444");
    const wrong = await browser.get(`/webhooks/messages/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444`);
    expect(wrong.status).toBe(403);
    expect(wrong.text).not.toContain("1158201444");
  });

  it("marks a message delivered, and a later read or duplicate changes nothing", async () => {
    const tenant = await connectedTenant();
    const id = await sentWhatsapp(tenant.id, "wamid.delivered1");
    expect((await postStatus(tenant, statusPayload("wamid.delivered1", "delivered"))).status).toBe(200);
    const row = await messageRow(id);
    expect(row).toMatchObject({ status: "delivered", provider_status: "delivered" });
    expect(row.delivered_at?.toISOString()).toBe(new Date(1765100000 * 1000).toISOString());
    expect((await postStatus(tenant, statusPayload("wamid.delivered1", "delivered"))).status).toBe(200);
    expect((await postStatus(tenant, statusPayload("wamid.delivered1", "read"))).status).toBe(200);
    // A late "sent" and a late "failed" cannot undo a delivery.
    await postStatus(tenant, statusPayload("wamid.delivered1", "sent"));
    await postStatus(tenant, statusPayload("wamid.delivered1", "failed", { errors: [{ code: 131026, title: "Message undeliverable" }] }));
    expect(await messageRow(id)).toMatchObject({ status: "delivered", provider_status: "delivered", error: null });
    expect(await eventsOf(id)).toEqual([{ status: "delivered", detail: null, provider_status: "delivered" }]);
  });

  it("counts a read as delivered", async () => {
    const tenant = await connectedTenant();
    const id = await sentWhatsapp(tenant.id, "wamid.read1");
    await postStatus(tenant, statusPayload("wamid.read1", "read"));
    expect(await messageRow(id)).toMatchObject({ status: "delivered", provider_status: "read" });
  });

  it("marks a message failed with Meta's error title", async () => {
    const tenant = await connectedTenant();
    const id = await sentWhatsapp(tenant.id, "wamid.failed1");
    await postStatus(tenant, statusPayload("wamid.failed1", "failed", { errors: [{ code: 131047, title: "Re-engagement message" }] }));
    expect(await messageRow(id)).toMatchObject({ status: "failed", provider_status: "failed 131047", error: "Re-engagement message" });
    expect(await eventsOf(id)).toEqual([{ status: "failed", detail: "Re-engagement message", provider_status: "failed 131047" }]);
  });

  it("refuses a report with a bad signature and changes nothing", async () => {
    const tenant = await connectedTenant();
    const id = await sentWhatsapp(tenant.id, "wamid.forged1");
    const forged = await postStatus(
      tenant,
      statusPayload("wamid.forged1", "failed", { errors: [{ code: 1, title: "Forged" }] }),
      "not-the-app-secret",
    );
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.text)).toMatchObject({ status: "error", code: "BAD_SIGNATURE" });
    const unsigned = await new Browser(hostOf(tenant)).send(
      "POST",
      "/webhooks/messages/whatsapp",
      JSON.stringify(statusPayload("wamid.forged1", "delivered")),
      {
        "content-type": "application/json",
      },
    );
    expect(unsigned.status).toBe(401);
    expect(await messageRow(id)).toMatchObject({ status: "sent", error: null });
    expect(await eventsOf(id)).toEqual([]);
  });

  it("cannot touch another agency's message, even correctly signed for its own", async () => {
    const tenant = await connectedTenant();
    const other = await connectedTenant();
    const id = await sentWhatsapp(other.id, "wamid.other1");
    expect((await postStatus(tenant, statusPayload("wamid.other1", "delivered"))).status).toBe(200);
    expect(await messageRow(id)).toMatchObject({ status: "sent" });
  });
});
