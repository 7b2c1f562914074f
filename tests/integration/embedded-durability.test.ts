import pg from "pg";
import { describe, expect, it } from "vitest";
import { startThrowawayCluster } from "../support/clusters";

// The development cluster in ./.data/pg keeps a developer's data across runs: a crash must not
// corrupt it. Only throwaway test clusters may skip fsync for speed.
describe("embedded PostgreSQL durability", () => {
  it("keeps fsync on for the persistent development cluster and off only for throwaway ones", async () => {
    expect(await fsyncSetting(true)).toBe("on");
    expect(await fsyncSetting(false)).toBe("off");
  });
});

async function fsyncSetting(persistent: boolean): Promise<string> {
  const cluster = await startThrowawayCluster({ name: "durability", persistent });
  try {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    const { rows } = await client.query<{ fsync: string }>("show fsync");
    await client.end();
    return rows[0]!.fsync;
  } finally {
    await cluster.stop();
  }
}
