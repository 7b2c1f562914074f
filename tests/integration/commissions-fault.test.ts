import { Kysely, PostgresDialect, sql, type RawBuilder } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~db/schema";
import { runTsxChild } from "../support/child";
import { startThrowawayCluster, type ThrowawayCluster } from "../support/clusters";
import { faultProcesses, until } from "../support/fault-processes";

/**
 * Issue 16: a process killed (SIGKILL, as a crashed machine) in the middle of the commission
 * ledger, the monthly close or a batch payment, then the work run again: every entry written,
 * approved and paid exactly once, each agent told once. On a PostgreSQL cluster of its own (as the
 * payments fault test), so the suite's worker cannot take the jobs; the app runs in child
 * processes against it, killed at the COVERA_FAULT_KILL points (app/jobs/faults.ts). A
 * KHHoldings-like network: its rule for Hibah Gold (five tiers), a chain of four agents over 2,100
 * sellers, one sale each — more payouts than one slice of the paid batch's notices (500).
 */

const CHILD = "tests/support/commissions-fault-child.ts";
let cluster: ThrowawayCluster | undefined;
let db: Kysely<Database> | undefined;
const processes = faultProcesses(() => cluster!.url);

function runChild<T>(args: string[]): Promise<T> {
  return runTsxChild<T>(CHILD, args, processes.env());
}

/** A process of ours (the helper or the production worker) that must die at `fault`. */
async function killedAt(args: string[], fault: string) {
  const death = await processes.killedAt(args, fault);
  expect(death.signal, death.log).toBe("SIGKILL");
}

async function one<T>(query: RawBuilder<T>): Promise<T> {
  return (await query.execute(db!)).rows[0]!;
}

/** The dead process's job lock is cleared, as graphile-worker's lock timeout eventually would. */
async function unlockDeadWorkers() {
  await sql`select graphile_worker.force_unlock_workers(array(select distinct locked_by from graphile_worker.jobs where locked_by is not null))`.execute(
    db!,
  );
}

const batchJobs = async (batchId: string) =>
  (
    await one(
      sql<{
        n: number;
      }>`select count(*)::int as n from graphile_worker._private_jobs where key = ${`commission_batch_paid:${setup.tenantId}:${batchId}`}`,
    )
  ).n;

let setup: {
  tenantId: string;
  month: string;
  payments: number;
  agents: number;
  expectedEntries: number;
  expectedTotalMinor: number;
};

beforeAll(async () => {
  cluster = await startThrowawayCluster({ name: "commissions-fault" });
  const pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
  pool.on("error", () => {}); // an idle client cut off as the cluster stops
  db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  setup = await runChild(["setup"]);
}, 240_000);

afterAll(async () => {
  processes.killAll();
  await db?.destroy();
  await cluster?.stop();
});

const ledger = () =>
  one(sql<{ entries: number; payments: number; total: number; twice: number; approved: number; paid: number }>`
    select count(*)::int as entries, count(distinct transaction_id)::int as payments, coalesce(sum(amount_minor), 0)::bigint::float8 as total,
           (select count(*)::int from (select 1 from commission_entries group by transaction_id, order_item_id, tier having count(*) > 1) d) as twice,
           count(*) filter (where status = 'approved')::int as approved, count(*) filter (where status = 'paid')::int as paid
    from commission_entry_states where kind = 'earning'
  `);

describe("a process killed in the middle of the commission work", () => {
  it("the ledger: a killed run writes nothing, and the rerun writes every payment's entries once", { timeout: 240_000 }, async () => {
    expect(setup.expectedEntries).toBe(setup.payments * 5);
    // Half the day's payments were recorded by their jobs before the crash.
    const half = await runChild<{ written: number }>(["ledger", setup.tenantId, "half"]);
    expect(half.written).toBe(Math.floor(setup.payments / 2) * 5);

    // The backfill of the whole day dies after its statement ran, before its transaction commits:
    // the ledger is one statement in one transaction (decision 011), so nothing of it is left.
    await killedAt([CHILD, "ledger", setup.tenantId, "day"], "record_commissions:before_commit");
    expect(await ledger()).toMatchObject({ entries: half.written, twice: 0 });

    // Run again: the payments already recorded are skipped (ON CONFLICT), the rest written once.
    const rerun = await runChild<{ written: number }>(["ledger", setup.tenantId, "day"]);
    expect(rerun.written).toBe(setup.expectedEntries - half.written);
    expect(await ledger()).toMatchObject({
      entries: setup.expectedEntries,
      payments: setup.payments,
      total: setup.expectedTotalMinor,
      twice: 0,
    });
    expect(await runChild<{ written: number }>(["ledger", setup.tenantId, "day"])).toEqual({ written: 0 });
  });

  it("the close: a killed close leaves the month open, and the rerun closes it once", { timeout: 240_000 }, async () => {
    const closeState = () =>
      one(sql<{ months: number; statements: number; batches: number; payouts: number; pending: number; inPayout: number; pdfJobs: number }>`
        select (select count(*)::int from commission_months) as months,
               (select count(*)::int from commission_statements) as statements,
               (select count(*)::int from payout_batches) as batches,
               (select count(*)::int from payouts) as payouts,
               (select count(*)::int from commission_entry_states where status = 'pending') as pending,
               (select count(*)::int from commission_entry_states where payout_id is not null) as "inPayout",
               (select count(*)::int from graphile_worker.jobs where task_identifier = 'commission_statements') as "pdfJobs"
      `);

    // The close job dies with all its steps done but not committed: it is one transaction, so
    // the month is as it was — no statement, batch or approval, no PDF job.
    await killedAt([CHILD, "close", setup.tenantId], "close_commission_month:before_commit");
    expect(await closeState()).toEqual({
      months: 0,
      statements: 0,
      batches: 0,
      payouts: 0,
      pending: setup.expectedEntries,
      inPayout: 0,
      pdfJobs: 0,
    });

    // The next hourly run closes it; a run after that finds nothing left to close.
    const closed = await runChild<{ log: string[] }>(["close", setup.tenantId]);
    expect(closed.log.join("\n")).toContain(`"ok":true`);
    await runChild(["close", setup.tenantId]);
    expect(await closeState()).toEqual({
      months: 1,
      statements: setup.agents,
      batches: 1,
      payouts: setup.agents,
      pending: 0,
      inPayout: setup.expectedEntries,
      pdfJobs: 1,
    });
    expect(await ledger()).toMatchObject({ approved: setup.expectedEntries, twice: 0 });
    const perAgent = await one(
      sql<{
        n: number;
      }>`select count(*)::int as n from (select agent_id from commission_statements group by agent_id, month having count(*) > 1) d`,
    );
    expect(perAgent.n).toBe(0);
    // 2,104 statement PDFs are not this test's concern (the statements test renders them).
    await sql`select graphile_worker.remove_job(${`commission_statements:${setup.tenantId}:${setup.month}`})`.execute(db!);
  });

  it(
    "a paid batch: a worker killed after the first slice of notices leaves every entry paid, and the rerun tells each agent once",
    { timeout: 300_000 },
    async () => {
      const batch = await one(sql<{ id: string; payouts: number }>`select id, payouts_count as payouts from payout_batches`);
      expect(batch.payouts).toBeGreaterThan(2_000);
      expect(await runChild<{ ok: boolean }>(["pay", setup.tenantId, batch.id])).toMatchObject({ ok: true });
      expect(await batchJobs(batch.id)).toBe(1);

      const notices = () =>
        one(sql<{ payouts: number; messages: number; twice: number }>`
          select count(distinct split_part(dedupe_key, ':', 2))::int as payouts, count(*)::int as messages,
                 (select count(*)::int from (select 1 from messages where dedupe_key like 'payout_paid:%' group by split_part(dedupe_key, ':', 2), channel having count(*) > 1) d) as twice
          from messages where dedupe_key like 'payout_paid:%'
        `);
      // Paying the batch paid every entry in it at once: the entries' state is the batch's (decision 011).
      expect(await ledger()).toMatchObject({ paid: setup.expectedEntries, approved: 0, twice: 0 });
      expect((await notices()).messages).toBe(0);

      // 1. The worker taking the batch's job dies after the first 500 agents were told.
      await killedAt(["server/worker.ts"], "commission_batch_paid:after_notice_slice");
      expect(await ledger()).toMatchObject({ paid: setup.expectedEntries, approved: 0, twice: 0 });
      const halfTold = await notices();
      expect(halfTold).toMatchObject({ payouts: 500, twice: 0 });

      // 2. A healthy worker runs the job to its end.
      await unlockDeadWorkers();
      const healthy = processes.start(["server/worker.ts"]);
      try {
        await until(async () => (await batchJobs(batch.id)) === 0, 120_000, "the batch job to finish").catch((e: Error) => {
          throw new Error(`${e.message}\n${healthy.log()}`);
        });
      } finally {
        healthy.child.kill("SIGTERM");
        await healthy.exited;
      }
      expect(await ledger()).toMatchObject({ entries: setup.expectedEntries, paid: setup.expectedEntries, approved: 0, twice: 0 });
      const told = await notices();
      expect(told).toMatchObject({ payouts: batch.payouts, twice: 0 });
      // As many messages per agent as the first 500 had: the channels of payout_paid, each once.
      expect(told.messages / told.payouts).toBe(halfTold.messages / halfTold.payouts);
      const failed = await one(sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where last_error is not null`);
      expect(failed.n).toBe(0);
    },
  );
});
