import { appendFileSync } from "node:fs";
import { expect, inject } from "vitest";
import type { DeclaredJobFailure } from "./job-failure-recorder";

/**
 * The suite's worker (global-setup.ts) fails the run on any failed job attempt that no test
 * declared. A test that makes a job fail on purpose says so here, as narrowly as it can: the task,
 * its own agency (each test makes its own tenant, so the declaration cannot excuse another test's
 * failures), the job's other ids where it knows them, and what the error says.
 *
 * Declare before or after provoking it: the check runs once every test has finished.
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
  const { currentTestName, testPath } = expect.getState();
  const declaredBy = `${testPath ?? "?"} > ${currentTestName ?? "(outside a test)"}`;
  const lines = expected.map((e) => {
    const declared: DeclaredJobFailure = {
      task: e.task,
      payload: { ...e.payload, tenantId: e.tenantId },
      error: { source: e.error.source, flags: e.error.flags },
      declaredBy,
    };
    return `${JSON.stringify(declared)}\n`;
  });
  appendFileSync(inject("jobFailureDeclarations"), lines.join(""));
}
