import { spawn } from "node:child_process";

/**
 * Runs a TypeScript helper in a process of its own (env() and the pools are per process, and the
 * test's process is bound to the suite's cluster) and returns what it printed as `RESULT <json>`.
 */
export function runTsxChild<T>(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  return new Promise((resolve, reject) => {
    // node --import tsx: one process (the tsx binary would put a wrapper process between us and it).
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code === 0 && line) resolve(JSON.parse(line.slice("RESULT ".length)) as T);
      else reject(new Error(`${script} ${args.join(" ")} exited ${code}:\n${err}\n${out}`));
    });
  });
}
