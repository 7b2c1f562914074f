/**
 * Fault injection for the exactly-once tests: with COVERA_FAULT_KILL=<point>, the process kills
 * itself (SIGKILL: no cleanup, no unlock) when it reaches that point, as a crashed machine would.
 * Unset, this does nothing.
 */
export function faultPoint(point: string): void {
  if (process.env.COVERA_FAULT_KILL === point) process.kill(process.pid, "SIGKILL");
}
