import type { Client } from "@sentry/core";
import { env } from "./env.server";
import { workContext } from "./log.server";
import { NO_PERSONAL_DATA, scrubEvent } from "./scrub";

/**
 * Errors to Sentry, only when SENTRY_DSN is set: without it nothing of Sentry is even imported
 * (docs/decisions/013-observability.md). Reports are tagged with the tenant, the user id, the
 * request or job they happened in; they never carry personal data: no request bodies, cookies,
 * headers or query values, no user but an id, and error messages scrubbed of emails and numbers.
 *
 * Built on @sentry/core's server client with a fetch transport rather than @sentry/node, which
 * brings OpenTelemetry and instruments every request (about 60 MB, and work on the hot path).
 */

type Core = typeof import("@sentry/core");

// The Remix server bundle and the process entry points each carry a copy of this module.
const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for("covera.sentry")] ??= {}) as {
  core?: Core;
  client?: Client;
  component?: string;
};

/** Starts reporting if SENTRY_DSN is set. `component` tags which process sent it: app or worker. */
export async function startErrorReporting(component: "app" | "worker"): Promise<boolean> {
  const { SENTRY_DSN, SENTRY_ENVIRONMENT, NODE_ENV } = env();
  if (!SENTRY_DSN || shared.client) return Boolean(shared.client);
  const core = await import("@sentry/core");
  const server = await import("@sentry/core/server");
  const client = new server.ServerRuntimeClient({
    dsn: SENTRY_DSN,
    environment: SENTRY_ENVIRONMENT ?? NODE_ENV,
    release: process.env.FLY_IMAGE_REF,
    dataCollection: NO_PERSONAL_DATA,
    platform: "node",
    runtime: { name: "node", version: process.version },
    serverName: process.env.FLY_MACHINE_ID,
    integrations: [core.dedupeIntegration(), core.linkedErrorsIntegration(), core.eventFiltersIntegration()],
    stackParser: core.createStackParser(server.nodeStackLineParser()),
    transport: (options) =>
      core.createTransport(options, async (request) => {
        const response = await fetch(options.url, { method: "POST", body: request.body as BodyInit, headers: options.headers });
        return {
          statusCode: response.status,
          headers: {
            "x-sentry-rate-limits": response.headers.get("x-sentry-rate-limits"),
            "retry-after": response.headers.get("retry-after"),
          },
        };
      }),
    beforeSend: scrubEvent,
  });
  core.setCurrentClient(client);
  client.init();
  shared.core = core;
  shared.client = client;
  shared.component = component;
  return true;
}

/** Reports an error with the current request's or job's tags. A no-op without SENTRY_DSN. */
export function reportError(error: unknown, tags: Record<string, string | undefined> = {}): void {
  const { core, client } = shared;
  if (!core || !client) return;
  const log = workContext()?.log ?? {};
  const scope = new core.Scope();
  scope.setTags({
    component: shared.component,
    tenant: log.tenant,
    tenant_id: log.tenantId,
    request_id: log.requestId,
    job_id: log.jobId,
    task: log.task,
    route: workContext()?.route,
    ...tags,
  });
  if (log.userId) scope.setUser({ id: log.userId });
  client.captureException(error, undefined, scope);
}

/** Sends what is queued (at shutdown), waiting at most `timeoutMs`. */
export async function flushErrorReports(timeoutMs = 2000): Promise<void> {
  await shared.client?.flush(timeoutMs);
}
