/**
 * `npm run bench:commissions`: the commission engine at network scale. 100,000 agents in a random
 * tree up to 10 deep (5% suspended, 80% with bank details) and 1,000,000 completed payments of the
 * KHHoldings products in October 2026, sold by random agents under KHHoldings' seeded rules.
 * Measures: the ledger for all payments (the same set-based statement the per-payment job runs,
 * in chunks of a day's payments, two days at a time on two connections), then closing October
 * (caps, statements, payout batch: one row per agent), then marking the batch paid (one row).
 * Prints the peak RSS of the process, which runs the worker's code.
 * Checks the result against the rules computed in JavaScript for a sample of payments.
 *
 *   BENCH_AGENTS=100000 BENCH_PAYMENTS=1000000 BENCH_STREAMS=2 npm run bench:commissions
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { withPlatform, withTenant } from "~db/client";
import { splitSale, type TierRule } from "~/modules/commissions/calculate";
import { closeMonth, payBatch } from "~/modules/commissions/close.server";
import { ledgerSettingsFor, ledgerStatement, recordCommissions } from "~/modules/commissions/ledger.server";
import { rulesAt } from "~/modules/commissions/rules.server";
import { seedCommissionRules } from "~/modules/commissions/seed.server";
import { networkManifestSchema } from "~/modules/network/manifest";
import { readFileSync } from "node:fs";
import { analyzeDatabase, startDatabase } from "./support";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 100_000);
const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1_000_000);
const TZ = "Asia/Kuala_Lumpur";
const MONTH = "2026-10-01";
const STREAMS = Number(process.env.BENCH_STREAMS ?? 2);

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main() {
  const db = await startDatabase();
  if (process.env.BENCH_DEBUG) console.log(`database ready at ${Math.round(performance.now())} ms`);
  try {
    const t0 = performance.now();
    const tenantId = await createBenchTenant();
    await generate(tenantId);
    console.log(
      `generated ${AGENTS.toLocaleString()} agents and ${PAYMENTS.toLocaleString()} payments in ${seconds(performance.now() - t0)}`,
    );

    // The ledger: one set-based statement per day of payments.
    const ledgerStart = performance.now();
    let entries = 0;
    await analyzeDatabase();
    if (process.env.BENCH_EXPLAIN) {
      const plan = await withTenant(tenantId, async (tdb) => {
        const stmt = ledgerStatement(await ledgerSettingsFor(tdb, { timeZone: TZ, currency: "MYR" }), {
          completedFrom: new Date("2026-10-14T16:00:00Z"),
          completedTo: new Date("2026-10-15T16:00:00Z"),
        });
        const rows = await sql<{ "QUERY PLAN": string }>`explain (analyze, buffers) ${stmt}`.execute(tdb);
        throw Object.assign(new Error("rollback"), { plan: rows.rows.map((r) => r["QUERY PLAN"]).join("\n") });
      }).catch((e: { plan?: string }) => e.plan);
      console.log(plan);
    }
    // Two streams of days, one per core, as the worker's concurrent jobs would run them.
    let nextDay = 1;
    const stream = async () => {
      for (let day = nextDay++; day <= 31; day = nextDay++) {
        const from = new Date(Date.UTC(2026, 9, day) - 8 * 3_600_000);
        const to = new Date(from.getTime() + 86_400_000);
        const written = await withTenant(tenantId, async (tdb) =>
          recordCommissions(tdb, await ledgerSettingsFor(tdb, { timeZone: TZ, currency: "MYR" }), { completedFrom: from, completedTo: to }),
        );
        entries += written;
      }
    };
    await Promise.all(Array.from({ length: STREAMS }, stream));
    const ledgerMs = performance.now() - ledgerStart;
    console.log(
      `ledger: ${PAYMENTS.toLocaleString()} payments → ${entries.toLocaleString()} entries in ${seconds(ledgerMs)} (${Math.round(PAYMENTS / (ledgerMs / 1000)).toLocaleString()} payments/s)`,
    );

    // A second run writes nothing (exactly once).
    const again = await withTenant(tenantId, async (tdb) =>
      recordCommissions(tdb, await ledgerSettingsFor(tdb, { timeZone: TZ, currency: "MYR" }), {
        completedFrom: new Date("2026-10-10T16:00:00Z"),
        completedTo: new Date("2026-10-11T16:00:00Z"),
      }),
    );

    // Between a month's payments and its close, autovacuum has analysed the ledger.
    await analyzeDatabase();
    const closeStart = performance.now();
    const closed = await withTenant(tenantId, (tdb) =>
      closeMonth(tdb, { month: MONTH, timeZone: TZ, currency: "MYR", actorUserId: null }, new Date("2026-11-02T00:00:00Z")),
    );
    const closeMs = performance.now() - closeStart;
    if (!closed.ok) throw new Error(`close failed: ${closed.reason}`);
    console.log(
      `close: ${closed.statements.toLocaleString()} statements, ${closed.payouts.toLocaleString()} payouts (RM${(closed.totalMinor / 100).toLocaleString("en-MY", { minimumFractionDigits: 2 })}) in ${seconds(closeMs)}`,
    );

    const checks = await verify(tenantId, entries, again);

    // The bank transfer went out: the batch is marked paid, and with it every entry it pays (an
    // entry's state is its agent-month's payout's batch, decision 011). The job that follows only
    // tells the agents.
    const payStart = performance.now();
    const paid = await withTenant(tenantId, async (tdb) => {
      const payer = await tdb.selectFrom("users").select("id").where("email", "=", "buyer@bench.example").executeTakeFirstOrThrow();
      return payBatch(tdb, { batchId: closed.batchId!, actorUserId: payer.id });
    });
    if (!paid.ok) throw new Error(`paying the batch failed: ${paid.reason}`);
    const payMs = performance.now() - payStart;
    console.log(`pay the batch: ${paid.payouts.toLocaleString()} payouts marked paid in ${seconds(payMs)}`);
    console.log(`total (ledger + close + pay): ${seconds(ledgerMs + closeMs + payMs)}`);
    console.log(`peak RSS of this process (the worker's code): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    const paidCheck = await withTenant(tenantId, async (tdb) => {
      const rows = await sql<{ paid: number; in_batch: number }>`
        select (select count(*) from commission_entry_states where status = 'paid')::int as paid,
               (select count(*) from commission_entries e join commission_statements s on s.agent_id = e.agent_id and s.month = e.month
                where s.payout_id is not null)::int as in_batch
      `.execute(tdb);
      return rows.rows[0]!;
    });
    checks.push([
      paidCheck.paid === paidCheck.in_batch && paidCheck.paid > 0,
      `every entry in the batch paid (${paidCheck.paid.toLocaleString()} of ${paidCheck.in_batch.toLocaleString()})`,
    ]);
    for (const [ok, label] of checks) console.log(`${ok ? "✓" : "✗"} ${label}`);
    if (checks.some(([ok]) => !ok)) process.exitCode = 1;
  } finally {
    await db.stop();
  }
}

async function createBenchTenant(): Promise<string> {
  const tenant = await withPlatform((pdb) =>
    pdb
      .insertInto("tenants")
      .values({
        slug: "bench-network",
        name: "Bench Network",
        currency: "MYR",
        locale: "en-MY",
        time_zone: TZ,
        features: JSON.stringify({ marketplace: true, agentNetwork: true }),
        branding: JSON.stringify({
          colors: { primary: "#7a1f2b", primaryContrast: "#ffffff", accent: "#c9a227", surface: "#faf6f2", text: "#231a1b" },
        }),
        contact: JSON.stringify({}),
        manifest: JSON.stringify({ numbering: { prefix: "BNW" } }),
      })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  return tenant.id;
}

/** Everything in set-based SQL inside the tenant (RLS on), so generation is quick and real. */
async function generate(tenantId: string) {
  const network = networkManifestSchema.parse(JSON.parse(readFileSync("tenants/khholdings/network.json", "utf8")));
  await withTenant(tenantId, async (tdb) => {
    await tdb.insertInto("network_settings").values({ tiers: 10, unqualified_share: "skip" }).execute();
    const insurer = await tdb
      .insertInto("insurers")
      .values({ slug: "bench", name: "Bench Takaful", contact: JSON.stringify({}), commission_rate_bp: 1000, active: true })
      .returning("id")
      .executeTakeFirstOrThrow();
    const category = await tdb
      .insertInto("categories")
      .values({ slug: "bench", name: "Bench", display_order: 1, active: true })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const rule of network.rules) {
      await tdb
        .insertInto("products")
        .values({
          slug: rule.product,
          category_id: category.id,
          insurer_id: insurer.id,
          name: rule.product,
          coverage: JSON.stringify([]),
          features: JSON.stringify([]),
          inclusions: JSON.stringify([]),
          exclusions: JSON.stringify([]),
          rating: JSON.stringify({}),
          sample_input: JSON.stringify({}),
          starting_price_minor: 15000,
        })
        .execute();
    }
    await seedCommissionRules(tdb, network.rules, { timeZone: TZ });
  });

  // Agents: levels 0..9, each agent's sponsor a random agent of the level above. The tree and its
  // closure are drawn here and written with one statement each (ids derived from the number).
  const weights = [1, 3, 10, 30, 80, 120, 150, 180, 200, 226];
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((AGENTS * w) / total)));
  sizes[sizes.length - 1]! += AGENTS - sizes.reduce((a, b) => a + b, 0);
  const sponsorOf = new Int32Array(AGENTS + 1);
  let first = 1;
  let previousFirst = 0;
  for (let level = 0; level < sizes.length; level++) {
    for (let n = first; n < first + sizes[level]!; n++)
      sponsorOf[n] = level === 0 ? 0 : previousFirst + Math.floor(Math.random() * sizes[level - 1]!);
    previousFirst = first;
    first += sizes[level]!;
  }
  const numbers = Array.from({ length: AGENTS }, (_, i) => i + 1);
  await withTenant(tenantId, async (tdb) => {
    await sql`
      insert into users (id, email, name)
      select md5('u' || n)::uuid, 'agent' || n || '@bench.example', 'Agent ' || n from generate_series(1, ${AGENTS}::int) n
    `.execute(tdb);
    await sql`
      insert into agents (id, user_id, agent_number, referral_code, sponsor_id, status, bank_account_ciphertext)
      select md5('a' || n)::uuid, md5('u' || n)::uuid, lpad((100000 + n)::text, 6, '0'), 'B' || lpad(n::text, 7, '0'), null,
             case when random() < 0.05 then 'suspended' else 'active' end,
             case when random() < 0.8 then 'bench-ciphertext' end
      from unnest(${numbers}::int[]) as n
    `.execute(tdb);
    await sql`insert into users (email, name) values ('buyer@bench.example', 'Bench Buyer')`.execute(tdb);
  });
  // Statistics for the fresh agents table before anything checks a key against it (sponsors,
  // the closure), or each check would scan the table.
  await analyzeDatabase();
  await withTenant(tenantId, (tdb) =>
    sql`
      update agents a set sponsor_id = md5('a' || x.s)::uuid
      from unnest(${numbers}::int[], ${Array.from(sponsorOf.slice(1))}::int[]) as x(n, s)
      where x.s > 0 and a.id = md5('a' || x.n)::uuid
    `.execute(tdb),
  );
  const rows: [number[], number[], number[]] = [[], [], []];
  const flush = async () => {
    if (rows[0].length === 0) return;
    await withTenant(tenantId, (tdb) =>
      sql`
        insert into agent_uplines (agent_id, upline_id, depth)
        select md5('a' || x.a)::uuid, md5('a' || x.u)::uuid, x.d from unnest(${rows[0]}::int[], ${rows[1]}::int[], ${rows[2]}::int[]) as x(a, u, d)
      `.execute(tdb),
    );
    rows[0] = [];
    rows[1] = [];
    rows[2] = [];
  };
  for (let n = 1; n <= AGENTS; n++) {
    for (let up = sponsorOf[n]!, depth = 1; up > 0; up = sponsorOf[up]!, depth++) {
      rows[0].push(n);
      rows[1].push(up);
      rows[2].push(depth);
    }
    if (rows[0].length > 100_000) await flush();
  }
  await flush();
  if (process.env.BENCH_DEBUG) console.log(`agents and closure at ${Math.round(performance.now())} ms`);

  // Payments: product and frequency drawn from KHHoldings' mix, October in Kuala Lumpur time.
  const CHUNK = 100_000;
  for (let start = 1; start <= PAYMENTS; start += CHUNK) {
    const end = Math.min(PAYMENTS, start + CHUNK - 1);
    await withTenant(tenantId, async (tdb) => {
      await sql`
        create temporary table bench_sales on commit drop as
        select n, (select id from users where email = 'buyer@bench.example') as buyer,
               p.id as product_id, f.frequency, f.amount,
               timestamptz '2026-09-30 16:00:00+00' + random() * interval '30 days 23 hours' as at,
               1 + floor(random() * ${AGENTS})::int as agent_n
        from generate_series(${start}::int, ${end}::int) n
        cross join lateral (select (n::bigint * 7919) % 100 as pick) r
        join lateral (
          select case when r.pick < 30 then 'medical-card' when r.pick < 45 then 'road-tax'
                      when r.pick < 80 then 'hibah-senior-care-gold-270' else 'hibah-senior-care-diamond-370' end as slug
        ) s on true
        join products p on p.slug = s.slug
        join lateral (
          select * from (values
            ('medical-card', 'annual', 15000), ('road-tax', 'annual', 10000),
            ('hibah-senior-care-gold-270', 'monthly', 15000), ('hibah-senior-care-gold-270', 'quarterly', 45000),
            ('hibah-senior-care-diamond-370', 'monthly', 21000), ('hibah-senior-care-diamond-370', 'annual', 252000)
          ) v(slug, frequency, amount)
          where v.slug = s.slug
          order by (n + length(v.frequency)) % 2
          limit 1
        ) f on true
      `.execute(tdb);
      await sql`
        insert into orders (id, reference, user_id, status, step, currency, agent_id, paid_at)
        select md5('o' || n)::uuid, 'BNW-ORD-' || n, s.buyer, 'paid', 'payment', 'MYR', b.id, s.at
        from bench_sales s join agents b on b.id = md5('a' || s.agent_n)::uuid
      `.execute(tdb);
      await sql`
        insert into quotes (id, reference, product_id, user_id, inputs, breakdown, frequency, premium_minor, total_minor, currency, valid_until)
        select md5('q' || n)::uuid, 'BNW-Q-' || n, product_id, buyer, '{}', '{}', frequency, amount, amount, 'MYR', at + interval '30 days'
        from bench_sales
      `.execute(tdb);
      await sql`
        insert into order_items (order_id, quote_id, product_id, position, frequency, instalments_per_year, first_payment_minor,
                                 later_instalment_minor, annual_premium_minor, levies_minor, discount_minor)
        select md5('o' || n)::uuid, md5('q' || n)::uuid, product_id, 1, frequency,
               case frequency when 'monthly' then 12 when 'quarterly' then 4 else 1 end, amount, 0,
               amount * case frequency when 'monthly' then 12 when 'quarterly' then 4 else 1 end, 0, 0
        from bench_sales
      `.execute(tdb);
      await sql`
        insert into transactions (order_id, user_id, provider, method, mode, status, amount_minor, currency, provider_ref, completed_at, created_at)
        select md5('o' || n)::uuid, buyer, 'sandbox', 'card', 'test', 'completed', amount, 'MYR', 'bench_' || n, at, at
        from bench_sales
      `.execute(tdb);
    });
  }
}

/** Recomputes a sample of payments in JavaScript (splitSale over the seeded rules, skipping suspended agents) and compares. */
async function verify(tenantId: string, entries: number, again: number): Promise<[boolean, string][]> {
  return withTenant(tenantId, async (tdb) => {
    // The seeded versions, in force all October.
    const rules = await rulesAt(tdb, new Date(MONTH));
    const sample = await sql<{ id: string; product_id: string; frequency: string; amount_minor: number; seller: string }>`
      select t.id, oi.product_id, oi.frequency, t.amount_minor, o.agent_id as seller
      from transactions t join orders o on o.id = t.order_id join order_items oi on oi.order_id = o.id
      order by t.id limit 2000
    `.execute(tdb);
    let mismatches = 0;
    for (const payment of sample.rows) {
      const chain = await sql<{ id: string; status: string; depth: number }>`
        select a.id, a.status, 0 as depth from agents a where a.id = ${payment.seller}
        union all
        select a.id, a.status, u.depth from agent_uplines u join agents a on a.id = u.upline_id where u.agent_id = ${payment.seller}
        order by depth
      `.execute(tdb);
      const tierRules: TierRule[] = rules
        .filter((r) => r.productId === payment.product_id && r.frequency === payment.frequency)
        .map((r) => ({ tier: r.tier, kind: r.kind, amountMinor: r.amountMinor, rateBp: r.rateBp }));
      const expected = splitSale(tierRules, Number(payment.amount_minor))
        .filter((s) => chain.rows[s.tier - 1]?.status === "active")
        .map((s) => `${chain.rows[s.tier - 1]!.id}:${s.tier}:${s.amountMinor}`);
      const actual = await tdb
        .selectFrom("commission_entries")
        .select(["agent_id", "tier", "amount_minor"])
        .where("transaction_id", "=", payment.id)
        .where("kind", "=", "earning")
        .orderBy("tier")
        .execute();
      if (actual.map((e) => `${e.agent_id}:${e.tier}:${e.amount_minor}`).join(",") !== expected.join(",")) mismatches += 1;
    }
    const totals = await sql<{ approved: number; unpaid: number; statements: number }>`
      select (select count(*) from commission_entry_states where status = 'approved')::int as approved,
             (select count(*) from commission_entry_states where status = 'pending')::int as unpaid,
             (select count(*) from commission_statements)::int as statements
    `.execute(tdb);
    const t = totals.rows[0]!;
    return [
      [
        mismatches === 0,
        `${sample.rows.length.toLocaleString()} sampled payments match the rules computed in JavaScript (${mismatches} mismatches)`,
      ],
      [again === 0, `processing a day's payments again writes nothing (${again} new entries)`],
      [
        t.unpaid === 0 && t.approved === entries,
        `every entry approved by the close (${t.approved.toLocaleString()} of ${entries.toLocaleString()})`,
      ],
      [t.statements > 0, `${t.statements.toLocaleString()} statements written`],
    ];
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
