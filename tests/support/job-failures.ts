import { appendFileSync } from "node:fs";
import { inject } from "vitest";
import type { DeclaredJobFailure } from "./job-failure-recorder";

/**
 * The suite's worker (global-setup.ts) fails the run on any failed job attempt that no test
 * declared. A test that makes a job fail on purpose says so here, as narrowly as it can: the task,
 * its own agency (each test makes its own tenant, so the declaration cannot excuse another test's
 * failures), the job's other ids where it knows them, and what the error says.
 *
 * Declare it before provoking it: an attempt that fails before its declaration is printed as it
 * happens, though the check that fails the run comes after the last test and counts it as declared.
 */
export interface ExpectedJobFailure {
  task: string;
  tenantId: string;
  /** Further ids the job's payload carries (eventId, refundId, …): the same value, exactly. */
  payload?: Record<string, string>;
  /** Matched against `Name: message` of what the task threw. */
  error: RegExp;
}

export function expectJobFailures(...expected: ExpectedJobFailure[]): void {
  const lines = expected.map((e) => {
    const declared: DeclaredJobFailure = {
      task: e.task,
      payload: { ...e.payload, tenantId: e.tenantId },
      error: { source: e.error.source, flags: e.error.flags },
    };
    return `${JSON.stringify(declared)}\n`;
  });
  appendFileSync(inject("jobFailureDeclarations"), lines.join(""));
}
