import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { withTenant } from "~db/client";
import { addJob } from "~db/jobs";
import { Browser } from "../support/http";
import { createTenant, createUser, eventually, ownerDb, TEST_PASSWORD } from "../support/db";
import { SENTRY_DSN, sentryEvents, sentryHandlers, type SentryEnvelope } from "../mocks/sentry";

/**
 * Error reports, log context, the page cache's nonces and the worker's metrics, on an app and a
 * worker started in this file's process with SENTRY_DSN and the page cache on (the suite's app
 * runs without them). Sentry is the third party here: msw stands in for its ingest endpoint.
 */

process.env.SENTRY_DSN = SENTRY_DSN;
process.env.PAGE_CACHE_SECONDS = "30";

const received: SentryEnvelope[] = [];
const mock = setupServer(...sentryHandlers(received));
let server: Server;
let port: number;
const PHONE = "+254 712 345 678";

/** A route that fails after finding the signed-in user, as a bug in a loader would. */
function withFailingRoute(build: ServerBuild): ServerBuild {
  return {
    ...build,
    routes: {
      ...build.routes,
      "routes/test-failure": {
        id: "routes/test-failure",
        parentId: "root",
        path: "test-failure",
        module: {
          loader: async ({ request }: { request: Request }) => {
            const { requireUser } = await import("~/modules/auth/guards.server");
            const { logger } = await import("~/lib/log.server");
            const { user } = await requireUser(request);
            logger.warn("about to fail");
            throw new Error(`Could not price the cover of ${user.email} (${PHONE})`);
          },
        },
      } as unknown as ServerBuild["routes"][string],
    },
  };
}

beforeAll(async () => {
  mock.listen({ onUnhandledRequest: ({ url }, print) => (new URL(url).hostname === "127.0.0.1" ? undefined : print.error()) });
  const { startErrorReporting } = await import("~/lib/error-reporting.server");
  await expect(startErrorReporting("app")).resolves.toBe(true);
  const { createApp, loadBuild } = await import("../../server/app");
  const app = createApp(withFailingRoute(await loadBuild()));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  mock.close();
});

async function signedIn() {
  const tenant = await createTenant();
  const user = await createUser(tenant.id);
  const browser = new Browser(`${tenant.slug}.localhost`, { port });
  const res = await browser.post("/login", { email: user.email, password: TEST_PASSWORD });
  expect(res.status).toBe(302);
  return { tenant, user, browser, session: browser.cookies.get("covera_session")! };
}

/** Lines the logger writes while `work` runs (captured, not printed). */
async function logLines(work: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => (lines.push(String(chunk)), true);
  const out = vi.spyOn(process.stdout, "write").mockImplementation(capture);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(capture);
  try {
    await work();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.join("");
}

describe("a failing request", () => {
  it("reaches Sentry tagged with its tenant, user and request, and carries no personal data", async () => {
    const { tenant, user, browser, session } = await signedIn();
    let requestId = "";
    const logged = await logLines(async () => {
      const res = await browser.get("/test-failure", { "x-request-id": "req-observability-0001" });
      expect(res.status).toBe(500);
      expect(res.text).not.toContain("Could not price");
      requestId = String(res.headers["x-request-id"]);
      await eventually(async () => sentryEvents(received).length > 0, 10_000);
    });
    expect(requestId).toBe("req-observability-0001");

    const [report] = sentryEvents(received);
    const event = report!.event;
    expect(event.tags).toMatchObject({
      component: "app",
      tenant: tenant.slug,
      tenant_id: tenant.id,
      request_id: requestId,
      route: "routes/test-failure",
    });
    expect(event.user).toEqual({ id: user.id });
    expect(event.exception?.values[0]?.value).toBe("Could not price the cover of [email] ([number])");
    for (const secret of [user.email, PHONE, session, TEST_PASSWORD]) expect(report!.raw).not.toContain(secret);
    expect(event.breadcrumbs ?? []).toEqual([]);
    expect(event.request ?? {}).not.toHaveProperty("cookies");

    // The loader's own line and the error line carry the request id and the agency, not the email.
    const loaderLine = logged.split("\n").find((l) => l.includes("about to fail"));
    expect(loaderLine).toContain(`requestId=${requestId}`);
    expect(loaderLine).toContain(`tenant=${tenant.slug}`);
    expect(loaderLine).toContain(`userId=${user.id}`);
    expect(logged).toContain("request failed");
    for (const secret of [user.email, PHONE, session]) expect(logged).not.toContain(secret);
  });
});

describe("a failing job", () => {
  it("reaches Sentry with its task, job and tenant, and counts in the worker's metrics", async () => {
    const { startWorker } = await import("../../server/worker");
    const { registry } = await import("../../server/metrics");
    const tenant = await createTenant();
    const before = received.length;
    // Tasks only this worker knows, so the suite's worker leaves these jobs alone.
    const worker = await startWorker({
      concurrency: 1,
      tasks: {
        ops_test_failing: async () => {
          throw new Error(`Provider refused customer@example.com`);
        },
      },
    });
    try {
      await logLines(async () => {
        await withTenant(tenant.id, (db) =>
          Promise.all([
            addJob(db, "ops_test_failing", { tenantId: tenant.id }, { maxAttempts: 1 }),
            addJob(db, "ops_test_waiting", { tenantId: tenant.id }),
          ]),
        );
        await eventually(async () => sentryEvents(received.slice(before)).length > 0, 15_000);
      });
      const event = sentryEvents(received.slice(before))[0]!.event;
      expect(event.tags).toMatchObject({ component: "app", task: "ops_test_failing", tenant_id: tenant.id, attempt: "1" });
      expect(event.exception?.values[0]?.value).toBe("Provider refused [email]");

      const metrics = await eventually(async () => {
        const text = await registry.metrics();
        return text.includes('covera_jobs_failed_total{task="ops_test_failing"} 1') ? text : undefined;
      });
      expect(metrics).toContain('covera_jobs_total{task="ops_test_failing",outcome="error"} 1');
      expect(metrics).toMatch(/covera_job_queue_jobs\{task="ops_test_waiting",state="ready"\} [1-9]/);
      expect(metrics).toMatch(/covera_job_queue_jobs\{task="ops_test_failing",state="failed"\} [1-9]/);
    } finally {
      await worker.stop();
      await ownerDb()
        .deleteFrom("graphile_worker._private_jobs" as never)
        .where(
          "task_id" as never,
          "in",
          ownerDb()
            .selectFrom("graphile_worker._private_tasks" as never)
            .select("id" as never)
            .where("identifier" as never, "like", "ops_test_%" as never),
        )
        .execute();
    }
  });

  it("reports the webhook backlog: stored provider events not processed yet", async () => {
    const { startWorker } = await import("../../server/worker");
    const { registry } = await import("../../server/metrics");
    const tenant = await createTenant();
    const worker = await startWorker({ concurrency: 1, tasks: {} });
    try {
      await withTenant(tenant.id, (db) =>
        db
          .insertInto("provider_events")
          .values({
            provider: "paystack",
            provider_event_id: "evt_backlog_1",
            kind: "payment",
            event: JSON.stringify({}),
            received_at: new Date(Date.now() - 120_000),
          })
          .execute(),
      );
      const text = await registry.metrics();
      expect(Number(/covera_webhook_backlog_events\{provider="paystack"\} (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
      expect(Number(/covera_webhook_backlog_oldest_seconds\{provider="paystack"\} ([\d.]+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(120);
    } finally {
      await worker.stop();
      await withTenant(tenant.id, (db) => db.updateTable("provider_events").set({ processed_at: new Date(), outcome: "test" }).execute());
    }
  });
});

describe("the page cache and the CSP nonce", () => {
  const nonceOf = (header: string | string[] | undefined) => /'nonce-([^']+)'/.exec(String(header))?.[1];
  const scriptNonces = (html: string) => [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => /nonce="([^"]*)"/.exec(m[1]!)?.[1]);

  it("stamps each cached page with the nonce of its own response", async () => {
    const path = `/products?observability=${Date.now()}`;
    const first = await new Browser("bowman.localhost", { port }).get(path);
    const second = await new Browser("bowman.localhost", { port }).get(path);
    expect(first.headers["x-page-cache"]).toBe("miss");
    expect(second.headers["x-page-cache"]).toBe("hit");
    for (const res of [first, second]) {
      const nonce = nonceOf(res.headers["content-security-policy"]);
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      const nonces = scriptNonces(res.text);
      expect(nonces.length).toBeGreaterThan(0);
      expect(new Set(nonces)).toEqual(new Set([nonce]));
      expect(res.text).toContain(`<style nonce="${nonce}"`);
    }
    expect(nonceOf(second.headers["content-security-policy"])).not.toBe(nonceOf(first.headers["content-security-policy"]));
    expect(second.headers["x-request-id"]).not.toBe(first.headers["x-request-id"]);
    // The Sentry ingest host is allowed for the browser's reports, since a DSN is set.
    expect(first.headers["content-security-policy"]).toMatch(/connect-src [^;]*https:\/\/o1\.ingest\.sentry\.example/);
    expect(first.text).toContain(SENTRY_DSN);
  });
});
