import http from "node:http";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from "prom-client";
import { logger } from "~/lib/log.server";

/**
 * Prometheus metrics for operators (docs/decisions/013-observability.md), served on METRICS_PORT,
 * a listener of its own that the public cannot reach (Fly scrapes it over its private network).
 * The app process counts requests per Remix route id (never the raw URL: bounded cardinality);
 * the worker process counts jobs and reads the queue and the webhook backlog from the database.
 */

// One registry per process, even when this module is loaded twice (see app/lib/log.server.ts).
const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for("covera.metrics")] ??= {
  registry: new Registry(),
  defaults: false,
}) as { registry: Registry; defaults: boolean; readQueue?: () => Promise<QueueReadings> };
export const registry = shared.registry;

function metric<T extends Metric>(name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

const registers = [registry];

export const httpRequests = metric(
  "covera_http_requests_total",
  () =>
    new Counter({
      name: "covera_http_requests_total",
      help: "HTTP requests answered, by route id and status",
      labelNames: ["method", "route", "status"],
      registers,
    }),
);

export const httpDuration = metric(
  "covera_http_request_duration_seconds",
  () =>
    new Histogram({
      name: "covera_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by route id",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
);

export const jobRuns = metric(
  "covera_jobs_total",
  () =>
    new Counter({
      name: "covera_jobs_total",
      help: "Job attempts finished, by task and outcome (success, error)",
      labelNames: ["task", "outcome"],
      registers,
    }),
);

export const jobsFailed = metric(
  "covera_jobs_failed_total",
  () =>
    new Counter({
      name: "covera_jobs_failed_total",
      help: "Jobs that failed their last attempt, by task",
      labelNames: ["task"],
      registers,
    }),
);

export const jobDuration = metric(
  "covera_job_duration_seconds",
  () =>
    new Histogram({
      name: "covera_job_duration_seconds",
      help: "Time a job attempt ran, by task",
      labelNames: ["task"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    }),
);

/** Gauges read from the database at each scrape, by the process that has a reader for them. */
export interface QueueReadings {
  jobs: { task: string; state: string; count: number }[];
  webhookBacklog: { provider: string; count: number; oldestSeconds: number }[];
}

/**
 * The worker gives the reader (it holds the owner connection that can see the queue), and takes
 * it back when it stops; the gauges exist only in a process that has had one.
 */
export function setQueueReader(read: (() => Promise<QueueReadings>) | undefined): void {
  shared.readQueue = read;
  if (!read || registry.getSingleMetric("covera_job_queue_jobs")) return;
  let pending: Promise<QueueReadings | undefined> | undefined;
  // The three gauges share one read per scrape.
  const reading = () =>
    (pending ??= (shared.readQueue?.() ?? Promise.resolve(undefined))
      .catch((error: unknown) => {
        logger.warn({ err: error }, "metrics: could not read the job queue");
        return undefined;
      })
      .finally(() => setImmediate(() => (pending = undefined))));
  new Gauge({
    name: "covera_job_queue_jobs",
    help: "Jobs in the queue by task and state: ready, scheduled (later), retrying, running, failed (no attempts left)",
    labelNames: ["task", "state"],
    registers,
    async collect() {
      this.reset();
      for (const row of (await reading())?.jobs ?? []) this.set({ task: row.task, state: row.state }, row.count);
    },
  });
  new Gauge({
    name: "covera_webhook_backlog_events",
    help: "Stored payment-provider events not processed yet, by provider",
    labelNames: ["provider"],
    registers,
    async collect() {
      this.reset();
      for (const row of (await reading())?.webhookBacklog ?? []) this.set({ provider: row.provider }, row.count);
    },
  });
  new Gauge({
    name: "covera_webhook_backlog_oldest_seconds",
    help: "Age of the oldest stored payment-provider event not processed yet, by provider",
    labelNames: ["provider"],
    registers,
    async collect() {
      this.reset();
      for (const row of (await reading())?.webhookBacklog ?? []) this.set({ provider: row.provider }, row.oldestSeconds);
    },
  });
}

/** The metrics listener: GET /metrics, nothing else. Also starts Node's process metrics. */
export function serveMetrics(port: number): Promise<http.Server> {
  if (!shared.defaults) {
    collectDefaultMetrics({ register: registry });
    shared.defaults = true;
  }
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "Content-Type": registry.contentType }).end(text),
      (error: unknown) => {
        logger.error({ err: error }, "metrics: scrape failed");
        res.writeHead(500).end();
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // All interfaces: Fly scrapes over its private IPv6 network; the public proxy only knows PORT.
    server.listen(port, () => {
      logger.info({ port }, "metrics listening");
      resolve(server);
    });
  });
}
