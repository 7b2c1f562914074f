import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env, roleUrl } from "~/lib/env.server";
import { createTenant, createUser, TEST_PASSWORD } from "../support/db";
import { freePort, spawnBuilt, type Child } from "../support/processes";

/**
 * The production build (`build/server/app.js`, NODE_ENV=production) in a process of its own
 * against the suite's database: its JSON logs, its metrics listener, its health checks and what it
 * does on SIGTERM. The worker's entry point likewise.
 */

function productionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL, ENCRYPTION_KEY } = env();
  return {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    DATABASE_URL,
    APP_DATABASE_URL: roleUrl(DATABASE_URL, "covera_app"),
    PLATFORM_DATABASE_URL: roleUrl(DATABASE_URL, "covera_platform"),
    SESSION_SECRET: "operations-test-session-secret",
    ENCRYPTION_KEY,
    ...extra,
  };
}

async function startApp(extra: Record<string, string> = {}) {
  const port = await freePort();
  const child = spawnBuilt("build/server/app.js", productionEnv({ PORT: String(port), ...extra }));
  await child.waitFor(/Covera app listening/);
  return { child, port };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function request(port: number, options: { host: string; path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: { host: `${options.host}:${port}`, ...options.headers },
        agent: false,
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("the production app process", () => {
  let app: { child: Child; port: number };
  let metricsPort: number;
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  let user: { id: string; email: string };
  // `__Host-covera_session=…` in production.
  let session = "";

  beforeAll(async () => {
    metricsPort = await freePort();
    app = await startApp({ METRICS_PORT: String(metricsPort) });
    tenant = await createTenant();
    user = await createUser(tenant.id);
    const login = await request(app.port, {
      host: `${tenant.slug}.localhost`,
      path: "/login",
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: `http://${tenant.slug}.localhost:${app.port}` },
      body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(),
    });
    expect(login.status).toBe(302);
    session = /(?:__Host-)?covera_session=[^;]+/.exec(String(login.headers["set-cookie"]))![0];
  });

  afterAll(() => {
    if (app?.child.process.exitCode === null) app.child.process.kill("SIGKILL");
  });

  it("writes one JSON access line per request: request id, agency, user, route, status, duration, bytes", async () => {
    const res = await request(app.port, {
      host: `${tenant.slug}.localhost`,
      path: "/products?sort=price_asc",
      headers: { "x-request-id": "ops-access-line-0001", cookie: session },
    });
    expect(res.status).toBe(200);
    expect(res.headers["x-request-id"]).toBe("ops-access-line-0001");
    // An id that is not sane (too short, odd characters) is replaced by one of ours.
    const odd = await request(app.port, { host: `${tenant.slug}.localhost`, path: "/", headers: { "x-request-id": "<x>" } });
    expect(odd.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

    await app.child.waitFor(/ops-access-line-0001/);
    const line = jsonLines(app.child.output()).find((l) => l.requestId === "ops-access-line-0001" && l.msg === "request");
    expect(line).toMatchObject({
      level: "info",
      method: "GET",
      route: "routes/products._index",
      status: 200,
      tenant: tenant.slug,
      tenantId: tenant.id,
      userId: user.id,
    });
    expect(line!.durationMs).toEqual(expect.any(Number));
    expect(line!.bytes).toBeGreaterThan(1000);
    // Never the path (a signed link or a token may be in it), never personal data or secrets.
    const output = app.child.output();
    for (const secret of [user.email, TEST_PASSWORD, session.split("=")[1]!, "price_asc"]) expect(output).not.toContain(secret);
  });

  it("serves metrics per route on METRICS_PORT, and not on the public port", async () => {
    await request(app.port, { host: `${tenant.slug}.localhost`, path: "/products" });
    const metrics = await request(metricsPort, { host: "localhost", path: "/metrics" });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/covera_http_requests_total\{method="GET",route="routes\/products\._index",status="200"\} [1-9]/);
    expect(metrics.text).toMatch(/covera_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="routes\/products\._index"\}/);
    expect(metrics.text).toContain("process_cpu_seconds_total");
    expect(metrics.text).not.toContain(tenant.slug);
    const publicly = await request(app.port, { host: `${tenant.slug}.localhost`, path: "/metrics" });
    expect(publicly.status).toBe(404);
    expect(publicly.text).not.toContain("covera_http_requests_total");
  });

  it("on SIGTERM finishes the request in flight, takes no new one and exits 0", async () => {
    const body = new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString();
    const half = Math.floor(body.length / 2);
    // A slow client: the request is in flight while its body arrives.
    let answered = false;
    const inFlight = new Promise<Answer>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: app.port,
          method: "POST",
          path: "/login",
          agent: new http.Agent({ keepAlive: true }),
          headers: {
            host: `${tenant.slug}.localhost:${app.port}`,
            origin: `http://${tenant.slug}.localhost:${app.port}`,
            "content-type": "application/x-www-form-urlencoded",
            "content-length": String(body.length),
          },
        },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => {
            answered = true;
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
          });
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, half));
      setTimeout(() => {
        app.child.process.kill("SIGTERM");
        app.child
          .waitFor(/"app: shutting down"/)
          .then(async () => {
            // Shutting down: new connections are refused (as soon as the listener closes), while
            // the request in flight still waits for the rest of its body.
            for (let tries = 0; await connects(app.port); tries++) {
              if (tries > 50) throw new Error("the app still accepts connections");
              await new Promise((r) => setTimeout(r, 20));
            }
            expect(answered).toBe(false);
            expect(app.child.process.exitCode).toBeNull();
            req.end(body.slice(half));
          })
          .catch(reject);
      }, 200);
    });
    const res = await inFlight;
    expect(res.status).toBe(302);
    expect(String(res.headers["set-cookie"])).toContain("__Host-covera_session=");
    await expect(app.child.exited).resolves.toEqual({ code: 0, signal: null });
    expect(app.child.output()).toContain('"app: stopped"');
  });
});

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

describe("health checks", () => {
  it("keep the app alive without its database, and say why it is not ready", async () => {
    // A runtime role URL where nothing listens: the database is down for this process.
    const nowhere = `postgres://covera_app:x@127.0.0.1:${await freePort()}/covera`;
    const app = await startApp({ APP_DATABASE_URL: nowhere });
    try {
      const live = await request(app.port, { host: "localhost", path: "/healthz" });
      expect(live.status).toBe(200);
      expect(JSON.parse(live.text)).toEqual({ status: "ok" });
      const ready = await request(app.port, { host: "localhost", path: "/readyz" });
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toEqual({ status: "error", reason: "database_unreachable", checks: { database: "unreachable" } });
      expect(ready.headers["cache-control"]).toBe("no-store");
    } finally {
      app.child.process.kill("SIGTERM");
      await expect(app.child.exited).resolves.toEqual({ code: 0, signal: null });
    }
  });
});

describe("the production worker process", () => {
  it("serves its queue metrics and stops cleanly on SIGTERM", async () => {
    const metricsPort = await freePort();
    // NODE_ENV=test: the files it might write go where the suite's worker writes them.
    const worker = spawnBuilt(
      "build/server/worker.js",
      productionEnv({ NODE_ENV: "test", LOG_LEVEL: "info", METRICS_PORT: String(metricsPort) }),
    );
    try {
      await worker.waitFor(/Covera worker started/);
      const metrics = await request(metricsPort, { host: "localhost", path: "/metrics" });
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain("# TYPE covera_job_queue_jobs gauge");
      expect(metrics.text).toContain("# TYPE covera_webhook_backlog_events gauge");
      expect(metrics.text).toContain("# TYPE covera_jobs_failed_total counter");
      worker.process.kill("SIGTERM");
      await expect(worker.exited).resolves.toEqual({ code: 0, signal: null });
      expect(worker.output()).toContain("worker: stopped");
    } finally {
      if (worker.process.exitCode === null) worker.process.kill("SIGKILL");
    }
  });
});
