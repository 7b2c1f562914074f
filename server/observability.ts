import { AsyncResource } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { ServerBuild } from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";
import { logger, noteRoute, runWithContext, workContext } from "~/lib/log.server";
import { httpDuration, httpRequests } from "./metrics";

/**
 * Per request: a request id (the proxy's or the client's if sane, else a new one, echoed back in
 * X-Request-Id), the context every log line carries, then one access log line and the metrics
 * when the response is done (docs/decisions/013-observability.md). Kept cheap: one uuid, one
 * closure, two metric updates, and a log line skipped by level in tests.
 */

const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

function requestIdOf(req: Request): string {
  // Fly's proxy sets Fly-Request-Id; a client or an upstream proxy may send X-Request-Id.
  for (const header of ["fly-request-id", "x-request-id"]) {
    const value = req.headers[header];
    if (typeof value === "string" && SANE_ID.test(value)) return value;
  }
  return randomUUID();
}

export function requestContext() {
  return function requestContextMiddleware(req: Request, res: Response, next: NextFunction) {
    const started = performance.now();
    const requestId = requestIdOf(req);
    res.setHeader("X-Request-Id", requestId);
    const socket = req.socket;
    const bytesBefore = socket.bytesWritten;
    runWithContext({ requestId }, () => {
      const context = workContext()!;
      // Bound to this request's context: the access line carries its request id and tenant.
      res.once(
        "close",
        AsyncResource.bind(() => {
          const seconds = (performance.now() - started) / 1000;
          // 499: the client went away before the answer was complete (nginx's convention).
          const status = res.writableFinished ? res.statusCode : 499;
          const method = METHODS.has(req.method) ? req.method : "OTHER";
          const route = context.route ?? (req.path === "/__manifest" ? "__manifest" : "unmatched");
          httpRequests.inc({ method, route, status });
          httpDuration.observe({ method, route }, seconds);
          if (logger.isLevelEnabled("info")) {
            const bytes = socket.bytesWritten - bytesBefore;
            // The path is left out on purpose: it can hold a signed link, a reset token or a code.
            logger.info({ method, route, status, durationMs: Math.round(seconds * 10_000) / 10, bytes }, "request");
          }
        }),
      );
      next();
    });
  };
}

/**
 * The build with every loader and action wrapped to note its route id in the request's context,
 * so the access log and metrics name the route (`routes/products.$slug._index`), never the URL.
 * Resource routes, data requests and actions all pass through here; document requests also get
 * their deepest match from entry.server.
 */
export function instrumentBuild(build: ServerBuild): ServerBuild {
  const depthOf = (id: string): number => {
    let depth = 0;
    for (let route = build.routes[id]; route?.parentId; route = build.routes[route.parentId]) depth += 1;
    return depth;
  };
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const depth = depthOf(id);
      const { loader, action } = route.module;
      const module = {
        ...route.module,
        ...(loader ? { loader: (args: Parameters<typeof loader>[0]) => (noteRoute(id, depth), loader(args)) } : {}),
        ...(action ? { action: (args: Parameters<typeof action>[0]) => (noteRoute(id, depth), action(args)) } : {}),
      };
      return [id, { ...route, module }];
    }),
  );
  return { ...build, routes };
}
