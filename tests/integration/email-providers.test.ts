import type { AddressInfo } from "node:net";
import { setupServer } from "msw/node";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { deliverMessage } from "~/modules/notifications/delivery.server";
import { saveProviderSetup } from "~/modules/notifications/providers/index.server";
import { smtpProvider } from "~/modules/notifications/providers/smtp.server";
import { createTenant, ownerDb } from "../support/db";
import { resendHandlers, type SentEmail } from "../mocks/resend";

/**
 * An agency's own email (issue 14, decision 039): its mail server, against a real SMTP server in
 * this process, and its own Resend account instead of the platform's.
 */

interface Received {
  from: string;
  to: string[];
  raw: string;
}

const received: Received[] = [];
let smtp: SMTPServer;
let port: number;

beforeAll(async () => {
  smtp = new SMTPServer({
    // Plain text on loopback only; the adapter's TLS options are nodemailer's own.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "mailer" && auth.password === "right-password") return callback(null, { user: "mailer" });
      return callback(Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("nobody@")) return callback(Object.assign(new Error("5.1.1 No such mailbox"), { responseCode: 550 }));
      if (address.address.startsWith("busy@"))
        return callback(Object.assign(new Error("4.2.1 Mailbox busy, try later"), { responseCode: 450 }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
afterEach(() => {
  received.length = 0;
});

const smtpConfig = (overrides: Record<string, string> = {}) => ({
  host: "127.0.0.1",
  port: String(port),
  security: "none" as const,
  user: "mailer",
  password: "right-password",
  ...overrides,
});

async function withSmtp(overrides: Record<string, string> = {}) {
  const tenant = await createTenant();
  await withTenant(tenant.id, (db) =>
    saveProviderSetup(db, tenant.id, {
      channel: "email",
      provider: "smtp",
      enabled: true,
      mode: "live",
      sender: "Bowman Insurance <hello@bowman.example>",
      config: smtpConfig(overrides),
    }),
  );
  return tenant;
}

/** A queued email with no job, so the suite's worker leaves it to the test. */
async function queuedEmail(tenantId: string, to = "amina@example.com") {
  const row = await withTenant(tenantId, (db) =>
    db
      .insertInto("messages")
      .values({ template: "test", recipient: to, subject: "Your receipt", body_text: "Hello Amina", body_html: "<p>Hello Amina</p>" })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

const messageRow = (id: string) => ownerDb().selectFrom("messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("email through the agency's own mail server", () => {
  it("delivers with the agency's sender and login, and records the server's message id", async () => {
    const tenant = await withSmtp();
    const id = await queuedEmail(tenant.id);
    expect(await withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id))).toBe("delivered");
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: "hello@bowman.example", to: ["amina@example.com"] });
    expect(received[0]!.raw).toMatch(/^Subject: Your receipt$/m);
    expect(received[0]!.raw).toContain("Hello Amina");
    const row = await messageRow(id);
    expect(row).toMatchObject({ status: "sent", provider: "smtp", attempts: 1 });
    const messageId = /^Message-ID: (<[^>]+>)$/m.exec(received[0]!.raw)?.[1];
    expect(messageId).toBeTruthy();
    expect(row.provider_message_id).toBe(messageId);
  });

  it("passes the message's extra headers through", async () => {
    const provider = smtpProvider({ ...smtpConfig(), from: "hello@bowman.example" });
    await provider.send({
      id: "00000000-0000-4000-8000-000000000001",
      tenantId: "00000000-0000-4000-8000-000000000002",
      channel: "email",
      to: "amina@example.com",
      subject: "News",
      text: "Hello",
      html: null,
      attachments: [],
      event: null,
      language: null,
      variables: null,
      headers: { "List-Unsubscribe": "<https://bowman.example/unsubscribe/abc>" },
    });
    expect(received[0]!.raw).toMatch(/^List-Unsubscribe: <https:\/\/bowman\.example\/unsubscribe\/abc>$/m);
  });

  it("fails at once an address the server refuses for good (550)", async () => {
    const tenant = await withSmtp();
    const id = await queuedEmail(tenant.id, "nobody@example.com");
    expect(await withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id))).toBe("rejected");
    const row = await messageRow(id);
    expect(row).toMatchObject({ status: "failed", provider: "smtp", provider_status: "550" });
    expect(row.error).toMatch(/No such mailbox/);
    expect(received).toHaveLength(0);
  });

  it("fails at once when the server refuses the login", async () => {
    const tenant = await withSmtp({ password: "wrong-password" });
    const id = await queuedEmail(tenant.id);
    expect(await withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id))).toBe("rejected");
    expect((await messageRow(id)).error).toMatch(/refused the login/);
  });

  it("leaves the message queued for a retry when the server defers it or cannot be reached", async () => {
    const tenant = await withSmtp();
    const busy = await queuedEmail(tenant.id, "busy@example.com");
    await expect(withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, busy))).rejects.toThrow(/deferred/);
    expect(await messageRow(busy)).toMatchObject({ status: "queued", attempts: 0 });

    const closed = await new Promise<number>((resolve) => {
      const probe = new SMTPServer({ logger: false });
      probe.listen(0, "127.0.0.1", () => {
        const p = (probe.server.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const down = await withSmtp({ port: String(closed) });
    const id = await queuedEmail(down.id);
    await expect(withTenant(down.id, (db) => deliverMessage(db, down.id, id))).rejects.toThrow(/could not be reached/);
    expect(await messageRow(id)).toMatchObject({ status: "queued", attempts: 0 });
  });
});

describe("an agency's own Resend account", () => {
  const sent: SentEmail[] = [];
  const mock = setupServer();
  beforeAll(() => mock.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    mock.resetHandlers();
    sent.length = 0;
  });
  afterAll(() => mock.close());

  it("sends with the agency's key and from address, not the platform's", async () => {
    mock.use(...resendHandlers(sent));
    const tenant = await createTenant();
    await withTenant(tenant.id, (db) =>
      saveProviderSetup(db, tenant.id, {
        channel: "email",
        provider: "resend",
        enabled: true,
        mode: "live",
        sender: "Bowman Insurance <hello@bowman.example>",
        config: { apiKey: "re_agency_own_key" },
      }),
    );
    const id = await queuedEmail(tenant.id);
    expect(await withTenant(tenant.id, (db) => deliverMessage(db, tenant.id, id))).toBe("delivered");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      authorization: "Bearer re_agency_own_key",
      body: { from: "Bowman Insurance <hello@bowman.example>", to: "amina@example.com" },
    });
    expect(await messageRow(id)).toMatchObject({ status: "sent", provider: "resend" });
  });
});
