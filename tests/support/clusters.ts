import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface ThrowawayCluster {
  url: string;
  /** Stops PostgreSQL and deletes its data directory. */
  stop: () => Promise<void>;
}

/**
 * A PostgreSQL cluster of a test's own, on a free port, in a temporary directory that stop()
 * deletes. `persistent` starts it with the development cluster's settings instead.
 */
export async function startThrowawayCluster(options: { name: string; persistent?: boolean }): Promise<ThrowawayCluster> {
  const { startEmbeddedPostgres } = await import("~db/embedded");
  const dataDir = await mkdtemp(path.join(tmpdir(), `covera-${options.name}-pg-`));
  try {
    const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: options.persistent ?? false });
    return {
      url: cluster.url,
      stop: async () => {
        await cluster.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
