import type { Server } from "node:http";
import { flushErrorReports, reportError } from "~/lib/error-reporting.server";
import { logger } from "~/lib/log.server";

/**
 * Graceful shutdown (docs/decisions/013-observability.md). Fly sends SIGTERM, waits `kill_timeout`
 * (fly.toml: 30 s), then kills. We stop accepting, let what is in flight finish within DEADLINE_MS,
 * close what we opened, and exit 0; a second signal, or a failure while stopping, exits at once.
 */
export const DEADLINE_MS = 25_000;

/**
 * Stops `server` accepting connections and resolves once every in-flight request has been
 * answered. Keep-alive connections are closed as soon as they fall idle; at the deadline, every
 * connection still open is cut.
 */
export function drainHttpServer(server: Server, deadlineMs = DEADLINE_MS): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => {
      clearInterval(idle);
      clearTimeout(deadline);
      resolve();
    });
    // A connection that just answered its last request is idle until the client sends another.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      logger.warn({ deadlineMs }, "shutdown: requests still running at the deadline were cut");
      server.closeAllConnections();
    }, deadlineMs);
    server.closeIdleConnections();
  });
}

/** Runs `stop` on SIGTERM or SIGINT, then exits 0 (1 if stopping failed). Also the last-resort error handlers. */
export function onShutdown(name: string, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, `${name}: second signal, exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, `${name}: shutting down`);
    stop()
      .then(async () => {
        await flushErrorReports();
        logger.info(`${name}: stopped`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, `${name}: shutdown failed`);
        process.exit(1);
      });
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  const crash = (error: unknown) => {
    logger.fatal({ err: error }, `${name}: crashed`);
    reportError(error, { handled: "no" });
    void flushErrorReports().finally(() => process.exit(1));
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
}
