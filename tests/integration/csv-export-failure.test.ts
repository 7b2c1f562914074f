import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { csvResponse, csvStream, type CsvCursor } from "~/lib/csv.server";
import { logger } from "~/lib/log.server";
import { createApp } from "../../server/app";

/**
 * A CSV export that fails after its first bytes went out (a batch's query fails midway) must reach
 * the client as a broken transfer, never as a file that ends cleanly and looks complete; and the
 * failure is logged. The real HTTP server (server/app.ts, compression included) serves a one-route
 * build whose export fails on its second batch.
 */

const HEADER = "Name,Amount\r\n";
const FIRST = "Amina,100\r\n";

function failingExport() {
  return csvResponse(
    csvStream(HEADER, async (cursor: CsvCursor | null) => {
      if (!cursor) return { lines: FIRST.repeat(2000), next: { at: "2026-01-01 00:00:00", id: "a" } };
      // The next batch's query fails a moment later, when the first rows are on their way.
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new Error("the database went away");
    }),
    "export.csv",
  );
}

const build = {
  mode: "production",
  entry: { module: { default: () => new Response("no documents here", { status: 404 }) } },
  routes: {
    root: { id: "root", path: "", module: { default: () => null } },
    "routes/export": { id: "routes/export", parentId: "root", path: "export.csv", module: { loader: failingExport } },
  },
  assets: { entry: { imports: [], module: "" }, routes: {}, url: "", version: "test" },
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  future: {},
  isSpaMode: false,
} as unknown as ServerBuild;

let server: http.Server;
let port: number;

beforeAll(async () => {
  server = await new Promise((resolve) => {
    const s = createApp(build).listen(0, "127.0.0.1", () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function download(headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: Buffer; complete: boolean; encoding?: string }>((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/export.csv", headers: { host: "export.localhost", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
          complete: res.complete,
          encoding: res.headers["content-encoding"],
        });
      };
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", done);
      res.on("error", done);
      res.on("close", done);
    });
    req.on("error", reject);
  });
}

describe("a CSV export that fails midway", () => {
  it("is cut off (no clean end of the chunked body), after the rows already sent, and logged", async () => {
    const logged = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    try {
      const res = await download();
      expect(res.status).toBe(200);
      expect(res.body.toString("utf8")).toContain(`\uFEFF${HEADER}${FIRST}`);
      expect(res.complete).toBe(false);
      expect(logged.mock.calls.some((call) => String(call[1]).includes("A CSV export failed"))).toBe(true);
    } finally {
      logged.mockRestore();
    }
  });

  it("is cut off when compressed too: the gzip stream never ends", async () => {
    const logged = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    try {
      const res = await download({ "accept-encoding": "gzip" });
      expect(res.status).toBe(200);
      expect(res.encoding).toBe("gzip");
      expect(res.complete).toBe(false);
      // What arrived does not inflate to a finished file.
      expect(() => zlib.gunzipSync(res.body)).toThrow();
    } finally {
      logged.mockRestore();
    }
  });
});
