import { setupServer } from "msw/node";
import { describe, expect, it } from "vitest";
import { withPlatform, withTenant } from "~db/client";
import { addJob } from "~db/jobs";
import { raiseAlert, raisePlatformAlert } from "~/modules/alerts/alerts.server";
import { checkWebhookBacklog, runAlertChecks } from "~/modules/alerts/checks.server";
import { emailOperatorsOfAlert } from "~/modules/alerts/operator-email.server";
import { resendProvider } from "~/modules/notifications/providers/resend.server";
import { resendHandlers, type SentEmail } from "../mocks/resend";
import { createTenant, createUser, eventually, ownerDb } from "../support/db";
import { expectJobFailures } from "../support/job-failures";
import { hostOf, signIn } from "./accounts-support";
import { decode, operatorBrowser, rowWith } from "./console-helpers";

/** Alerts (issue 14, decision 043): one incident, one notification; resolving opens the way to the next. */
const alertMessages = (tenantId: string) =>
  ownerDb()
    .selectFrom("messages")
    .select(["channel", "recipient", "subject"])
    .where("tenant_id", "=", tenantId)
    .where("event", "=", "alert_raised")
    .orderBy("channel")
    .execute();

const openAlerts = (tenantId: string) =>
  ownerDb().selectFrom("alerts").selectAll().where("tenant_id", "=", tenantId).orderBy("first_seen_at").execute();

const backlog = { kind: "webhook_backlog", incidentKey: "mpesa", title: "M-Pesa callbacks are waiting", detail: "3 waiting" };

describe("alerts", () => {
  it("raised twice is one incident, counted twice, and notifies each admin once by email and in-app", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    await createUser(tenant.id, { roles: ["staff"] });
    const first = await withTenant(tenant.id, (db) => raiseAlert(db, tenant.id, backlog));
    const second = await withTenant(tenant.id, (db) => raiseAlert(db, tenant.id, { ...backlog, detail: "5 waiting" }));
    expect(first.opened).toBe(true);
    expect(second).toEqual({ id: first.id, opened: false });
    const rows = await openAlerts(tenant.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ occurrences: 2, detail: "5 waiting", resolved_at: null });
    expect(await alertMessages(tenant.id)).toEqual([
      { channel: "email", recipient: admin.email.toLowerCase(), subject: "Alert: M-Pesa callbacks are waiting" },
      { channel: "in_app", recipient: admin.id, subject: "Alert: M-Pesa callbacks are waiting" },
    ]);
  });

  it("resolved from the alerts page, the next occurrence is a new incident and notifies again", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(tenant), admin.email);
    const { id } = await withTenant(tenant.id, (db) => raiseAlert(db, tenant.id, backlog));
    const page = await browser.get("/admin/alerts");
    expect(page.status).toBe(200);
    expect(decode(rowWith(page.text, "M-Pesa callbacks are waiting"))).toContain("Resolve");

    const resolved = await browser.post("/admin/alerts", { alertId: id });
    expect(resolved.status).toBe(302);
    expect(decode((await browser.get("/admin/alerts")).text)).toMatch(/Resolved/);
    const again = await withTenant(tenant.id, (db) => raiseAlert(db, tenant.id, backlog));
    expect(again.opened).toBe(true);
    expect(again.id).not.toBe(id);
    expect((await openAlerts(tenant.id)).map((a) => a.resolved_at === null)).toEqual([false, true]);
    expect(await alertMessages(tenant.id)).toHaveLength(4);
    const audit = await ownerDb().selectFrom("audit_log").select("action").where("target_id", "=", id).execute();
    expect(audit).toEqual([{ action: "alert.resolve" }]);

    const bad = await browser.post("/admin/alerts", { alertId: "not-an-id" });
    expect(bad.status).toBe(400);
  });

  it("is not for staff without read:alert:any", async () => {
    const tenant = await createTenant();
    const staff = await createUser(tenant.id, { roles: ["staff"] });
    const browser = await signIn(hostOf(tenant), staff.email);
    expect((await browser.get("/admin/alerts")).status).toBe(403);
  });

  it("comes from a job that failed for good", async () => {
    const tenant = await createTenant();
    await createUser(tenant.id, { roles: ["admin"] });
    expectJobFailures({ task: "send_message", tenantId: tenant.id, payload: { messageId: "broken" }, error: /Invalid uuid/ });
    await withTenant(tenant.id, (db) => addJob(db, "send_message", { tenantId: tenant.id, messageId: "broken" }, { maxAttempts: 1 }));
    const alert = await eventually(async () => (await openAlerts(tenant.id))[0]);
    expect(alert).toMatchObject({ kind: "job_failed", incident_key: "send_message", occurrences: 1 });
    expect(alert.detail).toMatch(/gave up after 1 attempts: .*Invalid uuid/s);
  });

  it("comes from payment webhooks waiting too long, not from fresh ones", async () => {
    const tenant = await createTenant();
    const event = (minutesAgo: number, id: string) => ({
      tenant_id: tenant.id,
      provider: "mpesa" as const,
      provider_event_id: id,
      kind: "payment" as const,
      event: JSON.stringify({}),
      received_at: new Date(Date.now() - minutesAgo * 60_000),
    });
    await ownerDb().insertInto("provider_events").values(event(2, "fresh")).execute();
    expect(await withTenant(tenant.id, (db) => checkWebhookBacklog(db, tenant.id, new Date()))).toBe(false);
    await ownerDb().insertInto("provider_events").values(event(40, "stuck")).execute();
    const tenantInfo = { id: tenant.id, timeZone: "Africa/Nairobi", features: { marketplace: true, agentNetwork: false } };
    expect(await runAlertChecks(tenantInfo)).toEqual(["webhook_backlog"]);
    expect(await runAlertChecks(tenantInfo)).toEqual(["webhook_backlog"]);
    const alerts = await openAlerts(tenant.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "webhook_backlog", incident_key: "mpesa", occurrences: 2 });
    expect(alerts[0]!.title).toBe("1 mpesa notification has waited more than 15 minutes");
  });
});

describe("platform alerts", () => {
  it("are listed for operators on the console, once per incident, and resolved there", async () => {
    const key = `test-${Date.now()}`;
    const raise = () =>
      withPlatform((db) => raisePlatformAlert(db, { kind: "job_failed", incidentKey: key, title: `Sweep ${key} failed` }));
    const first = await raise();
    expect((await raise()).opened).toBe(false);
    const browser = await operatorBrowser();
    const page = await browser.get("/console/alerts");
    expect(page.status).toBe(200);
    const row = decode(rowWith(page.text, `Sweep ${key} failed`));
    expect(row).toContain("All agencies");
    expect(row).toMatch(/data-label="Times">2</);
    expect((await browser.post("/console/alerts", { alertId: first.id })).status).toBe(302);
    const stored = await ownerDb()
      .selectFrom("platform_alerts")
      .select(["resolved_at", "resolved_by"])
      .where("id", "=", first.id)
      .executeTakeFirstOrThrow();
    expect(stored.resolved_at).not.toBeNull();
    expect((await raise()).opened).toBe(true);
  });

  it("emails every operator once per incident through the platform's Resend account, and a retry sends nothing again", async () => {
    const sent: SentEmail[] = [];
    const mock = setupServer(...resendHandlers(sent));
    mock.listen({ onUnhandledRequest: "error" });
    try {
      const key = `mail-${Date.now()}`;
      const alert = await withPlatform((db) =>
        raisePlatformAlert(db, { kind: "job_failed", incidentKey: key, title: `Sweep ${key} failed`, detail: "gave up after 25 attempts" }),
      );
      const mailer = resendProvider({ apiKey: "re_platform_key", from: "Covera <alerts@covera.app>" });
      const operators = await ownerDb().selectFrom("platform_operators").select("email").execute();
      expect(operators.length).toBeGreaterThan(0);
      expect(await emailOperatorsOfAlert(alert.id, mailer)).toBe(`emailed ${operators.length}`);
      await emailOperatorsOfAlert(alert.id, mailer);
      expect(sent).toHaveLength(operators.length);
      expect(sent.map((m) => m.body.to).sort()).toEqual(operators.map((o) => o.email).sort());
      expect(sent[0]).toMatchObject({ authorization: "Bearer re_platform_key", body: { subject: `Covera alert: Sweep ${key} failed` } });
      expect(sent[0]!.body.text).toContain("gave up after 25 attempts");
      expect(sent[0]!.body.text).toContain("/console/alerts");
      // Resolved before the job ran: nobody is woken for it.
      await ownerDb().updateTable("platform_alerts").set({ resolved_at: new Date() }).where("id", "=", alert.id).execute();
      expect(await emailOperatorsOfAlert(alert.id, mailer)).toBe("already_resolved");
    } finally {
      mock.close();
    }
  });
});

describe("the provider check", () => {
  it("alerts when a channel's sends keep failing, once, and not for a few", async () => {
    const tenant = await createTenant();
    const message = await withTenant(tenant.id, (db) =>
      db
        .insertInto("messages")
        .values({ template: "test", recipient: "amina@example.com", subject: "Hi", body_text: "Hi" })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    const failures = (n: number) =>
      withTenant(tenant.id, (db) =>
        db
          .insertInto("message_events")
          .values(Array.from({ length: n }, () => ({ message_id: message.id, status: "retrying", detail: "Resend answered 500" })))
          .execute(),
      );
    const tenantInfo = { id: tenant.id, timeZone: "Africa/Nairobi", features: { marketplace: true, agentNetwork: false } };
    // A moment after the failures: PostgreSQL's microseconds can be past a JavaScript Date of the same millisecond.
    const later = () => new Date(Date.now() + 1000);
    await failures(9);
    expect(await runAlertChecks(tenantInfo, later())).toEqual([]);
    await failures(1);
    expect(await runAlertChecks(tenantInfo, later())).toEqual(["provider_errors"]);
    const alerts = await openAlerts(tenant.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "provider_errors", incident_key: "messaging:email", title: "The email provider is failing" });
  });
});
