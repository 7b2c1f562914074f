import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { dispatchBroadcast } from "~/modules/notifications/broadcasts-dispatch.server";
import { broadcastProgress, cancelBroadcast, createBroadcast } from "~/modules/notifications/broadcasts.server";
import { outboxProvider } from "~/modules/notifications/providers/outbox.server";
import type { MessageProvider } from "~/modules/notifications/providers/types";
import { createTenant, createUser, eventually, ownerDb } from "../support/db";
import { hostOf, signIn } from "./accounts-support";
import { decode, expectFieldError } from "./console-helpers";

/**
 * Broadcasts (issue 14, decision 043): the preview's counts, sending once, the paced dispatcher,
 * cancelling, the progress page, and who may do it.
 */
async function customer(tenantId: string, options: { name?: string; phone?: string | null } = {}) {
  const user = await createUser(tenantId, { roles: ["customer"], name: options.name ?? "Amina Hassan" });
  if (options.phone !== undefined)
    await withTenant(tenantId, (db) => db.updateTable("users").set({ phone: options.phone }).where("id", "=", user.id).execute());
  return user;
}

async function adminOf(tenant: { id: string; slug: string }) {
  const admin = await createUser(tenant.id, { roles: ["admin"] });
  return signIn(hostOf(tenant), admin.email);
}

/** Composes a draft over HTTP and answers its id (the preview page's path). */
async function compose(browser: Awaited<ReturnType<typeof adminOf>>, fields: Record<string, string>) {
  const res = await browser.post("/admin/messages/broadcasts/new", { segment: "customers", ...fields });
  expect(res.status, res.text.slice(0, 300)).toBe(302);
  return res.location!.split("/").pop()!;
}

/** The page's text as a reader sees it: entities decoded, React's text-node separators gone. */
const shown = (html: string) => decode(html).replaceAll("<!-- -->", "");

const fact = (html: string, label: string) => {
  const match = shown(html).match(new RegExp(`<dt>${label}</dt><dd>(?:<strong>)?(\\d+)`));
  if (!match) throw new Error(`No fact ${label}`);
  return Number(match[1]);
};

describe("a broadcast's preview", () => {
  it("counts who receives it, who opted out or turned marketing off, and who has no usable number", async () => {
    const tenant = await createTenant();
    const browser = await adminOf(tenant);
    await customer(tenant.id, { name: "Wanjiku Mwangi", phone: "+254712000001" });
    await customer(tenant.id, { phone: "+254712000002" });
    const switchedOff = await customer(tenant.id, { phone: "+254712000003" });
    await customer(tenant.id, { phone: null });
    await customer(tenant.id, { phone: "12345" });
    await createUser(tenant.id, { roles: ["staff"] });
    await withTenant(tenant.id, async (db) => {
      await db.insertInto("message_opt_outs").values({ channel: "sms", address: "+254712000002", source: "stop_reply" }).execute();
      await db
        .insertInto("notification_preferences")
        .values({ user_id: switchedOff.id, topic: "marketing", channel: "sms", enabled: false, updated_at: new Date() })
        .execute();
    });
    const id = await compose(browser, {
      title: "Rains",
      channel: "sms",
      body: "Habari {{name}}, drive safely in the rains. {{tenantName}}",
    });
    const page = await browser.get(`/admin/messages/broadcasts/${id}`);
    expect(page.status).toBe(200);
    expect(fact(page.text, "People in the segment")).toBe(5);
    expect(fact(page.text, "Will receive it")).toBe(1);
    expect(fact(page.text, "Opted out of marketing on this channel")).toBe(2);
    expect(fact(page.text, "No address on this channel")).toBe(1);
    expect(fact(page.text, "Address that cannot receive it")).toBe(1);
    const text = shown(page.text);
    expect(text).toContain('Wanjiku Mwangi — <span class="break">+254712000001</span>');
    expect(text).toContain(`Habari Wanjiku Mwangi, drive safely in the rains. Agency ${tenant.slug}`);
    expect(text).toMatch(/1 SMS segment \(GSM-7\)/);
    // Nothing is written by a preview.
    expect(await ownerDb().selectFrom("messages").select("id").where("broadcast_id", "=", id).execute()).toEqual([]);
  });

  it("refuses a broadcast it cannot send, field by field", async () => {
    const tenant = await createTenant();
    const browser = await adminOf(tenant);
    const res = await browser.post("/admin/messages/broadcasts/new", {
      title: "",
      channel: "email",
      body: "Hello {{policyNumber}}",
      segment: "product_customers",
    });
    expectFieldError(res, "title", "Give the broadcast a title");
    expectFieldError(res, "subject", "An email needs a subject");
    expectFieldError(res, "body", "not {{policyNumber}}");
    expectFieldError(res, "productId", "Choose a product");
    expect(await ownerDb().selectFrom("broadcasts").select("id").where("tenant_id", "=", tenant.id).execute()).toEqual([]);
  });

  it("is only for those allowed to send broadcasts", async () => {
    const tenant = await createTenant();
    const staff = await createUser(tenant.id, { roles: ["staff"] });
    const browser = await signIn(hostOf(tenant), staff.email);
    expect((await browser.get("/admin/messages/broadcasts")).status).toBe(403);
    const res = await browser.post("/admin/messages/broadcasts/new", { title: "x", channel: "sms", body: "x", segment: "customers" });
    expect(res.status).toBe(403);
  });
});

describe("sending a broadcast", () => {
  it("writes each recipient's message once, refuses a second send, and shows the progress to the end", async () => {
    const tenant = await createTenant();
    const browser = await adminOf(tenant);
    const people = await Promise.all([1, 2, 3].map((n) => customer(tenant.id, { name: `Customer ${n}` })));
    const id = await compose(browser, {
      title: "Renewal season",
      channel: "email",
      subject: "Hello {{name}}",
      body: "Dear {{name}},\n\nRenew early.",
    });

    const unconfirmed = await browser.post(`/admin/messages/broadcasts/${id}`, { intent: "send" });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain("Tick the box to confirm the broadcast");

    const sent = await browser.post(`/admin/messages/broadcasts/${id}`, { intent: "send", confirm: "yes" });
    expect(sent.status).toBe(302);
    const again = await browser.post(`/admin/messages/broadcasts/${id}`, { intent: "send", confirm: "yes" });
    expect(again.status).toBe(409);
    expect(decode(again.text)).toContain("This broadcast has already been sent.");

    await eventually(async () => {
      const row = await ownerDb().selectFrom("broadcasts").select("status").where("id", "=", id).executeTakeFirstOrThrow();
      return row.status === "sent";
    });
    const messages = await ownerDb()
      .selectFrom("messages")
      .select(["recipient", "subject", "status", "category"])
      .where("broadcast_id", "=", id)
      .orderBy("recipient")
      .execute();
    expect(messages).toHaveLength(3);
    expect(new Set(messages.map((m) => m.recipient))).toEqual(new Set(people.map((p) => p.email.toLowerCase())));
    expect(messages.every((m) => m.status === "outbox" && m.category === "marketing")).toBe(true);
    expect(messages.map((m) => m.subject).sort()).toEqual(["Hello Customer 1", "Hello Customer 2", "Hello Customer 3"]);

    const progress = await browser.get(`/admin/messages/broadcasts/${id}`);
    expect(progress.status).toBe(200);
    expect(shown(progress.text)).toContain("100% done");
    expect(shown(progress.text)).toMatch(/data-status="sent">3</);
    // Finished: the page stops refreshing itself.
    expect(progress.text).not.toContain('http-equiv="refresh"');
    const audit = await ownerDb()
      .selectFrom("audit_log")
      .select("action")
      .where("tenant_id", "=", tenant.id)
      .where("target_id", "=", id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["broadcast.send"]);

    const list = await browser.get("/admin/messages/broadcasts");
    expect(list.text).toContain("Renewal season");
  });
});

/** A broadcast marked queued without its job, so only the test runs its dispatcher. */
async function queuedBroadcast(tenantId: string, recipients: number, ratePerMinute: number) {
  const admin = await createUser(tenantId, { roles: ["admin"] });
  for (let n = 0; n < recipients; n++) await customer(tenantId, { name: `Person ${n}` });
  return withTenant(tenantId, async (db) => {
    await db.insertInto("messaging_settings").values({ broadcast_rate_per_minute: ratePerMinute, updated_at: new Date() }).execute();
    const id = await createBroadcast(
      db,
      { title: "Paced", channel: "email", subject: "News", body: "Hello {{name}}", segment: "customers" },
      { kind: "customers" },
      { userId: admin.id },
    );
    await db.updateTable("broadcasts").set({ status: "queued", started_at: new Date() }).where("id", "=", id).execute();
    return { id, adminId: admin.id };
  });
}

function countingProvider(): MessageProvider & { sent: string[] } {
  const sent: string[] = [];
  return { name: "outbox", sent, send: async (message) => (sent.push(message.to), outboxProvider.send(message)) };
}

describe("the broadcast dispatcher", () => {
  // A day ahead: the next run it schedules is not due, so the suite's worker leaves it alone.
  const t0 = new Date(Date.now() + 86_400_000);

  it("sends at most the rate's share per run, schedules the next, and finishes when nothing is left", async () => {
    const tenant = await createTenant();
    const { id } = await queuedBroadcast(tenant.id, 25, 60);
    const provider = countingProvider();

    const first = await dispatchBroadcast(tenant.id, id, { provider, now: t0 });
    expect(first).toEqual({ sent: 10, nextRunAt: new Date(t0.getTime() + 10_000) });
    expect(provider.sent).toHaveLength(10);
    expect((await withTenant(tenant.id, (db) => broadcastProgress(db, id))).counts).toMatchObject({ queued: 15, sent: 10 });

    const second = await dispatchBroadcast(tenant.id, id, { provider, now: first.nextRunAt! });
    expect(second.sent).toBe(10);
    const third = await dispatchBroadcast(tenant.id, id, { provider, now: second.nextRunAt! });
    expect(third).toEqual({ sent: 5, nextRunAt: null });
    // Every recipient once.
    expect(new Set(provider.sent).size).toBe(25);
    expect(provider.sent).toHaveLength(25);
    const row = await ownerDb()
      .selectFrom("broadcasts")
      .select(["status", "recipient_count"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "sent", recipient_count: 25 });
  });

  it("pauses during the agency's quiet hours and resumes when they end", async () => {
    const tenant = await createTenant();
    const { id } = await queuedBroadcast(tenant.id, 5, 60);
    // Quiet 21:00–07:00 in the tenant's zone (createTenant: Nairobi, UTC+3); 23:00 there is 20:00 UTC.
    const zone = (await ownerDb().selectFrom("tenants").select("time_zone").where("id", "=", tenant.id).executeTakeFirstOrThrow())
      .time_zone;
    expect(zone).toBe("Africa/Nairobi");
    await withTenant(tenant.id, (db) =>
      db.updateTable("messaging_settings").set({ quiet_hours_start: "21:00", quiet_hours_end: "07:00" }).execute(),
    );
    const late = new Date(Date.UTC(t0.getUTCFullYear(), t0.getUTCMonth(), t0.getUTCDate(), 20, 0));
    const provider = countingProvider();
    const paused = await dispatchBroadcast(tenant.id, id, { provider, now: late });
    expect(paused).toEqual({ sent: 0, nextRunAt: new Date(late.getTime() + 8 * 3_600_000) });
    expect(provider.sent).toHaveLength(0);
    const resumed = await dispatchBroadcast(tenant.id, id, { provider, now: paused.nextRunAt! });
    expect(resumed).toEqual({ sent: 5, nextRunAt: null });
  });

  it("stops when cancelled: what was still queued is kept, suppressed, with the reason", async () => {
    const tenant = await createTenant();
    const { id, adminId } = await queuedBroadcast(tenant.id, 15, 60);
    const provider = countingProvider();
    await dispatchBroadcast(tenant.id, id, { provider, now: t0 });
    expect(await withTenant(tenant.id, (db) => cancelBroadcast(db, id, { userId: adminId }))).toEqual({ ok: true });

    const after = await dispatchBroadcast(tenant.id, id, { provider, now: new Date(t0.getTime() + 10_000) });
    expect(after).toEqual({ sent: 0, nextRunAt: null });
    expect(provider.sent).toHaveLength(10);
    const suppressed = await ownerDb()
      .selectFrom("messages")
      .select(["status", "error"])
      .where("broadcast_id", "=", id)
      .where("status", "=", "suppressed")
      .execute();
    expect(suppressed).toHaveLength(5);
    expect(suppressed.every((m) => m.error === "broadcast cancelled")).toBe(true);
    expect(await withTenant(tenant.id, (db) => cancelBroadcast(db, id, { userId: adminId }))).toEqual({
      ok: false,
      reason: "This broadcast has finished.",
    });
    const audit = await ownerDb().selectFrom("audit_log").select(["action", "details"]).where("target_id", "=", id).execute();
    expect(audit).toEqual([{ action: "broadcast.cancel", details: { unsent: 5 } }]);
  });
});
