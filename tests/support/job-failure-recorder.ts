import { readFileSync } from "node:fs";
import { Logger, type Job, type WorkerEvents } from "graphile-worker";

/**
 * The suite's side of tests/support/job-failures.ts: every failed attempt of a job run by the
 * suite's worker (global-setup.ts) is recorded, and the run fails on any that no test declared.
 * A worker retries a failed job quietly, so a test passes while the worker behind it throws on
 * every attempt: 540 failed `order_documents` attempts once hid in a green run's log.
 */

/** A declaration as tests/support/job-failures.ts writes it, one JSON object per line. */
export interface DeclaredJobFailure {
  task: string;
  payload: Record<string, string>;
  error: { source: string; flags: string };
}

export interface FailedAttempt {
  task: string;
  jobId: string;
  attempt: number;
  maxAttempts: number;
  payload: unknown;
  /** `Name: message` of what the task threw. */
  error: string;
  stack: string | undefined;
}

function declarationMatches(declared: DeclaredJobFailure, failed: FailedAttempt): boolean {
  if (declared.task !== failed.task) return false;
  const payload = (failed.payload ?? {}) as Record<string, unknown>;
  if (!Object.entries(declared.payload).every(([key, value]) => payload[key] === value)) return false;
  return new RegExp(declared.error.source, declared.error.flags).test(failed.error);
}

export class JobFailureRecorder {
  private readonly failures: FailedAttempt[] = [];

  /** `declarationsFile`: where the tests append their declarations (provided to them by global-setup.ts). */
  constructor(readonly declarationsFile: string) {}

  /** Records each failed attempt; one that no test has declared so far is printed at once, near the test that caused it. */
  watch(events: WorkerEvents): void {
    const printed = new Set<string>();
    events.on("job:error", ({ job, error }) => {
      const failed = attemptOf(job, error);
      this.failures.push(failed);
      if (this.isExpected(failed, this.declarations())) return;
      // The stack once per kind of failure: a job retried 25 times is one story.
      const firstOfItsKind = !printed.has(kindOf(failed));
      printed.add(kindOf(failed));
      console.error(`[worker] ${headline(failed)}${firstOfItsKind && failed.stack ? `\n${indent(failed.stack)}` : ""}`);
    });
  }

  /**
   * The worker's own logger, less its "Failed task" lines: the recorder reports failed attempts
   * itself, and only those no test expected.
   */
  logger(base: Logger): Logger {
    return new Logger((scope) => {
      const scoped = base.scope(scope);
      return (level, message, meta) => {
        if ((meta as { failure?: boolean } | undefined)?.failure) return;
        if (level === "error") scoped.error(message, meta);
        else if (level === "warning") scoped.warn(message, meta);
        else if (level === "info") scoped.info(message, meta);
        else scoped.debug(message, meta);
      };
    });
  }

  /** The failed attempts no test declared, as a report naming each task and error; null when there are none. */
  report(): string | null {
    const declarations = this.declarations();
    const unexpected = this.failures.filter((f) => !this.isExpected(f, declarations));
    if (unexpected.length === 0) return null;
    const groups = new Map<string, FailedAttempt[]>();
    for (const f of unexpected) groups.set(kindOf(f), [...(groups.get(kindOf(f)) ?? []), f]);
    const lines = [
      "",
      `✗ ${unexpected.length} failed job attempt(s) that no test expected — the run fails:`,
      ...[...groups.values()].flatMap((attempts) => {
        const first = attempts[0]!;
        const ids = attempts.slice(0, 3).map((a) => `    ${identify(a)}`);
        const more = attempts.length > 3 ? [`    … and ${attempts.length - 3} more`] : [];
        return [
          ``,
          `  ${first.task} ×${attempts.length}: ${first.error}`,
          ...ids,
          ...more,
          ...(first.stack ? [indent(first.stack, "      ")] : []),
        ];
      }),
      "",
      "A test that makes a job fail on purpose declares it with expectJobFailures() (tests/support/job-failures.ts).",
      "",
    ];
    return lines.join("\n");
  }

  private isExpected(failed: FailedAttempt, declarations: DeclaredJobFailure[]): boolean {
    return declarations.some((d) => declarationMatches(d, failed));
  }

  private declarations(): DeclaredJobFailure[] {
    let text = "";
    try {
      text = readFileSync(this.declarationsFile, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as DeclaredJobFailure);
  }
}

function attemptOf(job: Job, error: unknown): FailedAttempt {
  return {
    task: job.task_identifier,
    jobId: String(job.id),
    attempt: job.attempts,
    maxAttempts: job.max_attempts,
    payload: job.payload,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    stack: error instanceof Error ? error.stack?.split("\n").slice(1, 6).join("\n") : undefined,
  };
}

/** Failures of one task that differ only in the ids or references their messages quote. */
function kindOf(failed: FailedAttempt): string {
  const shape = failed.error
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<id>")
    .replace(/\b(?=\w*\d)\w{6,}\b/g, "<ref>");
  return `${failed.task}: ${shape}`;
}

/** The payload's ids (tenantId, orderId, …): the tenant leads to the test, the rest to its records. */
function identify(failed: FailedAttempt): string {
  const payload = (failed.payload ?? {}) as Record<string, unknown>;
  const ids = Object.entries(payload)
    .filter(([key, value]) => /Id$/.test(key) && typeof value === "string")
    .map(([key, value]) => `${key}=${String(value)}`);
  return `job ${failed.jobId}, attempt ${failed.attempt} of ${failed.maxAttempts}${ids.length ? `, ${ids.join(", ")}` : ""}`;
}

function headline(failed: FailedAttempt): string {
  return `Failed task ${failed.task} (${identify(failed)}), not declared by any test so far: ${failed.error}`;
}

function indent(text: string | undefined, prefix = "  "): string {
  return (text ?? "")
    .split("\n")
    .map((line) => `${prefix}${line.trim()}`)
    .join("\n");
}
