import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";
import { closeDb } from "~db/client";
import { env } from "~/lib/env.server";
import { reportError, startErrorReporting } from "~/lib/error-reporting.server";
import { CLIENT_IP_HEADER, clientErrorStatus, hasEncodedNul, isCrossOriginWrite } from "~/lib/http";
import { logger } from "~/lib/log.server";
import { markDraining } from "~/lib/readiness.server";
import { contentSecurityPolicy } from "./csp";
import { serveMetrics } from "./metrics";
import { instrumentBuild, requestContext } from "./observability";
import { pageCache } from "./page-cache";
import { drainHttpServer, onShutdown } from "./shutdown";

/** The HTTP server: static files, request context, security headers, CSRF origin check, then Remix. */
export function createApp(build: ServerBuild) {
  const production = env().NODE_ENV === "production";
  const csp = contentSecurityPolicy({ sentryDsn: env().SENTRY_DSN });
  const app = express();
  app.disable("x-powered-by");
  // Behind Fly's proxy the client address is in X-Forwarded-For (one hop).
  app.set("trust proxy", production ? 1 : false);
  // Build assets never change under their name, so a browser fetches each once: compress them well.
  app.use("/build", compression(), express.static("public/build", { immutable: true, maxAge: "1y" }));
  // Pages are compressed on every request: a light level costs a third of the CPU of the default
  // for a few percent more bytes (the 52 KB listing: 8.8 KB instead of 8.3 KB).
  app.use(compression({ level: 3, brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 3 } } }));
  // Only a path that names a file (favicon.svg, a tenant's logo) can be one: pages skip the disk.
  const publicFiles = express.static("public", { maxAge: "1h" });
  app.use((req, res, next) => (/\.[A-Za-z0-9]+$/.test(req.path) ? publicFiles(req, res, next) : next()));
  app.use(requestContext());

  app.use((req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    // The JSON API refuses a NUL itself, in its error shape and naming the parameter (decision 045).
    if (hasEncodedNul(req.originalUrl) && !req.path.startsWith("/api/v1/")) {
      res.status(400).type("text/plain").send("This address has a NUL character (%00) in it, so it was refused.");
      return;
    }
    const nonce = csp.nonce();
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", csp.header(nonce));
    const origin = req.get("origin");
    // The JSON API answers other sites itself: bearer tokens are not sent by browsers on their own,
    // a cookie counts there only from the same site, and CORS is per tenant (decision 045).
    const api = req.path.startsWith("/api/v1/");
    if (!api && isCrossOriginWrite(req.method, { origin, host: req.get("host"), secFetchSite: req.get("sec-fetch-site") })) {
      res.status(403).type("text/plain").send("This form was sent from another site, so it was refused.");
      return;
    }
    // A response sent before the body was read (a refused upload, a 403 on a large POST) must
    // not leave the rest of the body on a keep-alive connection, where the next request waits.
    res.on("finish", () => {
      if (!req.complete) req.resume();
    });
    // Whatever the client sent in this header is replaced by the address we saw.
    req.headers[CLIENT_IP_HEADER] = req.ip ?? "";
    next();
  });

  app.use(pageCache({ seconds: env().PAGE_CACHE_SECONDS, nonceOf: (res) => res.locals.cspNonce as string | undefined }));
  app.all(
    "*",
    createRequestHandler({
      build: instrumentBuild(build),
      mode: build.mode,
      getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
    }),
  );
  // Anything that escaped Remix (it catches its own): logged and reported, never a stack trace.
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    // Express's own 4xx (an address whose percent-encoding is not UTF-8: "/files/%FF") is the client's.
    const status = clientErrorStatus(error);
    if (status) {
      res.status(status).type("text/plain").send("This address could not be read, so it was refused.");
      return;
    }
    logger.error({ err: error }, "request failed outside Remix");
    reportError(error);
    res.status(500).type("text/plain").send("Something went wrong on our side. Please try again.");
  });
  return app;
}

export async function loadBuild(): Promise<ServerBuild> {
  const buildPath = path.resolve("build/index.js");
  return (await import(pathToFileURL(buildPath).href)) as ServerBuild;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await startErrorReporting("app");
  const build = await loadBuild();
  const { PORT, METRICS_PORT } = env();
  const server = createApp(build).listen(PORT, () => {
    logger.info({ port: PORT }, `Covera app listening on http://localhost:${PORT}`);
    if (build.mode === "development") void broadcastDevReady(build);
  });
  const metrics = METRICS_PORT ? await serveMetrics(METRICS_PORT) : undefined;
  onShutdown("app", async () => {
    markDraining();
    await drainHttpServer(server);
    if (metrics) await drainHttpServer(metrics, 1000);
    await closeDb();
  });
}
