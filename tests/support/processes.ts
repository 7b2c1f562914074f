import { spawn, type ChildProcess } from "node:child_process";

export { freePort } from "./clusters";

export interface Child {
  process: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the first output line matching, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A built entry point (`build/server/*.js`) in a process of its own, as production runs it. */
export function spawnBuilt(entry: string, env: NodeJS.ProcessEnv): Child {
  return spawnNode([entry], env);
}

/** Node with these arguments (`["--import", "tsx", script]` for a TypeScript helper) in a process of its own. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv): Child {
  const entry = args[args.length - 1]!;
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const waiters = new Set<() => void>();
  const collect = (data: Buffer) => {
    output += data.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = output.split("\n").find((l) => pattern.test(l));
          if (line === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(line);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${entry} never printed ${pattern}:\n${output}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
