// Bundles the process entry points (app server, worker, migrate, seed) for production. Packages
// stay external (installed by `npm ci --omit=dev`); our own code and tsconfig paths are inlined.
import { build } from "esbuild";

await build({
  entryPoints: ["server/app.ts", "server/worker.ts", "server/migrate.ts", "server/seed.ts"],
  outdir: "build/server",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
console.log("Built build/server/{app,worker,migrate,seed}.js");
