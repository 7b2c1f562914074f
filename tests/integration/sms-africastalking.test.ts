import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { atDeliveryReport, atIncomingMessage, createAfricasTalkingMock } from "../mocks/africastalking";
import { withTenant } from "~db/client";
import { providerSetup } from "~/modules/notifications/providers/index.server";
import { createUser, ownerDb } from "../support/db";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";
import {
  messageHistory,
  messageRow,
  queuedSms,
  queueSmsRow,
  registeredProvider,
  runSendJob,
  smsTenant,
  switchSmsProviderOff,
  vendorsOnly,
} from "./sms-support";

/**
 * SMS through Africa's Talking (issue 14): the adapter against a mock of their API, the job's
 * retries, and their callbacks (delivery reports, STOP replies) over real HTTP to the built app.
 */
const server = setupServer();
beforeAll(() => server.listen(vendorsOnly));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const config = { username: "sandbox", apiKey: "atsk_bowman_test_key_0123456789" };
const AMINA = "+254712345678";
const LONG =
  "Your Bowman motor policy BWM-POL-2026-000123 renews on 1 January 2027. Pay KES 12,500 by M-Pesa to keep your cover; reply STOP to stop reminders. Thank you for staying with us.";

async function sentMessage() {
  const mock = createAfricasTalkingMock();
  server.use(...mock.handlers);
  const ctx = await smsTenant("africastalking", config, "BOWMAN");
  const id = await queuedSms(ctx.tenant.id, AMINA, "Your policy is ready.");
  await runSendJob(ctx.tenant.id, id, await registeredProvider(ctx.tenant.id), 1);
  const row = await messageRow(id);
  return { ...ctx, mock, id, providerId: row.provider_message_id! };
}

function postReport(browser: Awaited<ReturnType<typeof sentMessage>>["browser"], token: string, body: string) {
  return browser.send("POST", `/webhooks/messages/africastalking/${token}`, body, { "content-type": "application/x-www-form-urlencoded" });
}

describe("sending through Africa's Talking", () => {
  it("sends to the sandbox with the API key, sender id and text, and records their id and the parts", async () => {
    const mock = createAfricasTalkingMock();
    server.use(...mock.handlers);
    const { tenant } = await smsTenant("africastalking", config, "BOWMAN");
    const id = await queuedSms(tenant.id, AMINA, LONG);
    await runSendJob(tenant.id, id, await registeredProvider(tenant.id), 1);
    expect(mock.state.sent).toHaveLength(1);
    expect(mock.state.sent[0]).toMatchObject({
      url: "https://api.sandbox.africastalking.com/version1/messaging",
      apiKey: config.apiKey,
      fields: { username: "sandbox", to: AMINA, message: LONG, from: "BOWMAN" },
    });
    expect(await messageRow(id)).toMatchObject({
      status: "sent",
      provider: "africastalking",
      provider_message_id: "ATXid_000001",
      segments: 2,
      encoding: "gsm7",
      attempts: 1,
    });
  });

  it("retries after a 500, a timeout and a 429, then sends once; the history shows each try", async () => {
    const mock = createAfricasTalkingMock({ faults: ["500", "timeout", "429"] });
    server.use(...mock.handlers);
    const { tenant } = await smsTenant("africastalking", config, "BOWMAN");
    const id = await queuedSms(tenant.id, AMINA, "Your payment was received.");
    const provider = await registeredProvider(tenant.id, { timeoutMs: 300 });
    await expect(runSendJob(tenant.id, id, provider, 1)).rejects.toThrow(/HTTP 500/);
    await expect(runSendJob(tenant.id, id, provider, 2)).rejects.toThrow(/did not answer/);
    await expect(runSendJob(tenant.id, id, provider, 3)).rejects.toThrow(/HTTP 429/);
    expect(await messageRow(id)).toMatchObject({ status: "queued", attempts: 3 });
    await runSendJob(tenant.id, id, provider, 4);
    // A retried job finds the message sent and sends nothing more.
    await runSendJob(tenant.id, id, provider, 5);
    expect(mock.state.sent).toHaveLength(1);
    expect(await messageRow(id)).toMatchObject({ status: "sent", provider_message_id: "ATXid_000001", error: null });
    const history = await messageHistory(id);
    expect(history.map((e) => e.status)).toEqual(["retrying", "retrying", "retrying", "sent"]);
    expect(history[0]!.detail).toMatch(/Attempt 1 of 8: .*HTTP 500/);
  });

  it("fails a message to a number they refuse at once, with their reason", async () => {
    const mock = createAfricasTalkingMock({ rejected: { "+254700000001": 406 } });
    server.use(...mock.handlers);
    const { tenant } = await smsTenant("africastalking", config, "BOWMAN");
    const id = await queuedSms(tenant.id, "+254700000001", "Your policy is ready.");
    await runSendJob(tenant.id, id, await registeredProvider(tenant.id), 1);
    const row = await messageRow(id);
    expect(row).toMatchObject({ status: "failed", attempts: 1, provider_status: "406 UserInBlacklist" });
    expect(row.error).toMatch(/blocked messages from this sender/);
    expect(mock.state.requests).toBe(1);
  });

  it("fails a number that is no phone number when it is queued, before any provider is asked", async () => {
    const { tenant } = await smsTenant("africastalking", config, "BOWMAN");
    const row = await queueSmsRow(tenant.id, { to: "+25412", text: "Your code is 123456", essential: true });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/not a valid|not a phone number/);
  });
});

describe("Africa's Talking callbacks", () => {
  it("marks the message delivered once: a repeated report and a late 'Sent' change nothing", async () => {
    const { browser, setup, id, providerId } = await sentMessage();
    const delivered = atDeliveryReport(providerId, "Success");
    const first = await postReport(browser, setup.callbackToken, delivered);
    expect(first.status).toBe(200);
    expect(await messageRow(id)).toMatchObject({ status: "delivered", provider_status: "Success" });
    expect((await postReport(browser, setup.callbackToken, delivered)).status).toBe(200);
    expect((await postReport(browser, setup.callbackToken, atDeliveryReport(providerId, "Sent"))).status).toBe(200);
    expect((await messageRow(id)).status).toBe("delivered");
    expect((await messageHistory(id)).map((e) => e.status)).toEqual(["sent", "delivered"]);
  });

  it("records a failed delivery with their reason", async () => {
    const { browser, setup, id, providerId } = await sentMessage();
    await postReport(browser, setup.callbackToken, atDeliveryReport(providerId, "Failed", { failureReason: "UserInBlacklist" }));
    const row = await messageRow(id);
    expect(row).toMatchObject({ status: "failed", provider_status: "Failed UserInBlacklist" });
    expect(row.error).toMatch(/UserInBlacklist/);
  });

  it("refuses a report with a wrong token and changes nothing", async () => {
    const { browser, id, providerId } = await sentMessage();
    const forged = await postReport(browser, "not-the-token", atDeliveryReport(providerId, "Success"));
    expect(forged.status).toBe(404);
    expect(JSON.parse(forged.text)).toMatchObject({ status: "error", code: "NOT_FOUND" });
    expect(await messageRow(id)).toMatchObject({ status: "sent", delivered_at: null });
    expect((await messageHistory(id)).map((e) => e.status)).toEqual(["sent"]);
  });

  it("an admin issues a new callback address: the old one is refused from then on, the new one works, audited", async () => {
    const { browser, tenant, id, providerId, setup } = await sentMessage();
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const office = await signIn(hostOf(tenant), admin.email);
    const page = await office.get("/admin/messages/providers");
    expect(page.text).toContain(`/webhooks/messages/africastalking/${setup.callbackToken}`);
    const renewed = await office.post("/admin/messages/providers", { intent: "renew_token", channel: "sms" });
    expect(renewed.status).toBe(302);
    expect(renewed.location).toBe("/admin/messages/providers?renewed=sms#sms");
    const fresh = (await withTenant(tenant.id, (db) => providerSetup(db, tenant.id, "sms")))!.callbackToken;
    expect(fresh).not.toBe(setup.callbackToken);
    const after = (await office.get(renewed.location!)).text;
    expect(after).toContain(`/webhooks/messages/africastalking/${fresh}`);
    expect(textOf(after)).toContain("SMS has a new callback address.");

    expect((await postReport(browser, setup.callbackToken, atDeliveryReport(providerId, "Success"))).status).toBe(404);
    expect(await messageRow(id)).toMatchObject({ status: "sent" });
    expect((await postReport(browser, fresh, atDeliveryReport(providerId, "Success"))).status).toBe(200);
    expect(await messageRow(id)).toMatchObject({ status: "delivered" });
    expect(await auditRows(tenant.id, "messaging.callback_token_renewed", "sms")).toHaveLength(1);
    // A channel with nothing saved has no address to renew.
    expect((await office.post("/admin/messages/providers", { intent: "renew_token", channel: "whatsapp" })).status).toBe(404);
  });

  it("a STOP reply suppresses the next optional SMS to that number; a code still goes; START lets them through again", async () => {
    const { browser, setup, tenant } = await smsTenant("africastalking", config, "22384");
    const stop = await postReport(browser, setup.callbackToken, atIncomingMessage(AMINA, "stop"));
    expect(stop.status).toBe(200);
    const optOut = await ownerDb().selectFrom("message_opt_outs").selectAll().where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow();
    expect(optOut).toMatchObject({ channel: "sms", address: AMINA, category: "all", source: "stop_reply" });
    // The provider is switched off before queueing, so the suite's worker (which cannot reach
    // Africa's Talking) is never handed a job: the message that goes stops in the outbox.
    await switchSmsProviderOff(tenant.id);
    const reminder = await queueSmsRow(tenant.id, { to: "0712 345 678", text: "Your renewal is due.", category: "renewals" });
    expect(reminder.status).toBe("suppressed");
    const code = await queueSmsRow(tenant.id, { to: AMINA, text: "123456 is your code.", essential: true, urgent: true });
    expect(code.status).toBe("outbox");

    expect((await postReport(browser, setup.callbackToken, atIncomingMessage(AMINA, "START"))).status).toBe(200);
    const again = await queueSmsRow(tenant.id, { to: AMINA, text: "Your renewal is due soon.", category: "renewals" });
    expect(again.status).toBe("outbox");
  });
});
