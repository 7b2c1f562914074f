import { EventEmitter } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Job, WorkerEvents } from "graphile-worker";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { JobFailureRecorder, type DeclaredJobFailure } from "./job-failure-recorder";

/** The guard that fails the run on a job failure no test declared: it must say which, and excuse only what was declared. */

const TENANT = "0b7c3a52-8a5e-4c1f-9d53-8f1c2a6f4e01";
const OTHER_TENANT = "5d9e2f10-3b4a-4c6d-8e7f-901a2b3c4d5e";
const ORDER = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

let dir: string;
let recorder: JobFailureRecorder;
let events: EventEmitter;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "covera-recorder-"));
  recorder = new JobFailureRecorder(path.join(dir, "declared.jsonl"));
  events = new EventEmitter();
  recorder.watch(events as unknown as WorkerEvents);
  vi.spyOn(console, "error").mockImplementation(() => {});
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

function fail(task: string, payload: Record<string, string>, error: Error, attempt = 1) {
  const job = { id: String(attempt), task_identifier: task, payload, attempts: attempt, max_attempts: 25 } as unknown as Job;
  events.emit("job:error", { job, error });
}

async function declare(...declared: DeclaredJobFailure[]) {
  await writeFile(recorder.declarationsFile, declared.map((d) => `${JSON.stringify(d)}\n`).join(""));
}

const typeError = () => new TypeError("Cannot read properties of undefined (reading 'find')");

describe("the job failure guard", () => {
  it("passes a run without failures", () => {
    expect(recorder.report()).toBeNull();
  });

  it("names the task, the error and the job's ids of an undeclared failure, once per kind with a count", () => {
    fail("order_documents", { tenantId: TENANT, orderId: ORDER }, typeError(), 1);
    fail("order_documents", { tenantId: TENANT, orderId: ORDER }, typeError(), 2);
    const report = recorder.report()!;
    expect(report).toContain("2 failed job attempt(s) that no test expected");
    expect(report).toContain("order_documents ×2: TypeError: Cannot read properties of undefined (reading 'find')");
    expect(report).toContain(`tenantId=${TENANT}, orderId=${ORDER}`);
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining("Failed task order_documents"));
  });

  it("excuses a failure declared for its task, tenant, ids and error, and nothing else", async () => {
    await declare({ task: "submit_refund", payload: { tenantId: TENANT }, error: { source: "network error", flags: "" } });
    fail("submit_refund", { tenantId: TENANT, refundId: ORDER }, new Error("Refund x: network error: fetch failed"));
    expect(recorder.report()).toBeNull();

    fail("submit_refund", { tenantId: OTHER_TENANT, refundId: ORDER }, new Error("Refund x: network error: fetch failed"));
    fail("submit_refund", { tenantId: TENANT, refundId: ORDER }, new Error("Refund x: Paystack refused it"));
    fail("process_provider_event", { tenantId: TENANT, eventId: ORDER }, new Error("network error"));
    const report = recorder.report()!;
    expect(report).toContain("3 failed job attempt(s) that no test expected");
    expect(report).toContain(OTHER_TENANT);
    expect(report).toContain("Paystack refused it");
    expect(report).toContain("process_provider_event ×1");
  });

  it("counts a declaration made after the failure (the check is at the end)", async () => {
    fail("order_documents", { tenantId: TENANT, orderId: ORDER }, typeError());
    await declare({ task: "order_documents", payload: { tenantId: TENANT, orderId: ORDER }, error: { source: "^TypeError: ", flags: "" } });
    expect(recorder.report()).toBeNull();
  });
});
