import { execFileSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The routes to fuzz, read from the Remix build's route manifest (build/index.js `routes`), so a
 * route added later is fuzzed without editing the test. Read in a child process: importing the
 * build here would start the app's modules inside the test.
 */
export interface BuiltRoute {
  id: string;
  /** The full path pattern, e.g. /admin/users/:userId (a splat as *). */
  path: string;
  index: boolean;
  action: boolean;
  loader: boolean;
  /** A page (has a component) rather than a resource route. */
  page: boolean;
}

export function builtRoutes(buildFile = "build/index.js"): BuiltRoute[] {
  const url = pathToFileURL(path.resolve(buildFile)).href;
  const script = `
    const { routes } = await import(${JSON.stringify(url)});
    const full = (id) => { const r = routes[id]; if (!r.parentId) return ""; const p = full(r.parentId); return r.path ? p + "/" + r.path : p; };
    console.log(JSON.stringify(Object.values(routes).map((r) => ({
      id: r.id, path: full(r.id) || "/", index: Boolean(r.index),
      action: typeof r.module.action === "function", loader: typeof r.module.loader === "function", page: typeof r.module.default === "function",
    }))));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    env: process.env,
    maxBuffer: 16 << 20,
  });
  const routes = JSON.parse(out.trim().split("\n").pop()!) as BuiltRoute[];
  // A layout (/admin) and its index answer the same URL: a GET reaches the index, so a layout
  // without an action of its own is not a target by itself.
  const indexed = new Set(routes.filter((r) => r.index).map((r) => r.path));
  return routes
    .filter((r) => r.id !== "root" && (r.action || r.index || !indexed.has(r.path)))
    .sort((a, b) => a.path.localeCompare(b.path) || Number(b.index) - Number(a.index));
}

/** The dynamic segments of a path pattern: `:name` and the splat `*`. */
export function paramsOf(pattern: string): string[] {
  return pattern
    .split("/")
    .filter((s) => s.startsWith(":") || s === "*")
    .map((s) => (s === "*" ? "*" : s.slice(1).replace(/\..*$/, "")));
}

/** The path with each dynamic segment replaced (already URL-encoded values). */
export function fillPath(pattern: string, values: Record<string, string>): string {
  return pattern
    .split("/")
    .map((segment) => {
      if (segment === "*") return values["*"] ?? "anything";
      if (!segment.startsWith(":")) return segment;
      const [name, ...rest] = segment.slice(1).split(".");
      const suffix = rest.length ? `.${rest.join(".")}` : "";
      return `${values[name!] ?? "00000000-0000-4000-8000-000000000000"}${suffix}`;
    })
    .join("/");
}

/** A URL pattern matcher for links found in pages: /admin/users/:userId matches /admin/users/<anything without a slash>. */
export function matcherOf(pattern: string): RegExp {
  const source = pattern
    .split("/")
    .map((segment) => {
      if (segment === "*") return ".+";
      if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const [name, ...rest] = segment.slice(1).split(".");
      const suffix = rest.length ? `\\.${rest.join("\\.")}` : "";
      return `(?<${name!.replace(/[^A-Za-z0-9_]/g, "_")}>[^/?#]+)${suffix}`;
    })
    .join("/");
  return new RegExp(`^${source}$`);
}
