import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTwilioMock, signedTwilioCallback } from "../mocks/twilio";
import { ownerDb } from "../support/db";
import type { Browser } from "../support/http";
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
 * SMS through Twilio (issue 14): the adapter against a mock of the Messages API, the job's
 * retries, and Twilio's signed callbacks (status callbacks, STOP replies) over real HTTP.
 */
const server = setupServer();
beforeAll(() => server.listen(vendorsOnly));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const config = { accountSid: ACCOUNT, authToken: "twilio_auth_token_for_tests_1234" };
const SENDER = "+60123456789";
const SITI = "+60123334444";
const PATH = "/webhooks/messages/twilio";

function post(browser: Browser, fields: Record<string, string>, authToken = config.authToken) {
  const { body, signature } = signedTwilioCallback(authToken, `${browser.origin}${PATH}`, fields);
  return browser.send("POST", PATH, body, { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature });
}

const status = (sid: string, messageStatus: string, extra: Record<string, string> = {}) => ({
  AccountSid: ACCOUNT,
  MessageSid: sid,
  SmsSid: sid,
  MessageStatus: messageStatus,
  SmsStatus: messageStatus,
  To: SITI,
  From: SENDER,
  ApiVersion: "2010-04-01",
  ...extra,
});

async function sentMessage() {
  const mock = createTwilioMock(ACCOUNT);
  server.use(...mock.handlers);
  const ctx = await smsTenant("twilio", config, SENDER);
  const id = await queuedSms(ctx.tenant.id, SITI, "Polisi anda sudah sedia.");
  await runSendJob(ctx.tenant.id, id, await registeredProvider(ctx.tenant.id), 1);
  return { ...ctx, mock, id, sid: (await messageRow(id)).provider_message_id! };
}

describe("sending through Twilio", () => {
  it("sends with Basic auth, the sender and a status callback on the agency's host, and records the SID and parts", async () => {
    const { mock, id, tenant, sid } = await sentMessage();
    expect(mock.state.sent).toHaveLength(1);
    expect(mock.state.sent[0]).toMatchObject({
      authorization: `Basic ${Buffer.from(`${ACCOUNT}:${config.authToken}`).toString("base64")}`,
      fields: {
        To: SITI,
        From: SENDER,
        Body: "Polisi anda sudah sedia.",
        StatusCallback: expect.stringMatching(new RegExp(`^http://${tenant.slug}\\.localhost:\\d+${PATH}$`)),
      },
    });
    expect(await messageRow(id)).toMatchObject({
      status: "sent",
      provider: "twilio",
      provider_message_id: sid,
      segments: 1,
      encoding: "gsm7",
    });
    expect(sid).toMatch(/^SM/);
  });

  it("retries after a 500, a timeout and a 429, then sends once; the history shows each try", async () => {
    const mock = createTwilioMock(ACCOUNT, { faults: ["500", "timeout", "429"] });
    server.use(...mock.handlers);
    const { tenant } = await smsTenant("twilio", config, SENDER);
    const id = await queuedSms(tenant.id, SITI, "Bayaran anda telah diterima.");
    const provider = await registeredProvider(tenant.id, { timeoutMs: 300 });
    await expect(runSendJob(tenant.id, id, provider, 1)).rejects.toThrow(/HTTP 500/);
    await expect(runSendJob(tenant.id, id, provider, 2)).rejects.toThrow(/did not answer/);
    await expect(runSendJob(tenant.id, id, provider, 3)).rejects.toThrow(/HTTP 429/);
    await runSendJob(tenant.id, id, provider, 4);
    await runSendJob(tenant.id, id, provider, 5);
    expect(mock.state.sent).toHaveLength(1);
    expect(await messageRow(id)).toMatchObject({ status: "sent", attempts: 4, error: null });
    expect((await messageHistory(id)).map((e) => e.status)).toEqual(["retrying", "retrying", "retrying", "sent"]);
  });

  it("fails an invalid number at once with Twilio's reason", async () => {
    const mock = createTwilioMock(ACCOUNT, { rejected: { "+60123330000": 21211 } });
    server.use(...mock.handlers);
    const { tenant } = await smsTenant("twilio", config, SENDER);
    const id = await queuedSms(tenant.id, "+60123330000", "Polisi anda sudah sedia.");
    await runSendJob(tenant.id, id, await registeredProvider(tenant.id), 1);
    const row = await messageRow(id);
    expect(row).toMatchObject({ status: "failed", attempts: 1, provider_status: "error 21211" });
    expect(row.error).toMatch(/the number is not valid/);
    expect((await messageHistory(id)).map((e) => e.status)).toEqual(["failed"]);
  });
});

describe("Twilio callbacks", () => {
  it("marks the message delivered once: a repeated callback and a late 'sent' change nothing", async () => {
    const { browser, id, sid } = await sentMessage();
    const delivered = await post(browser, status(sid, "delivered"));
    expect(delivered.status).toBe(200);
    expect(delivered.headers["content-type"]).toMatch(/text\/xml/);
    expect(await messageRow(id)).toMatchObject({ status: "delivered", provider_status: "delivered" });
    expect((await post(browser, status(sid, "delivered"))).status).toBe(200);
    expect((await post(browser, status(sid, "sent"))).status).toBe(200);
    expect((await messageRow(id)).status).toBe("delivered");
    expect((await messageHistory(id)).map((e) => e.status)).toEqual(["sent", "delivered"]);
  });

  it("records an undelivered message with Twilio's error code", async () => {
    const { browser, id, sid } = await sentMessage();
    await post(browser, status(sid, "undelivered", { ErrorCode: "30003" }));
    expect(await messageRow(id)).toMatchObject({
      status: "failed",
      provider_status: "undelivered error 30003",
      error: "Twilio: undelivered error 30003",
    });
  });

  it("refuses a callback signed with another token, or with its fields changed, and changes nothing", async () => {
    const { browser, id, sid } = await sentMessage();
    const forged = await post(browser, status(sid, "delivered"), "someone_elses_token");
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.text)).toMatchObject({ status: "error", code: "BAD_SIGNATURE" });
    // A genuine signature over other fields: the body was changed on the way.
    const { signature } = signedTwilioCallback(config.authToken, `${browser.origin}${PATH}`, status(sid, "failed"));
    const tampered = await browser.send("POST", PATH, new URLSearchParams(status(sid, "delivered")).toString(), {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": signature,
    });
    expect(tampered.status).toBe(403);
    const unsigned = await browser.send("POST", PATH, new URLSearchParams(status(sid, "delivered")).toString(), {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(unsigned.status).toBe(403);
    expect(await messageRow(id)).toMatchObject({ status: "sent", delivered_at: null });
    expect((await messageHistory(id)).map((e) => e.status)).toEqual(["sent"]);
  });

  it("a STOP reply suppresses the next optional SMS to that number while a code still goes", async () => {
    const { browser, tenant } = await smsTenant("twilio", config, SENDER);
    const incoming = {
      AccountSid: ACCOUNT,
      MessageSid: "SM99999999999999999999999999999999",
      From: SITI,
      To: SENDER,
      Body: "STOP",
      OptOutType: "STOP",
      NumMedia: "0",
    };
    const answer = await post(browser, incoming);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("<Response></Response>");
    const optOut = await ownerDb().selectFrom("message_opt_outs").selectAll().where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow();
    expect(optOut).toMatchObject({ channel: "sms", address: SITI, source: "stop_reply" });
    // Switched off so the suite's worker (which cannot reach Twilio) gets no job: what goes stops in the outbox.
    await switchSmsProviderOff(tenant.id);
    expect((await queueSmsRow(tenant.id, { to: SITI, text: "Pembaharuan polisi anda hampir tiba.", category: "renewals" })).status).toBe(
      "suppressed",
    );
    expect((await queueSmsRow(tenant.id, { to: SITI, text: "123456 ialah kod anda.", essential: true, urgent: true })).status).toBe(
      "outbox",
    );
  });
});
