import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AgnosticRouteObject, matchRoutes as MatchRoutes } from "@remix-run/router";
import { describe, expect, it } from "vitest";
import { Browser } from "../support/http";

// The server loads the router's CommonJS build, the one the patch changes (a bundler would pick its ES build).
const require = createRequire(import.meta.url);
const routerFile = require.resolve("@remix-run/router");
const { matchRoutes } = require("@remix-run/router") as { matchRoutes: typeof MatchRoutes };

/**
 * scripts/patch-dependencies.mjs makes the server's route matching work once per build: cached
 * ranked branches, cached path patterns, and only the branches whose first word can match the
 * URL. These cases pin the router's own rules, so a patch that changed what matches fails here.
 */
const routes: AgnosticRouteObject[] = [
  {
    id: "root",
    path: "",
    children: [
      { id: "home", index: true },
      {
        id: "products",
        path: "products",
        children: [
          { id: "listing", index: true },
          { id: "product", path: ":slug" },
        ],
      },
      {
        id: "admin",
        path: "admin",
        children: [
          { id: "admin-home", index: true },
          { id: "admin-csv", path: "transactions.csv" },
        ],
      },
      { id: "language", path: ":lang/help" },
      { id: "optional", path: "shop?/basket" },
      { id: "files", path: "files/*" },
      { id: "not-found", path: "*" },
    ],
  },
];

const ids = (path: string) => matchRoutes(routes, path)?.map((m) => m.route.id);

describe("route matching (patched for speed)", () => {
  it("is patched in this install", () => {
    expect(routerFile).toMatch(/router\.cjs\.js$/);
    expect(readFileSync(routerFile, "utf8")).toContain("/* covera-patch */");
  });

  it("matches as the router always did", () => {
    expect(ids("/")).toEqual(["root", "home"]);
    expect(ids("/products")).toEqual(["root", "products", "listing"]);
    expect(ids("/products/")).toEqual(["root", "products", "listing"]);
    expect(ids("/PRODUCTS/Motor-Cover")).toEqual(["root", "products", "product"]);
    expect(matchRoutes(routes, "/products/motor%20cover")?.at(-1)?.params).toEqual({ slug: "motor cover" });
    expect(ids("/admin/transactions.csv")).toEqual(["root", "admin", "admin-csv"]);
    // A dynamic first segment competes with every word: `products` wins by rank, `help` needs its own.
    expect(ids("/sw/help")).toEqual(["root", "language"]);
    expect(ids("/products/help")).toEqual(["root", "products", "product"]);
    expect(ids("/basket")).toEqual(["root", "optional"]);
    expect(ids("/shop/basket")).toEqual(["root", "optional"]);
    expect(ids("/files/a/b.pdf")).toEqual(["root", "files"]);
    expect(ids("/nowhere/at/all")).toEqual(["root", "not-found"]);
    // The caches keep branches, never answers: each call gets matches of its own.
    const first = matchRoutes(routes, "/products/x")!;
    (first[0]!.params as Record<string, string>).slug = "changed";
    expect(matchRoutes(routes, "/products/x")?.at(-1)?.params).toEqual({ slug: "x" });
  });

  it("serves the app's pages by the same rules", async () => {
    const browser = new Browser("bowman.localhost");
    expect((await browser.get("/PRODUCTS")).status).toBe(200);
    expect((await browser.get("/products/no-such-product")).status).toBe(404);
    expect((await browser.get("/no-such-page")).status).toBe(404);
    expect((await browser.get("/api/v1/products")).status).toBe(200);
  });
});
