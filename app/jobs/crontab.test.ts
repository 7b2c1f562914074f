import { parseCrontab } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { crontab, taskList } from "./index";

// The suite's worker runs without the crontab (docs/decisions/019-test-suite-jobs.md): what the
// crontab itself must get right is checked here, and each scheduled task is tested by calling it.
describe("the crontab", () => {
  it("parses, and schedules only tasks the worker has, each under a stable id", () => {
    const items = parseCrontab(crontab);
    const tasks = Object.keys(taskList());
    expect(items.map((item) => item.task)).toContain("reconcile_payments");
    for (const item of items) {
      expect(tasks).toContain(item.task);
      expect(item.identifier).toBe(item.task);
    }
  });
});
