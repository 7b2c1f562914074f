import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import morgan from "morgan";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { env } from "~/lib/env.server";
import { CLIENT_IP_HEADER, isCrossOriginWrite } from "~/lib/http";
import { pageCache } from "./page-cache";

/** The HTTP server: static files, security headers, CSRF origin check, then Remix. */
export function createApp(build: ServerBuild, options: { logRequests?: boolean } = {}) {
  const production = env().NODE_ENV === "production";
  const app = express();
  app.disable("x-powered-by");
  // Behind Fly's proxy the client address is in X-Forwarded-For (one hop).
  app.set("trust proxy", production ? 1 : false);
  app.use(compression());
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  // Only a path that names a file (favicon.svg, a tenant's logo) can be one: pages skip the disk.
  const publicFiles = express.static("public", { maxAge: "1h" });
  app.use((req, res, next) => (/\.[A-Za-z0-9]+$/.test(req.path) ? publicFiles(req, res, next) : next()));
  if (options.logRequests ?? true) app.use(morgan(production ? "combined" : "dev"));

  app.use((req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    const origin = req.get("origin");
    if (isCrossOriginWrite(req.method, { origin, host: req.get("host"), secFetchSite: req.get("sec-fetch-site") })) {
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

  app.use(pageCache({ seconds: env().PAGE_CACHE_SECONDS }));
  app.all("*", createRequestHandler({ build, mode: build.mode }));
  return app;
}

export async function loadBuild(): Promise<ServerBuild> {
  const buildPath = path.resolve("build/index.js");
  return (await import(pathToFileURL(buildPath).href)) as ServerBuild;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const build = await loadBuild();
  const port = env().PORT;
  createApp(build).listen(port, () => {
    console.log(`Covera app listening on http://localhost:${port}`);
    if (build.mode === "development") void broadcastDevReady(build);
  });
}
