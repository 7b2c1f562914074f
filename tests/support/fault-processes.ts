import { spawn, type ChildProcess } from "node:child_process";

/**
 * The processes of a fault test that runs on a PostgreSQL cluster of its own: the production
 * worker (`server/worker.ts`) or a helper script, each told the cluster's DATABASE_URL and nothing
 * of the suite's databases, each optionally doomed to die at a fault point (`COVERA_FAULT_KILL`,
 * app/jobs/faults.ts). `killAll` ends whatever is still running when the test ends.
 */
export function faultProcesses(clusterUrl: () => string) {
  const alive = new Set<ChildProcess>();

  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const base: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: clusterUrl(), NODE_ENV: "test" };
    delete base.APP_DATABASE_URL;
    delete base.PLATFORM_DATABASE_URL;
    delete base.COVERA_FAULT_KILL;
    return Object.assign(base, extra);
  }

  /** `node --import tsx <args>` in a process of its own, its output kept for failure messages. */
  function start(args: string[], extra: Record<string, string> = {}) {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { env: env(extra), stdio: ["ignore", "pipe", "pipe"] });
    alive.add(child);
    let log = "";
    child.stdout!.on("data", (d) => (log += d));
    child.stderr!.on("data", (d) => (log += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => {
        alive.delete(child);
        resolve({ code, signal });
      }),
    );
    return { child, exited, log: () => log };
  }

  /** Starts `args` doomed to die at `fault` and waits for its death (its signal, for the test to check). */
  async function killedAt(args: string[], fault: string, timeoutMs = 120_000) {
    const doomed = start(args, { COVERA_FAULT_KILL: fault });
    const death = await Promise.race([
      doomed.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`${args.join(" ")} did not die at ${fault}:\n${doomed.log()}`)), timeoutMs),
      ),
    ]);
    return { ...death, log: doomed.log() };
  }

  function killAll() {
    for (const child of alive) child.kill("SIGKILL");
  }

  return { env, start, killedAt, killAll };
}

/** Polls `probe` every 200 ms until it answers something, or fails after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
