/**
 * `npm run bench:messages`: a broadcast to 100,000 customers (issue 14, decision 043). Seeds one
 * tenant with 100,000 customers with email addresses and Malaysian mobile numbers (set-based SQL),
 * sends a broadcast to all of them through the development outbox, and prints:
 *
 * - the time to write (queue) every recipient's message, and messages per second;
 * - at the configured rate, the dispatcher's runs over a window of real time: messages sent, the
 *   throughput, and the time the last message would go, extrapolated from the window (pacing a
 *   100,000 broadcast at 6,000 a minute takes about 17 minutes, so the run measures a window);
 * - how long one run takes to send its batch (the headroom below the rate).
 *
 *   BENCH_RECIPIENTS=100000 BENCH_RATE=6000 BENCH_WINDOW_SECONDS=60 BENCH_CHANNEL=email npm run bench:messages
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { withPlatform, withTenant } from "~db/client";
import { dispatchBroadcast } from "~/modules/notifications/broadcasts-dispatch.server";
import { createBroadcast, expandBroadcast, sendBroadcast } from "~/modules/notifications/broadcasts.server";
import { outboxProvider } from "~/modules/notifications/providers/outbox.server";
import { analyzeDatabase, startDatabase } from "./support";

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 6000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_SECONDS ?? 60) * 1000;
const CHANNEL = (process.env.BENCH_CHANNEL ?? "email") as "email" | "sms";
const TZ = "Asia/Kuala_Lumpur";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const count = (n: number) => Math.round(n).toLocaleString("en");

async function main() {
  const db = await startDatabase();
  try {
    const t0 = performance.now();
    const { tenantId, adminId } = await seedTenant();
    console.log(`seeded ${count(RECIPIENTS)} customers in ${seconds(performance.now() - t0)}`);
    await analyzeDatabase();

    const id = await withTenant(tenantId, async (tdb) => {
      await tdb.insertInto("messaging_settings").values({ broadcast_rate_per_minute: RATE, updated_at: new Date() }).execute();
      const broadcastId = await createBroadcast(
        tdb,
        {
          title: "Bench",
          channel: CHANNEL,
          subject: CHANNEL === "email" ? "News for {{name}}" : undefined,
          body: "Hello {{name}},\n\nYour cover renews next month. Reply to this message with any question.\n\n— {{tenantName}}",
          segment: "customers",
        },
        { kind: "customers" },
        { userId: adminId },
      );
      // Queued with its dispatcher job; no worker runs here, the bench drives the dispatcher itself.
      await sendBroadcast(tdb, tenantId, broadcastId, { userId: adminId });
      return broadcastId;
    });

    const q0 = performance.now();
    const queued = await expandBroadcast((work) => withTenant(tenantId, work), tenantId, id, TZ);
    const queueMs = performance.now() - q0;
    console.log(
      `queued ${count(queued)} ${CHANNEL} messages in ${seconds(queueMs)} (${count(queued / (queueMs / 1000))} messages/s; aim: 100,000 in under 60 s)`,
    );

    // Paced at the tenant's rate, in real time, for a window: from the first run's start to the
    // start of the run after the last one measured (the pace, not just the runs' own time).
    const w0 = Date.now();
    let sent = 0;
    let runs = 0;
    let runMs = 0;
    let batchLargest = 0;
    let windowEnd = w0;
    for (;;) {
      const r0 = performance.now();
      const run = await dispatchBroadcast(tenantId, id, { provider: outboxProvider });
      runMs += performance.now() - r0;
      runs += 1;
      sent += run.sent;
      batchLargest = Math.max(batchLargest, run.sent);
      windowEnd = run.nextRunAt ? Math.max(run.nextRunAt.getTime(), Date.now()) : Date.now();
      if (!run.nextRunAt || windowEnd - w0 >= WINDOW_MS) break;
      const wait = run.nextRunAt.getTime() - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const windowMs = windowEnd - w0;
    const left = await withTenant(tenantId, (tdb) =>
      tdb
        .selectFrom("messages")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("broadcast_id", "=", id)
        .where("status", "=", "queued")
        .executeTakeFirstOrThrow(),
    );
    const perSecond = sent / (windowMs / 1000);
    console.log(
      `rate ${count(RATE)}/min: ${runs} dispatcher runs sent ${count(sent)} over ${seconds(windowMs)} (${count(perSecond * 60)}/min, ${count(perSecond)}/s)`,
    );
    console.log(
      left.n === 0
        ? `last message sent ${seconds(windowMs)} after the first run`
        : `window ended with ${count(left.n)} queued: at this pace the last goes about ${seconds(windowMs + (left.n / perSecond) * 1000)} after the first run (extrapolated from the window; the rate alone allows ${seconds((queued / RATE) * 60_000)})`,
    );
    console.log(
      `a run sends its batch of up to ${count(batchLargest)} in ${seconds(runMs / runs)} on average (${count(sent / (runMs / 1000))} messages/s while sending)`,
    );
  } finally {
    await db.stop();
  }
}

/** One tenant, one admin, RECIPIENTS customers: set-based, inside the tenant (RLS on). */
async function seedTenant(): Promise<{ tenantId: string; adminId: string }> {
  const tenant = await withPlatform((pdb) =>
    pdb
      .insertInto("tenants")
      .values({
        slug: "bench-messages",
        name: "Bench Messages",
        currency: "MYR",
        locale: "en-MY",
        time_zone: TZ,
        features: JSON.stringify({ marketplace: true, agentNetwork: false }),
        branding: JSON.stringify({
          colors: { primary: "#7a1f2b", primaryContrast: "#ffffff", accent: "#c9a227", surface: "#faf6f2", text: "#231a1b" },
        }),
        contact: JSON.stringify({}),
        manifest: JSON.stringify({ numbering: { prefix: "BMS" } }),
      })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  const adminId = await withTenant(tenant.id, async (tdb) => {
    const admin = await tdb
      .insertInto("users")
      .values({ email: "admin@bench.test", name: "Bench Admin" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tdb.insertInto("user_roles").values({ user_id: admin.id, role: "admin" }).execute();
    await sql`
      insert into users (email, name, phone, email_verified_at)
      select 'customer' || i || '@bench.test', 'Customer ' || i, '+6012' || lpad(i::text, 7, '0'), now()
        from generate_series(1, ${RECIPIENTS}::int) as i
    `.execute(tdb);
    await sql`insert into user_roles (user_id, role) select id, 'customer' from users where email like 'customer%@bench.test'`.execute(tdb);
    return admin.id;
  });
  return { tenantId: tenant.id, adminId };
}

await main();
