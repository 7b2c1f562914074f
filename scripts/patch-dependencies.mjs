// Run after every `npm install` / `npm ci` (the `postinstall` script), in development, CI and the
// production image alike. It makes Remix v2's server-side route matching work once per build
// instead of on every request; docs/decisions/017-storefront-speed.md says why and what it costs.
//
// Each edit names the exact installed version and the exact text it replaces. An edit already
// applied is skipped; anything else (another version, text not found exactly once) stops the
// install with a message, so an upgrade can never drop a patch silently or patch the wrong code.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const MARK = "/* covera-patch */";

const patches = [
  {
    // Every request matched the URL by flattening and ranking all ~100 routes again and
    // compiling a RegExp per route tried (React Router 7 later cached both upstream).
    pkg: "@remix-run/router",
    version: "1.23.3",
    file: "dist/router.cjs.js",
    edits: [
      {
        find: `  let branches = flattenRoutes(routes);
  rankRouteBranches(branches);
  let matches = null;
  let decoded = decodePath(pathname);`,
        // Route arrays are built once per server build and never mutated on the server. Only the
        // branches that could match the URL's first segment are tried, still in rank order.
        replace: `  ${MARK}
  let decoded = decodePath(pathname);
  let branches = candidateBranches(routes, decoded);
  let matches = null;`,
      },
      {
        find: `function compilePath(path, caseSensitive, end) {
  if (caseSensitive === void 0) {`,
        // Route paths are a small fixed set, so the cache is bounded by the app's routes.
        replace: `${MARK}
const branchIndexes = new WeakMap();
const firstSegment = (path) => path.split("/").find(Boolean)?.toLowerCase() ?? "";
// A branch whose path starts with a fixed word can only match a URL that starts with that word;
// a dynamic, optional or splat first segment (or none) may match anything.
function candidateBranches(routes, pathname) {
  let index = branchIndexes.get(routes);
  if (!index) {
    let ranked = flattenRoutes(routes);
    rankRouteBranches(ranked);
    let isOpen = (branch) => { let first = firstSegment(branch.path); return first === "" || /[:*?]/.test(first); };
    let open = ranked.filter(isOpen);
    let byWord = new Map();
    for (let branch of ranked) if (!isOpen(branch)) byWord.set(firstSegment(branch.path), null);
    for (let word of byWord.keys()) byWord.set(word, ranked.filter((b) => isOpen(b) || firstSegment(b.path) === word));
    index = { open, byWord };
    branchIndexes.set(routes, index);
  }
  return index.byWord.get(firstSegment(pathname)) ?? index.open;
}
const compiledPaths = new Map();
function compilePath(path, caseSensitive, end) {
  const variant = (caseSensitive ? 2 : 0) + (end === false ? 1 : 0);
  let variants = compiledPaths.get(path);
  if (!variants) {
    if (compiledPaths.size >= 5000) compiledPaths.clear();
    compiledPaths.set(path, (variants = []));
  }
  return variants[variant] ??= compilePathUncached(path, caseSensitive, end);
}
function compilePathUncached(path, caseSensitive, end) {
  if (caseSensitive === void 0) {`,
      },
    ],
  },
  {
    // The render built the whole route tree from the manifest again for every page.
    pkg: "@remix-run/react",
    version: "2.17.5",
    file: "dist/server.js",
    edits: [
      {
        find: `  let routes$1 = routes.createServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);`,
        replace: `  ${MARK}
  let routes$1 = serverRoutesByManifest.get(manifest.routes);
  if (!routes$1) {
    routes$1 = routes.createServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);
    serverRoutesByManifest.set(manifest.routes, routes$1);
  }`,
      },
      {
        find: `function RemixServer({`,
        replace: `${MARK}
const serverRoutesByManifest = new WeakMap();
function RemixServer({`,
      },
    ],
  },
  {
    // …and converted that tree into data routes again, which defeated the branch cache above.
    pkg: "react-router-dom",
    version: "6.30.4",
    file: "server.js",
    edits: [
      {
        find: `function createStaticRouter(routes, context, opts = {}) {
  let manifest = {};
  let dataRoutes = router.UNSAFE_convertRoutesToDataRoutes(routes, reactRouter.UNSAFE_mapRouteProperties, undefined, manifest);`,
        replace: `${MARK}
const dataRoutesByRoutes = new WeakMap();
function createStaticRouter(routes, context, opts = {}) {
  let converted = dataRoutesByRoutes.get(routes);
  if (!converted) {
    let manifest = {};
    converted = { manifest, dataRoutes: router.UNSAFE_convertRoutesToDataRoutes(routes, reactRouter.UNSAFE_mapRouteProperties, undefined, manifest) };
    dataRoutesByRoutes.set(routes, converted);
  }
  let { manifest, dataRoutes } = converted;`,
      },
    ],
  },
];

const require = createRequire(import.meta.url);
const problems = [];
let applied = 0;
for (const patch of patches) {
  let root;
  try {
    root = path.dirname(require.resolve(`${patch.pkg}/package.json`));
  } catch {
    continue; // Not installed here (e.g. a partial install): nothing to patch.
  }
  const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const file = path.join(root, patch.file);
  let text = readFileSync(file, "utf8");
  let changed = false;
  for (const edit of patch.edits) {
    if (text.includes(edit.replace)) continue;
    if (version !== patch.version) {
      problems.push(`${patch.pkg} is ${version}; the patch was written for ${patch.version}`);
      break;
    }
    const at = text.indexOf(edit.find);
    if (at < 0 || text.indexOf(edit.find, at + 1) >= 0) {
      problems.push(`${patch.pkg}/${patch.file}: the text to patch is not there exactly once`);
      break;
    }
    text = text.slice(0, at) + edit.replace + text.slice(at + edit.find.length);
    changed = true;
  }
  if (changed) {
    writeFileSync(file, text);
    applied++;
  }
}
if (problems.length) {
  console.error(`scripts/patch-dependencies.mjs could not patch:\n  ${problems.join("\n  ")}`);
  console.error("Update the patch for the new version (or drop it if the package now does this itself).");
  process.exit(1);
}
if (applied) console.log(`Patched ${applied} package(s) for route matching once per build (docs/decisions/017-storefront-speed.md).`);
