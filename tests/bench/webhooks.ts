/**
 * `npm run bench:webhooks`: 10,000 signed sandbox payment callbacks — a third of them duplicates —
 * fired at the running app by concurrent clients, then the worker drained and every payment
 * checked for exactly one issuance. Prints accepted callbacks per second, answer latency, drain
 * times and the checks; exits non-zero when a check fails.
 *
 * Stages, timed separately (2 cores: the app, PostgreSQL, the worker and this load generator share them):
 *   1. setup — one real quote for a real Bowman product, priced by the quote module; then N orders
 *      (one item each, at the payment step, terms accepted) cloned from it in bulk SQL, each with a
 *      pending sandbox M-Pesa payment. The first order is checked payable by checkout's own
 *      `orderForPayment`, whose pricing is frozen onto every item as `startPayment` would.
 *   2. callbacks — the built app (NODE_ENV=production) in its own process; the issuance worker
 *      (process_provider_event, issue_order) running alongside, as in production. Every payment
 *      gets an "approve" callback, in random order; the duplicates are copies of those (half the
 *      exact bytes, half re-signed when sent, with a later timestamp), placed to race: some in
 *      flight with their original, some while the worker processes it, some long after (see plan).
 *   3. issuance drain — until no process_provider_event / issue_order job is left. The
 *      order_documents jobs issuance queues are set aside meanwhile (see DocumentJobs) and counted:
 *      exactly one per order.
 *   4. documents — order_documents (certificate + receipt PDFs, one email) and send_message for
 *      BENCH_DOCUMENTS orders (default 300; "all" for every one): their jobs put back as they were,
 *      on a fresh worker. The other orders' documents are not rendered.
 *
 * Workers are tests/bench/worker.ts: the app's own task list (run from source with tsx) limited
 * to a stage's tasks, without the crontab, NODE_ENV=development so documents go to a throwaway
 * local FILES_DIR (production requires S3). Emails go to the development outbox.
 *
 *   5. Curlec callbacks — BENCH_CURLEC_CALLBACKS signed Curlec webhooks (payment.captured, the same
 *      duplicate share, each copy with its x-razorpay-event-id) at /webhooks/curlec, after the
 *      rest: verified with the webhook secret, stored once, queued. They name Curlec orders this
 *      agency never made, so their jobs (left queued; the database is thrown away) would find no
 *      payment: this stage measures the answering side only.
 *
 * Settings (environment): BENCH_CURLEC_CALLBACKS (3000), BENCH_CALLBACKS (10000), BENCH_DUPLICATE_SHARE (1/3), BENCH_CONCURRENCY
 * (50 clients), BENCH_WORKER_CONCURRENCY (4 jobs at once), BENCH_WORKER_DURING_CALLBACKS (1; 0 starts
 * the issuance worker only once every callback is answered), BENCH_DOCUMENTS (300 | all),
 * BENCH_DRAIN_TIMEOUT_SECONDS (240), DATABASE_URL (else a throwaway embedded PostgreSQL).
 */
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { withPlatform, withTenant } from "~db/client";
import { env } from "~/lib/env.server";
import { catalogueSchema } from "~/modules/catalogue/manifest";
import { orderForPayment } from "~/modules/checkout/orders.server";
import { sandboxCallback } from "~/modules/payments/providers/sandbox.server";
import { hmacHex } from "~/modules/payments/providers/signatures.server";
import { providerConfig, saveProviderSettings } from "~/modules/payments/settings.server";
import { createQuote } from "~/modules/quotes/quotes.server";
import { tenantById, type TenantInfo } from "~/modules/tenancy/resolve.server";
import {
  cpuBetween,
  cpuSnapshot,
  formatStatuses,
  freePort,
  load,
  percentiles,
  postmasterPid,
  request,
  startApp,
  startBenchWorker,
  startDatabase,
  stopProcess,
  type CpuSnapshot,
  type Req,
} from "./support";

const CALLBACKS = Number(process.env.BENCH_CALLBACKS ?? 10_000);
const CURLEC_CALLBACKS = Number(process.env.BENCH_CURLEC_CALLBACKS ?? 3_000);
const DUPLICATE_SHARE = Number(process.env.BENCH_DUPLICATE_SHARE ?? 1 / 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 4);
const WORKER_DURING_CALLBACKS = process.env.BENCH_WORKER_DURING_CALLBACKS !== "0";
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_TIMEOUT_SECONDS ?? 240) * 1000;
const DUPLICATES = Math.floor(CALLBACKS * DUPLICATE_SHARE);
const PAYMENTS = CALLBACKS - DUPLICATES;
const DOCUMENTS = process.env.BENCH_DOCUMENTS === "all" ? PAYMENTS : Math.min(PAYMENTS, Number(process.env.BENCH_DOCUMENTS ?? 300));

const TENANT_SLUG = "bowman";
const PRODUCT_SLUG = "zawadi-individual-health";
const CUSTOMER_EMAIL = "customer@bowman.demo";
const ISSUANCE_TASKS = ["process_provider_event", "issue_order"];
const DOCUMENT_TASKS = ["order_documents", "send_message"];

interface Payment {
  index: number;
  providerRef: string;
  amountMinor: number;
  currency: string;
}

interface Callback {
  payment: Payment;
  /** The first copy's exact bytes, or null: signed afresh, with the time it is sent. */
  exact: { rawBody: string; headers: Record<string, string> } | null;
  duplicate: boolean;
}

async function main() {
  const benchStarted = performance.now();
  const filesDir = await mkdtemp(path.join(tmpdir(), "covera-bench-files-"));
  const database = await startDatabase();
  // The owner connection: the job queue and the checks (across the tenant's rows, as they are).
  const owner = new pg.Pool({ connectionString: env().DATABASE_URL, max: 2 });
  owner.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") console.error("[bench] idle owner connection error", error.message);
  });
  const children: { stop: () => Promise<void> }[] = [];
  let failed = false;
  try {
    console.log(`Setting up ${PAYMENTS.toLocaleString("en")} pending sandbox payments on ${TENANT_SLUG}…`);
    const t0 = performance.now();
    const tenant = await bowman();
    const { payments, orders } = await seedPayments(tenant);
    console.log(`  set up and verified in ${seconds(performance.now() - t0)} s`);

    const secret = await withTenant(tenant.id, async (db) => {
      const stored = await providerConfig(db, tenant.id, "sandbox");
      if (!stored?.enabled || typeof stored.config.secret !== "string") throw new Error("Bowman has no enabled sandbox provider");
      return stored.config.secret;
    });
    const callbacks = plan(payments, secret);

    const port = await freePort();
    // The app answers callbacks; its own file store is not used by them (S3 is required in
    // production, so the workers below run with NODE_ENV=development and a local FILES_DIR).
    // One load generator is one client network: the per-client limits (decision 012) would
    // answer 429 after the first few hundred, as the storefront bench also lifts them.
    const app = await startApp(port, { RATE_LIMIT_MULTIPLIER: "1000000" });
    children.push({ stop: () => stopProcess(app) });
    const workerEnv = { NODE_ENV: "development", FILES_DIR: filesDir, PORT: String(port) };
    const failures = { total: 0, errors: new Map<string, number>() };
    const startIssuance = async () => {
      const worker = await startBenchWorker({ tasks: ISSUANCE_TASKS, concurrency: WORKER_CONCURRENCY, env: workerEnv });
      children.push({ stop: () => stopProcess(worker) });
      countFailures(worker, failures);
      return worker;
    };
    let issuanceWorker = WORKER_DURING_CALLBACKS ? await startIssuance() : undefined;
    await warmUp(port, secret);

    // --- 2. callbacks -------------------------------------------------------------------------
    console.log(
      `\nFiring ${CALLBACKS.toLocaleString("en")} callbacks (${PAYMENTS.toLocaleString("en")} payments + ${DUPLICATES.toLocaleString("en")} duplicates) ` +
        `from ${CONCURRENCY} clients; ${WORKER_DURING_CALLBACKS ? `issuance worker running (${WORKER_CONCURRENCY} jobs at once)` : "worker stopped until they are answered"}…`,
    );
    const postgres = await postmasterPid((text) => owner.query(text));
    const cpuAt = (worker: number | undefined) => cpuSnapshot({ app: app.pid, worker, postgres });
    const inFlight = new Map<number, number>();
    let raced = 0;
    const documentJobs = new DocumentJobs(owner, tenant.id).start();
    children.push(documentJobs);
    const cpuFireStarted = cpuAt(issuanceWorker?.pid);
    const fireStarted = performance.now();
    const fired = await load(
      port,
      {
        name: "callbacks",
        requests: callbacks.length,
        concurrency: CONCURRENCY,
        answered: (i) => {
          const ref = callbacks[i]!.payment.index;
          inFlight.set(ref, inFlight.get(ref)! - 1);
        },
      },
      (i) => {
        const cb = callbacks[i]!;
        const ref = cb.payment.index;
        // A copy sent while another copy of the same event is still unanswered: a real race.
        if ((inFlight.get(ref) ?? 0) > 0) raced++;
        inFlight.set(ref, (inFlight.get(ref) ?? 0) + 1);
        return toRequest(cb, secret);
      },
    );
    const fireEnded = performance.now();
    const cpuFireEnded = cpuAt(issuanceWorker?.pid);
    const accepted = fired.statuses.get(200) ?? 0;
    const lat = percentiles(fired.latencies);

    // --- 3. issuance drain --------------------------------------------------------------------
    issuanceWorker ??= await startIssuance();
    const issuance = await drain(owner, ISSUANCE_TASKS, "issuance");
    const issuanceEnded = performance.now();
    const cpuIssuanceEnded = cpuAt(issuanceWorker.pid);
    await stopProcess(issuanceWorker);
    await documentJobs.stop();

    // --- 4. documents -------------------------------------------------------------------------
    await documentJobs.putBack(DOCUMENTS);
    const held = documentJobs.jobs.size - DOCUMENTS;
    console.log(
      `\nRendering documents for ${DOCUMENTS.toLocaleString("en")} of ${PAYMENTS.toLocaleString("en")} orders (the other ${held.toLocaleString("en")} orders' order_documents jobs are not run)…`,
    );
    const documentsWorker = await startBenchWorker({ tasks: DOCUMENT_TASKS, concurrency: WORKER_CONCURRENCY, env: workerEnv });
    children.push({ stop: () => stopProcess(documentsWorker) });
    countFailures(documentsWorker, failures);
    const cpuDocumentsStarted = cpuAt(documentsWorker.pid);
    const documentsStarted = performance.now();
    const documents = await drain(owner, DOCUMENT_TASKS, "documents");
    const documentsEnded = performance.now();
    const cpuDocumentsEnded = cpuAt(documentsWorker.pid);
    await stopProcess(documentsWorker);

    // --- results -------------------------------------------------------------------------------
    const fireSeconds = (fireEnded - fireStarted) / 1000;
    const issuanceSeconds = (issuanceEnded - fireStarted) / 1000;
    const documentSeconds = (documentsEnded - documentsStarted) / 1000;
    console.log("\nResults");
    console.log(
      `  callbacks sent        ${fired.requests.toLocaleString("en")} (${PAYMENTS.toLocaleString("en")} distinct events, ${DUPLICATES.toLocaleString("en")} duplicates; ${raced.toLocaleString("en")} copies sent while another copy of the same event was in flight)`,
    );
    console.log(`  answers               ${formatStatuses(fired.statuses)}`);
    console.log(
      `  accepted              ${(accepted / fireSeconds).toFixed(0)} callbacks/s accepted (200) over ${fireSeconds.toFixed(1)} s, ${CONCURRENCY} clients`,
    );
    console.log(`  answer latency        p50 ${lat.p50} ms, p95 ${lat.p95} ms, p99 ${lat.p99} ms, max ${lat.max} ms`);
    console.log(
      `  issuance              ${issuance.done ? "drained" : "NOT drained"} ${seconds(issuanceEnded - fireEnded)} s after the last callback; ` +
        `${PAYMENTS.toLocaleString("en")} payments → policies in ${issuanceSeconds.toFixed(1)} s from the first callback = ${(PAYMENTS / issuanceSeconds).toFixed(0)} orders/s`,
    );
    console.log(
      `  documents             ${documents.done ? "drained" : "NOT drained"}: ${DOCUMENTS.toLocaleString("en")} orders (certificate + receipt PDF + one email each) in ${documentSeconds.toFixed(1)} s = ` +
        `${(DOCUMENTS / documentSeconds).toFixed(1)} orders/s` +
        (held
          ? `; at that rate all ${PAYMENTS.toLocaleString("en")} would take ~${Math.ceil(PAYMENTS / (DOCUMENTS / documentSeconds) / 60)} min`
          : ""),
    );

    console.log(
      `  failed job attempts   ${failures.total} (retried by graphile-worker)` +
        (failures.total ? `: ${[...failures.errors].map(([e, n]) => `${e} ×${n}`).join(", ")}` : ""),
    );

    console.log("\nWhere the CPU went (2 cores; seconds of CPU, from /proc)");
    printCpu("callbacks", cpuFireStarted, cpuFireEnded, { app: fired.requests, worker: 0 });
    printCpu("callbacks + issuance", cpuFireStarted, cpuIssuanceEnded, { app: fired.requests, worker: PAYMENTS });
    printCpu("documents", cpuDocumentsStarted, cpuDocumentsEnded, { app: 0, worker: DOCUMENTS });

    // --- checks --------------------------------------------------------------------------------
    console.log("\nChecks");
    const checks = await confirm(owner, tenant.id, orders, { accepted, held, documentJobs });
    for (const c of checks) console.log(`  ${c.ok ? "ok  " : "FAIL"}  ${c.label}: ${c.actual}${c.ok ? "" : ` (expected ${c.expected})`}`);
    failed = checks.some((c) => !c.ok) || !issuance.done || !documents.done || fired.errors > 0;

    // --- 5. Curlec callbacks ------------------------------------------------------------------
    if (CURLEC_CALLBACKS > 0) {
      const curlec = await curlecCallbacks(port, owner, tenant);
      for (const line of curlec.lines) console.log(line);
      failed ||= !curlec.ok;
    }
    console.log(`\n${failed ? "FAILED" : "All checks passed"} (whole run ${seconds(performance.now() - benchStarted)} s)`);
  } finally {
    for (const child of children.reverse()) await child.stop();
    await owner.end();
    await database.stop();
    await rm(filesDir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

async function bowman(): Promise<TenantInfo> {
  const row = await withPlatform((db) => db.selectFrom("tenants").select("id").where("slug", "=", TENANT_SLUG).executeTakeFirstOrThrow());
  return (await tenantById(row.id))!;
}

/**
 * PAYMENTS orders like the ones checkout leaves at the payment step, each with a pending sandbox
 * M-Pesa payment as `startPayment` records it. Inserted in bulk inside the tenant's transaction
 * (row-level security and every constraint apply), then verified.
 */
async function seedPayments(tenant: TenantInfo): Promise<{ payments: Payment[]; orders: string }> {
  const catalogue = catalogueSchema.parse(JSON.parse(await readFile(`tenants/${TENANT_SLUG}/catalogue.json`, "utf8")));
  const product = catalogue.products.find((p) => p.slug === PRODUCT_SLUG);
  if (!product) throw new Error(`No ${PRODUCT_SLUG} in the ${TENANT_SLUG} catalogue`);
  const origin = `http://${TENANT_SLUG}.localhost`;
  const run = randomUUID().slice(0, 8);

  return withTenant(tenant.id, async (db) => {
    const user = await db.selectFrom("users").select(["id", "name", "email"]).where("email", "=", CUSTOMER_EMAIL).executeTakeFirstOrThrow();
    const quoted = await createQuote(db, tenant, {
      productSlug: PRODUCT_SLUG,
      input: product.sampleInput,
      frequency: "annual",
      userId: user.id,
    });
    if (!quoted.ok) throw new Error(`Could not quote ${PRODUCT_SLUG}: ${JSON.stringify(quoted.errors)}`);
    const quoteId = quoted.quote.id;
    const n = PAYMENTS;

    // Quotes (copies of the real one), orders at the payment step with terms accepted, one item each.
    await sql`
      insert into quotes (reference, product_id, user_id, inputs, breakdown, frequency, premium_minor, total_minor, currency, valid_until)
      select q.reference || '-' || ${run} || '-' || i, q.product_id, q.user_id, q.inputs, q.breakdown, q.frequency, q.premium_minor, q.total_minor, q.currency, q.valid_until
      from quotes q, generate_series(1, ${n}::int) i where q.id = ${quoteId}
    `.execute(db);
    await sql`
      insert into orders (reference, user_id, status, step, holder, payment_method, payment_phone, terms_accepted_at, origin, currency)
      select ${tenant.numberPrefix} || '-ORD-BENCH-' || ${run} || '-' || lpad(i::text, 6, '0'), ${user.id}::uuid, 'draft', 'payment',
             jsonb_build_object('name', 'Bench Holder ' || i, 'email', 'holder-' || i || '@bench.example', 'phone', '+254712' || lpad(i::text, 6, '0'), 'dateOfBirth', '1990-01-01'),
             'mpesa', '254712' || lpad(i::text, 6, '0'), now(), ${origin}, ${tenant.currency}
      from generate_series(1, ${n}::int) i
    `.execute(db);
    await sql`
      insert into order_items (order_id, quote_id, product_id, position)
      select o.id, q.id, q.product_id, 1
      from generate_series(1, ${n}::int) i
      join orders o on o.reference = ${tenant.numberPrefix} || '-ORD-BENCH-' || ${run} || '-' || lpad(i::text, 6, '0')
      join quotes q on q.reference = ${quoted.quote.reference} || '-' || ${run} || '-' || i
    `.execute(db);

    // Checkout's own view of the first order: payable, and what each item is frozen at.
    const first = await db
      .selectFrom("orders")
      .select("id")
      .where("reference", "=", `${tenant.numberPrefix}-ORD-BENCH-${run}-000001`)
      .executeTakeFirstOrThrow();
    const payable = await orderForPayment(db, tenant, first.id, user.id);
    if (!payable.ok) throw new Error(`The bench order is not payable: ${payable.message}`);
    const item = payable.order.items[0]!;
    if (payable.order.items.length !== 1 || item.requiresUnderwriting || item.instalmentsPerYear !== 1) {
      throw new Error(`Unexpected payable order: ${JSON.stringify(payable.order.items)}`);
    }
    const amount = payable.order.dueNowMinor;
    await sql`
      update order_items set frequency = ${item.frequency}, instalments_per_year = ${item.instalmentsPerYear},
        first_payment_minor = ${item.firstPaymentMinor}, later_instalment_minor = ${item.laterInstalmentMinor},
        annual_premium_minor = ${item.annualPremiumMinor}, levies_minor = ${item.leviesMinor}, discount_minor = ${item.discountMinor}
      where order_id in (select id from orders where reference like ${`${tenant.numberPrefix}-ORD-BENCH-${run}-%`})
    `.execute(db);

    // One pending sandbox payment per order, with a ref of the sandbox's shape (sbx_ + 24 hex).
    const inserted = await sql<{ id: string; provider_ref: string; reference: string }>`
      insert into transactions (order_id, user_id, provider, method, mode, amount_minor, currency, provider_ref, phone_masked, customer_action)
      select o.id, o.user_id, 'sandbox', 'mpesa', 'test', ${amount}::bigint, o.currency,
             'sbx_' || substr(md5(${run} || o.reference), 1, 16) || lpad(to_hex(i), 8, '0'),
             '2547•••' || right(o.payment_phone, 3),
             jsonb_build_object('type', 'redirect', 'url', '/sandbox/pay/sbx_' || substr(md5(${run} || o.reference), 1, 16) || lpad(to_hex(i), 8, '0'))
      from generate_series(1, ${n}::int) i
      join orders o on o.reference = ${tenant.numberPrefix} || '-ORD-BENCH-' || ${run} || '-' || lpad(i::text, 6, '0')
      returning id, provider_ref, (select reference from orders where id = order_id) as reference
    `.execute(db);
    await sql`
      insert into state_changes (entity, entity_id, from_state, to_state, event, actor_user_id)
      select 'transaction', t.id, null, 'pending', 'create', t.user_id from transactions t
      where t.status = 'pending' and t.provider = 'sandbox' and t.provider_ref like 'sbx_%'
        and t.order_id in (select id from orders where reference like ${`${tenant.numberPrefix}-ORD-BENCH-${run}-%`})
    `.execute(db);

    // Verify what was written before anything is fired at it.
    const runOrders = sql`select id from orders where reference like ${`${tenant.numberPrefix}-ORD-BENCH-${run}-%`}`;
    const verify = await sql<{ orders: number; items: number; priced: number; pending: number; refs: number; per_order: number }>`
      select
        (select count(*)::int from orders where reference like ${`${tenant.numberPrefix}-ORD-BENCH-${run}-%`} and status = 'draft' and step = 'payment' and terms_accepted_at is not null) as orders,
        (select count(*)::int from order_items oi join orders o on o.id = oi.order_id where o.reference like ${`${tenant.numberPrefix}-ORD-BENCH-${run}-%`}) as items,
        (select count(*)::int from order_items oi join orders o on o.id = oi.order_id where o.reference like ${`${tenant.numberPrefix}-ORD-BENCH-${run}-%`}
           and oi.frequency = 'annual' and oi.instalments_per_year = 1 and oi.first_payment_minor = ${amount} and oi.later_instalment_minor = 0) as priced,
        (select count(*)::int from transactions where status = 'pending' and provider = 'sandbox' and order_id in (${runOrders})) as pending,
        (select count(distinct provider_ref)::int from transactions where status = 'pending' and provider = 'sandbox' and provider_ref ~ '^sbx_[a-f0-9]{24}$' and order_id in (${runOrders})) as refs,
        (select max(c)::int from (select count(*) c from transactions where status = 'pending' and order_id in (${runOrders}) group by order_id) x) as per_order
    `.execute(db);
    const v = verify.rows[0]!;
    if (v.orders !== n || v.items !== n || v.priced !== n || v.pending !== n || v.refs !== n || v.per_order !== 1) {
      throw new Error(`Setup did not verify: ${JSON.stringify(v)} (expected ${n} each, one pending payment per order)`);
    }
    console.log(
      `  ${PRODUCT_SLUG}, quote ${quoted.quote.reference}: ${formatMinor(amount)} ${tenant.currency} due now (annual, one instalment), payable per orderForPayment`,
    );
    const payments = inserted.rows
      .map((r) => ({ index: Number(r.reference.slice(-6)), providerRef: r.provider_ref, amountMinor: amount, currency: tenant.currency }))
      .sort((a, b) => a.index - b.index);
    return { payments, orders: `${tenant.numberPrefix}-ORD-BENCH-${run}-%` };
  });
}

/**
 * Every payment once, in random order, and DUPLICATES copies of random ones (alternately the exact
 * bytes, and re-signed when sent with a later timestamp). A third of the copies follow their
 * original within CONCURRENCY sends (both in flight at once: the inbox's unique key decides), a
 * third within the next few thousand (while the worker processes the event: its locks decide),
 * a third anywhere later (replays of settled events).
 */
function plan(payments: Payment[], secret: string): Callback[] {
  const originals: (Callback & { at: number })[] = shuffle(payments.slice()).map((payment, i) => {
    const cb = sandboxCallback(secret, {
      providerRef: payment.providerRef,
      choice: "approve",
      amountMinor: payment.amountMinor,
      currency: payment.currency,
    });
    return { payment, exact: { rawBody: cb.rawBody, headers: Object.fromEntries(cb.headers) }, duplicate: false, at: i };
  });
  const copies = Array.from({ length: DUPLICATES }, (_, d) => {
    const of = originals[Math.floor(Math.random() * originals.length)]!;
    const window = [CONCURRENCY, 3000, originals.length][d % 3]!;
    // Positions are in originals' units; the copy goes just after the slot it lands on.
    return { payment: of.payment, exact: d % 2 === 0 ? of.exact : null, duplicate: true, at: of.at + Math.random() * window * 0.7 + 0.5 };
  });
  return [...originals, ...copies].sort((a, b) => a.at - b.at).map(({ at: _at, ...cb }) => cb);
}

function shuffle<T>(list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

function toRequest(cb: Callback, secret: string): Req {
  const signed =
    cb.exact ??
    (() => {
      const fresh = sandboxCallback(secret, {
        providerRef: cb.payment.providerRef,
        choice: "approve",
        amountMinor: cb.payment.amountMinor,
        currency: cb.payment.currency,
        occurredAt: new Date(),
      });
      return { rawBody: fresh.rawBody, headers: Object.fromEntries(fresh.headers) };
    })();
  return { host: `${TENANT_SLUG}.localhost`, method: "POST", path: "/webhooks/sandbox", body: signed.rawBody, headers: signed.headers };
}

/** A few rejected callbacks first (bad signature): connections open, code paths warm, nothing stored as an event. */
async function warmUp(port: number, secret: string) {
  for (let i = 0; i < 5; i++) {
    const cb = sandboxCallback(`${secret}x`, {
      providerRef: `sbx_${"0".repeat(24)}`,
      choice: "approve",
      amountMinor: 100,
      currency: "KES",
    });
    const res = await request(port, {
      host: `${TENANT_SLUG}.localhost`,
      method: "POST",
      path: "/webhooks/sandbox",
      body: cb.rawBody,
      headers: Object.fromEntries(cb.headers),
    });
    if (res.status !== 401) throw new Error(`Warm-up callback answered ${res.status}: ${res.body}`);
  }
}

/** Counts the worker's "Failed task" reports (each a job attempt that threw and will be retried), by error. */
function countFailures(worker: ChildProcess, into = { total: 0, errors: new Map<string, number>() }) {
  let buffered = "";
  worker.stderr!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      const failed = /Failed task .* with error '([^']*)'/.exec(line);
      if (!failed) continue;
      into.total++;
      into.errors.set(failed[1]!, (into.errors.get(failed[1]!) ?? 0) + 1);
    }
  });
  return into;
}

/** Polls the queue until no runnable job of `tasks` is left (or the timeout), printing progress. */
async function drain(owner: pg.Pool, tasks: string[], label: string): Promise<{ done: boolean }> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let lastPrint = 0;
  for (;;) {
    const { rows } = await owner.query<{ task: string; n: number; failing: number; error: string | null }>(
      `select task_identifier as task, count(*)::int as n, count(*) filter (where last_error is not null)::int as failing, max(last_error) as error
       from graphile_worker.jobs where task_identifier = any($1) and run_at < now() + interval '1 day' group by 1`,
      [tasks],
    );
    const left = rows.reduce((s, r) => s + r.n, 0);
    if (left === 0) return { done: true };
    if (Date.now() - lastPrint > 5000) {
      lastPrint = Date.now();
      console.log(
        `  ${label}: ${rows.map((r) => `${r.task} ${r.n}${r.failing ? ` (${r.failing} failing: ${r.error?.slice(0, 160)})` : ""}`).join(", ")} left`,
      );
    }
    if (Date.now() > deadline) {
      console.log(`  ${label}: gave up after ${DRAIN_TIMEOUT_MS / 1000} s`);
      return { done: false };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The order_documents jobs issuance queues, taken off the queue as they appear and kept here
 * (key → payload), to be put back for the documents stage. During the issuance stage the worker
 * does not run that task, and graphile-worker's job fetch walks past every runnable job of a task
 * it does not run: thousands of them would make each fetch slower than the job, which a worker
 * running every task never sees. Removing a job is what completing it does to the queue table.
 */
class DocumentJobs {
  readonly jobs = new Map<string, unknown>();
  /** Keys seen more than once (a job queued again after it was set aside). */
  requeued = 0;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly owner: pg.Pool,
    private readonly tenantId: string,
  ) {}

  async setAside(): Promise<void> {
    const { rows } = await this.owner.query<{ key: string; payload: unknown }>(
      `select (r).key, (r).payload from (
         select graphile_worker.remove_job(key) as r from graphile_worker.jobs
         where task_identifier = 'order_documents' and key like $1 and locked_at is null
       ) x where (r).key is not null`,
      [`order_documents:${this.tenantId}:%`],
    );
    for (const row of rows) {
      if (this.jobs.has(row.key)) this.requeued++;
      this.jobs.set(row.key, row.payload);
    }
  }

  /** Sets jobs aside every 250 ms until stopped. */
  start(): this {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.setAside();
        await new Promise((r) => setTimeout(r, 250));
      }
      await this.setAside();
    })();
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Puts `count` of them back on the queue (same task, payload and job key), runnable now. */
  async putBack(count: number): Promise<void> {
    const chosen = [...this.jobs].slice(0, count);
    await this.owner.query(
      `select graphile_worker.add_job('order_documents', payload => p, job_key => k) from unnest($1::text[], $2::json[]) as t(k, p)`,
      [chosen.map(([k]) => k), chosen.map(([, p]) => JSON.stringify(p))],
    );
  }
}

interface Check {
  label: string;
  actual: number;
  expected: number;
  ok: boolean;
}

/**
 * One charge, one policy, one receipt and one email (for the rendered subset) per payment. Scoped
 * to this run's orders (`orders` is their reference pattern), so a reused DATABASE_URL still adds up.
 */
async function confirm(
  owner: pg.Pool,
  tenantId: string,
  orders: string,
  fired: { accepted: number; held: number; documentJobs: DocumentJobs },
): Promise<Check[]> {
  const q = async (text: string) => Number((await owner.query<{ n: string }>(text, [tenantId, orders])).rows[0]!.n);
  const n = PAYMENTS;
  const documented = n - fired.held;
  const ORD = `select id from orders where tenant_id = $1 and reference like $2`;
  const TX = `select id from transactions where tenant_id = $1 and order_id in (${ORD})`;
  const checks: [string, number, number][] = [
    [
      "callbacks stored raw in gateway_log (= accepted)",
      await q(`select count(*) n from gateway_log where tenant_id = $1 and kind = 'callback' and transaction_id in (${TX})`),
      fired.accepted,
    ],
    [
      "provider events stored (one per payment)",
      await q(`select count(*) n from provider_events where tenant_id = $1 and transaction_id in (${TX})`),
      n,
    ],
    [
      "deliveries counted on them (= accepted)",
      await q(`select coalesce(sum(deliveries), 0) n from provider_events where tenant_id = $1 and transaction_id in (${TX})`),
      fired.accepted,
    ],
    [
      "events processed, outcome completed",
      await q(
        `select count(*) n from provider_events where tenant_id = $1 and transaction_id in (${TX}) and processed_at is not null and outcome = 'completed'`,
      ),
      n,
    ],
    [
      "payments completed",
      await q(`select count(*) n from transactions where tenant_id = $1 and order_id in (${ORD}) and status = 'completed'`),
      n,
    ],
    [
      "payments in any other state",
      await q(`select count(*) n from transactions where tenant_id = $1 and order_id in (${ORD}) and status <> 'completed'`),
      0,
    ],
    [
      "'completed' transitions recorded",
      await q(
        `select count(*) n from state_changes where tenant_id = $1 and entity = 'transaction' and to_state = 'completed' and entity_id in (${TX})`,
      ),
      n,
    ],
    [
      "payments completed more than once",
      await q(
        `select count(*) n from (select entity_id from state_changes where tenant_id = $1 and entity = 'transaction' and to_state = 'completed' and entity_id in (${TX}) group by 1 having count(*) > 1) x`,
      ),
      0,
    ],
    ["orders paid", await q(`select count(*) n from orders where tenant_id = $1 and reference like $2 and status = 'paid'`), n],
    [
      "policies issued (active, numbered)",
      await q(
        `select count(*) n from policies where tenant_id = $1 and order_id in (${ORD}) and status = 'active' and policy_number is not null`,
      ),
      n,
    ],
    ["policies in all", await q(`select count(*) n from policies where tenant_id = $1 and order_id in (${ORD})`), n],
    [
      "order items with more than one policy",
      await q(
        `select count(*) n from (select order_item_id from policies where tenant_id = $1 and order_id in (${ORD}) group by 1 having count(*) > 1) x`,
      ),
      0,
    ],
    [
      "distinct policy numbers",
      await q(`select count(distinct policy_number) n from policies where tenant_id = $1 and order_id in (${ORD})`),
      n,
    ],
    [
      "first instalments paid by the payment",
      await q(`select count(*) n from instalments where tenant_id = $1 and sequence = 1 and status = 'paid' and transaction_id in (${TX})`),
      n,
    ],
    ["receipts in all (one per payment)", await q(`select count(*) n from receipts where tenant_id = $1 and transaction_id in (${TX})`), n],
    [
      "payments with a receipt",
      await q(`select count(distinct transaction_id) n from receipts where tenant_id = $1 and transaction_id in (${TX})`),
      n,
    ],
    [
      "refunds (none: nothing was paid twice)",
      await q(`select count(*) n from refunds where tenant_id = $1 and transaction_id in (${TX})`),
      0,
    ],
    [
      "documents emails (order_documents:<order>:email, notify's key per channel)",
      await q(
        `select count(*) n from messages where tenant_id = $1 and dedupe_key in (select 'order_documents:' || id || ':email' from orders where tenant_id = $1 and reference like $2)`,
      ),
      documented,
    ],
    [
      "  of them delivered (outbox)",
      await q(
        `select count(*) n from messages where tenant_id = $1 and status in ('outbox', 'sent') and dedupe_key in (select 'order_documents:' || id || ':email' from orders where tenant_id = $1 and reference like $2)`,
      ),
      documented,
    ],
    [
      "certificates rendered",
      await q(`select count(*) n from policies where tenant_id = $1 and order_id in (${ORD}) and certificate_file_key is not null`),
      documented,
    ],
    [
      "receipt PDFs rendered",
      await q(`select count(*) n from receipts where tenant_id = $1 and transaction_id in (${TX}) and file_key is not null`),
      documented,
    ],
    ["order_documents jobs queued by issuance", fired.documentJobs.jobs.size, n],
    ["  queued again after the first", fired.documentJobs.requeued, 0],
    [
      "  for orders of this run",
      await owner
        .query<{ n: string }>(
          `select count(*) n from orders where tenant_id = $1 and reference like $2 and 'order_documents:' || $1 || ':' || id = any($3::text[])`,
          [tenantId, orders, [...fired.documentJobs.jobs.keys()]],
        )
        .then((r) => Number(r.rows[0]!.n)),
      n,
    ],
    [
      "failed jobs left in the queue",
      await q(`select count(*) n from graphile_worker.jobs where last_error is not null and $1::text is not null and $2::text is not null`),
      0,
    ],
  ];
  return checks.map(([label, actual, expected]) => ({ label, actual, expected, ok: actual === expected }));
}

/** CPU per stage: ours by process, and what the rest of the machine (other work on it) took meanwhile. */
function printCpu(label: string, a: CpuSnapshot, b: CpuSnapshot, per: { app: number; worker: number }) {
  const c = cpuBetween(a, b);
  if (!c.machine) return;
  const each = (cpu: number, n: number, what: string) => (n ? ` (${((cpu * 1000) / n).toFixed(1)} ms per ${what})` : "");
  console.log(
    `  ${label.padEnd(21)} ${c.wall.toFixed(1)} s wall, ${(c.machine / c.wall).toFixed(2)} cores busy: app ${c.app.toFixed(1)}${each(c.app, per.app, "callback")}, ` +
      `worker ${c.worker.toFixed(1)}${each(c.worker, per.worker, "order")}, PostgreSQL ${c.postgres.toFixed(1)}, load generator ${c.bench.toFixed(1)}, ` +
      `other processes on the machine ${c.others.toFixed(1)}`,
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function formatMinor(minor: number): string {
  return (minor / 100).toLocaleString("en", { minimumFractionDigits: 2 });
}

await main();

/**
 * Stage 5: signed Curlec payment.captured webhooks, a share of them duplicates (the same bytes and
 * event id, as Curlec redelivers), fired at /webhooks/curlec with Curlec configured on the agency.
 */
async function curlecCallbacks(port: number, owner: pg.Pool, tenant: TenantInfo): Promise<{ ok: boolean; lines: string[] }> {
  const webhookSecret = `whk-bench-${randomUUID()}`;
  const saved = await withTenant(tenant.id, (db) =>
    saveProviderSettings(db, tenant.id, "curlec", {
      enabled: true,
      config: { mode: "test", keyId: "rzp_test_Bench00000001", keySecret: `bench-${randomUUID()}`, webhookSecret, recurring: "false" },
    }),
  );
  if (!saved.ok) throw new Error(`Curlec settings refused: ${JSON.stringify(saved.errors)}`);
  const duplicates = Math.floor(CURLEC_CALLBACKS * DUPLICATE_SHARE);
  const distinct = CURLEC_CALLBACKS - duplicates;
  const run = randomUUID().slice(0, 8);
  const deliveries = Array.from({ length: distinct }, (_, i) => {
    const id = `${run}${i.toString(36).padStart(6, "0")}`;
    const payment = {
      id: `pay_${id}`,
      entity: "payment",
      amount: 12_050,
      currency: "MYR",
      status: "captured",
      order_id: `order_${id}`,
      method: "fpx",
      bank: "MB2U0227",
      created_at: 1_796_000_000,
    };
    const rawBody = JSON.stringify({
      entity: "event",
      event: "payment.captured",
      contains: ["payment"],
      payload: { payment: { entity: payment } },
      created_at: 1_796_000_100,
    });
    return {
      rawBody,
      headers: {
        "content-type": "application/json",
        "x-razorpay-signature": hmacHex("sha256", webhookSecret, rawBody),
        "x-razorpay-event-id": `EvtBench${id}`,
      },
    };
  });
  const order = [...deliveries.keys(), ...Array.from({ length: duplicates }, () => Math.floor(Math.random() * distinct))].sort(
    () => Math.random() - 0.5,
  );
  console.log(
    `\nFiring ${CURLEC_CALLBACKS.toLocaleString("en")} Curlec callbacks (${distinct.toLocaleString("en")} events + ${duplicates.toLocaleString("en")} duplicates) from ${CONCURRENCY} clients…`,
  );
  const started = performance.now();
  const fired = await load(port, { name: "curlec callbacks", requests: order.length, concurrency: CONCURRENCY }, (i) => {
    const d = deliveries[order[i]!]!;
    return { host: `${TENANT_SLUG}.localhost`, method: "POST", path: "/webhooks/curlec", body: d.rawBody, headers: d.headers };
  });
  const secondsTaken = (performance.now() - started) / 1000;
  const accepted = fired.statuses.get(200) ?? 0;
  const lat = percentiles(fired.latencies);
  const stored = await owner.query<{ events: string; deliveries: string }>(
    "select count(*) as events, coalesce(sum(deliveries), 0) as deliveries from provider_events where tenant_id = $1 and provider = 'curlec'",
    [tenant.id],
  );
  const events = Number(stored.rows[0]!.events);
  const storedDeliveries = Number(stored.rows[0]!.deliveries);
  const ok = fired.errors === 0 && accepted === CURLEC_CALLBACKS && events === distinct && storedDeliveries === CURLEC_CALLBACKS;
  return {
    ok,
    lines: [
      `  answers               ${formatStatuses(fired.statuses)}`,
      `  curlec accepted       ${(accepted / secondsTaken).toFixed(0)} callbacks/s accepted (200) over ${secondsTaken.toFixed(1)} s, ${CONCURRENCY} clients`,
      `  answer latency        p50 ${lat.p50} ms, p95 ${lat.p95} ms, p99 ${lat.p99} ms, max ${lat.max} ms`,
      `  ${events === distinct && storedDeliveries === CURLEC_CALLBACKS ? "ok  " : "FAIL"}  Curlec events stored once each: ${events} events, ${storedDeliveries} deliveries (expected ${distinct}, ${CURLEC_CALLBACKS})`,
    ],
  };
}
