import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~db/schema";
import { fileStore } from "~/modules/files/storage.server";
import { runTsxChild } from "../support/child";
import { startThrowawayCluster, type ThrowawayCluster } from "../support/clusters";
import { faultProcesses, until } from "../support/fault-processes";

/**
 * A worker killed between approval and payout: SIGKILL right after the sandbox paid and before
 * anything recorded it, its job left locked; then reconciliation and a fresh worker. Still one
 * settlement, paid once, one settle of the claim, one letter, one email. On a PostgreSQL cluster of
 * its own (as the payments fault test), so the suite's worker cannot take the jobs.
 */

let cluster: ThrowawayCluster | undefined;
let db: Kysely<Database> | undefined;
const processes = faultProcesses(() => cluster!.url);

beforeAll(async () => {
  cluster = await startThrowawayCluster({ name: "claims-fault" });
  const pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
  pool.on("error", () => {});
  db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
});

afterAll(async () => {
  processes.killAll();
  await db?.destroy();
  await cluster?.stop();
});

describe("a worker killed between approval and payout", () => {
  it("ends with one payment, one settled claim, one letter and one email", { timeout: 240_000 }, async () => {
    const setup = await runTsxChild<{ tenantId: string; claimId: string; settlementId: string; email: string }>(
      "tests/support/claims-fault-child.ts",
      ["setup"],
      processes.env(),
    );
    const settlement = () => db!.selectFrom("claim_settlements").selectAll().where("id", "=", setup.settlementId).executeTakeFirstOrThrow();
    const claim = () => db!.selectFrom("claims").selectAll().where("id", "=", setup.claimId).executeTakeFirstOrThrow();
    const events = (entity: string, id: string, event: string) =>
      db!
        .selectFrom("state_changes")
        .select("id")
        .where("entity", "=", entity)
        .where("entity_id", "=", id)
        .where("event", "=", event)
        .execute();
    const settledEmails = () =>
      db!
        .selectFrom("messages")
        .selectAll()
        .where("tenant_id", "=", setup.tenantId)
        .where("template", "=", "claim_settled")
        .where("channel", "=", "email")
        .execute();
    const payoutLog = () =>
      db!.selectFrom("gateway_log").select("kind").where("settlement_id", "=", setup.settlementId).where("kind", "=", "payout").execute();
    const payoutJobs = () =>
      sql<{ id: string; locked_by: string | null }>`
        select j.id, j.locked_by
        from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = 'submit_payout' and j.payload->>'settlementId' = ${setup.settlementId}
      `
        .execute(db!)
        .then((r) => r.rows);

    expect(await settlement()).toMatchObject({ status: "processing", method: "sandbox", attempt: 1, sent_at: null });
    expect(await payoutJobs()).toMatchObject([{ locked_by: null }]);

    // 1. The worker dies (SIGKILL) after the sandbox paid, before anything recorded it.
    const death = await processes.killedAt(["server/worker.ts"], "submit_payout:after_send", 60_000);
    expect(death.signal, death.log).toBe("SIGKILL");
    const halfPaid = await settlement();
    expect(halfPaid).toMatchObject({ status: "processing", provider_receipt: null });
    expect(halfPaid.sent_at).not.toBeNull();
    expect(await payoutLog()).toHaveLength(1);
    expect((await claim()).status).toBe("approved");
    expect(await settledEmails()).toHaveLength(0);
    expect((await payoutJobs())[0]!.locked_by).toBeTruthy();

    // 2. The lock times out (forced: graphile-worker waits hours) and, a while later, reconciliation
    //    asks the provider about the payout it sent and never heard back about.
    await sql`select graphile_worker.force_unlock_workers(array(select distinct locked_by from graphile_worker.jobs where locked_by is not null))`.execute(
      db!,
    );
    await db!
      .updateTable("claim_settlements")
      .set({ sent_at: sql<Date>`now() - interval '10 minutes'` })
      .where("id", "=", setup.settlementId)
      .execute();
    const run = await runTsxChild<{ asked: number; settled: number }>(
      "tests/support/claims-fault-child.ts",
      ["reconcile", setup.tenantId],
      processes.env(),
    );
    expect(run).toMatchObject({ asked: 1, settled: 1 });
    expect(await settlement()).toMatchObject({ status: "paid", provider_receipt: expect.stringMatching(/^SBX/) });
    expect((await claim()).status).toBe("settled");

    // 3. A healthy worker: the dead one's payout job runs again and finds nothing to send; the
    //    letter is made and emailed.
    const healthy = processes.start(["server/worker.ts"]);
    const email = await until(
      async () => {
        const [m, ...more] = await settledEmails();
        return m?.status === "outbox" && more.length === 0 ? m : undefined;
      },
      90_000,
      "the settlement email",
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${healthy.log()}`);
    });
    await until(async () => (await payoutJobs()).length === 0, 60_000, "the payout job to finish");

    const paid = await settlement();
    expect(paid.letter_file_key).toBe(`${setup.tenantId}/settlement-letters/${setup.settlementId}.pdf`);
    expect((await fileStore().get(paid.letter_file_key!))?.body.subarray(0, 5).toString()).toBe("%PDF-");
    expect(email).toMatchObject({ recipient: setup.email, dedupe_key: `claim_settled:${setup.claimId}:${(await claim()).revision}:email` });
    expect(email.attachments).toEqual([
      { filename: `Settlement-${paid.reference}.pdf`, fileKey: paid.letter_file_key, contentType: "application/pdf" },
    ]);
    expect(await payoutLog()).toHaveLength(1);
    expect(await events("claim", setup.claimId, "settle")).toHaveLength(1);
    expect(await events("settlement", setup.settlementId, "confirm")).toHaveLength(1);
    expect(await db!.selectFrom("claim_settlements").select("id").where("claim_id", "=", setup.claimId).execute()).toHaveLength(1);

    // 4. Reconciliation afterwards finds nothing to do.
    expect(await runTsxChild("tests/support/claims-fault-child.ts", ["reconcile", setup.tenantId], processes.env())).toMatchObject({
      asked: 0,
      requeued: 0,
    });
    healthy.child.kill("SIGTERM");
    await healthy.exited;
  });
});
