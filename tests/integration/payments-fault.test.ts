import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~db/schema";
import { fileStore } from "~/modules/files/storage.server";
import { runTsxChild } from "../support/child";
import { startThrowawayCluster, type ThrowawayCluster } from "../support/clusters";
import { faultProcesses, until } from "../support/fault-processes";

/**
 * A worker killed between payment and issuance (SIGKILL right after the policies commit, before
 * documents and email), its job left locked, then a fresh worker and reconciliation: still exactly
 * one policy per item, one receipt, one email. On a PostgreSQL cluster of its own, so the suite's
 * worker cannot take the jobs; the app runs in child processes against it (env() is per process).
 */

// One process per child (the tsx binary would put a wrapper process between us and it).
let cluster: ThrowawayCluster | undefined;
let db: Kysely<Database> | undefined;
const processes = faultProcesses(() => cluster!.url);

/** Runs a helper command to completion and returns what it printed after RESULT. */
function runChild<T>(args: string[]): Promise<T> {
  return runTsxChild<T>("tests/support/fault-child.ts", args, processes.env());
}

beforeAll(async () => {
  cluster = await startThrowawayCluster({ name: "fault" });
  const pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
  pool.on("error", () => {}); // an idle client cut off as the cluster stops
  db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
});

afterAll(async () => {
  processes.killAll();
  await db?.destroy();
  await cluster?.stop();
});

describe("a worker killed mid-issuance", () => {
  it("restarts to exactly one policy per item, one receipt and one email", { timeout: 240_000 }, async () => {
    const setup = await runChild<{
      tenantId: string;
      orderId: string;
      email: string;
      transactionId: string;
      items: number;
      outcome: string;
    }>(["setup"]);
    expect(setup.outcome).toBe("completed");
    const order = await db!.selectFrom("orders").select(["status"]).where("id", "=", setup.orderId).executeTakeFirstOrThrow();
    expect(order.status).toBe("paid");

    const count = async (table: "policies" | "receipts", column: "order_id" | "transaction_id", value: string) =>
      Number(
        (
          await db!
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .where(column, "=", value)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const emails = () =>
      db!
        .selectFrom("messages")
        .select(["id", "status", "dedupe_key", "attachments"])
        .where("tenant_id", "=", setup.tenantId)
        .where("template", "=", "policy_documents")
        .where("channel", "=", "email")
        .execute();
    const issueJobs = () =>
      sql<{ id: string; key: string | null; locked_by: string | null; attempts: number; last_error: string | null }>`
        select j.id, j.key, j.locked_by, j.attempts, j.last_error
        from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = 'issue_order' and j.payload->>'orderId' = ${setup.orderId}
      `
        .execute(db!)
        .then((r) => r.rows);

    expect(await count("policies", "order_id", setup.orderId)).toBe(0);
    expect(await issueJobs()).toMatchObject([{ locked_by: null }]);

    // 1. The worker dies (SIGKILL, as a crashed machine) right after issuance commits.
    const death = await processes.killedAt(["server/worker.ts"], "issue_order:after_commit", 60_000);
    expect(death.signal, death.log).toBe("SIGKILL");

    expect(await count("policies", "order_id", setup.orderId)).toBe(setup.items);
    expect(await count("receipts", "transaction_id", setup.transactionId)).toBe(1);
    const halfIssued = await db!
      .selectFrom("policies")
      .select(["status", "policy_number", "certificate_file_key"])
      .where("order_id", "=", setup.orderId)
      .execute();
    expect(halfIssued.every((p) => p.status === "active" && p.policy_number && p.certificate_file_key === null)).toBe(true);
    expect(await emails()).toHaveLength(0);
    // Its job is left locked by the dead worker, as a lock timeout would eventually clear.
    const locked = await issueJobs();
    expect(locked).toHaveLength(1);
    expect(locked[0]!.locked_by).toBeTruthy();

    // 2. The dead worker's lock times out (forced here: graphile-worker waits hours), and
    //    reconciliation finds a paid order without its documents and queues issuance again (the
    //    same job key: the waiting job is replaced, not doubled). Staff press "retry" as well.
    await sql`select graphile_worker.force_unlock_workers(array(select distinct locked_by from graphile_worker.jobs where locked_by is not null))`.execute(
      db!,
    );
    await db!
      .updateTable("orders")
      .set({ paid_at: sql`now() - interval '10 minutes'` })
      .where("id", "=", setup.orderId)
      .execute();
    const run = await runChild<{ reissued: number }>(["reconcile", setup.tenantId]);
    expect(run.reissued).toBe(1);
    expect(await issueJobs()).toMatchObject([{ locked_by: null, key: `issue_order:${setup.tenantId}:${setup.orderId}` }]);
    await sql`select graphile_worker.add_job('issue_order', json_build_object('tenantId', ${setup.tenantId}::text, 'orderId', ${setup.orderId}::text), job_key := ${`issue_order:${setup.tenantId}:${setup.orderId}:retry`})`.execute(
      db!,
    );
    expect(await issueJobs()).toHaveLength(2);

    // 3. A healthy worker comes up and runs both (concurrently: it takes four jobs at a time).
    const healthy = processes.start(["server/worker.ts"]);
    try {
      const delivered = await until(
        async () => {
          const [m, ...more] = await emails();
          return m?.status === "outbox" && more.length === 0 ? m : undefined;
        },
        90_000,
        "the documents email",
      );
      await until(async () => (await issueJobs()).length === 0, 60_000, "the issuance jobs to finish").catch(async (e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify(await issueJobs())}\n${healthy.log()}`);
      });

      expect(await count("policies", "order_id", setup.orderId)).toBe(setup.items);
      expect(await count("receipts", "transaction_id", setup.transactionId)).toBe(1);
      const policies = await db!
        .selectFrom("policies")
        .select(["policy_number", "certificate_file_key"])
        .where("order_id", "=", setup.orderId)
        .execute();
      for (const p of policies) expect((await fileStore().get(p.certificate_file_key!))?.body.subarray(0, 5).toString()).toBe("%PDF-");
      expect(delivered.dedupe_key).toBe(`order_documents:${setup.orderId}:email`);
      expect(delivered.attachments).toHaveLength(setup.items + 1);
      const instalments = await db!
        .selectFrom("instalments")
        .innerJoin("policies", "policies.id", "instalments.policy_id")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("policies.order_id", "=", setup.orderId)
        .executeTakeFirstOrThrow();
      expect(Number(instalments.n)).toBe(13);
      const counter = await db!
        .selectFrom("counters")
        .select("value")
        .where("tenant_id", "=", setup.tenantId)
        .where("series", "=", "policy")
        .executeTakeFirstOrThrow();
      expect(Number(counter.value)).toBe(setup.items);

      // 4. Afterwards, reconciliation finds nothing to do, and issuance run once more changes nothing.
      expect(await runChild<{ reissued: number }>(["reconcile", setup.tenantId])).toMatchObject({ reissued: 0 });
      await sql`select graphile_worker.add_job('issue_order', json_build_object('tenantId', ${setup.tenantId}::text, 'orderId', ${setup.orderId}::text), job_key := ${`issue_order:${setup.tenantId}:${setup.orderId}:again`})`.execute(
        db!,
      );
      await until(async () => (await issueJobs()).length === 0, 30_000, "the repeated issuance");
      await until(
        async () =>
          Number(
            (
              await sql<{
                n: number;
              }>`select count(*)::int as n from graphile_worker.jobs where task_identifier in ('order_documents', 'send_message')`.execute(
                db!,
              )
            ).rows[0]!.n,
          ) === 0,
        30_000,
        "documents and email jobs to finish",
      );
      expect(await emails()).toHaveLength(1);
      expect(await count("policies", "order_id", setup.orderId)).toBe(setup.items);
      expect(await count("receipts", "transaction_id", setup.transactionId)).toBe(1);
    } finally {
      healthy.child.kill("SIGTERM");
      await healthy.exited;
    }
  });
});
