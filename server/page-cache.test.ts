import express from "express";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageCache } from "./page-cache";

let renders = 0;
let server: http.Server;
let port: number;

beforeAll(async () => {
  const app = express();
  app.use(pageCache({ seconds: 60 }));
  app.get("/page", (req, res) => {
    renders++;
    res.type("html").send(`<p>${req.hostname} render ${renders}</p>`);
  });
  app.get("/sets-cookie", (_req, res) => {
    renders++;
    res.cookie("compare", "x").send(`render ${renders}`);
  });
  app.get("/private", (_req, res) => {
    renders++;
    res.set("Cache-Control", "no-store").send(`render ${renders}`);
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

function get(path: string, headers: Record<string, string> = {}): Promise<{ body: string; cache?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, headers: { host: "a.localhost", ...headers } }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ body, cache: res.headers["x-page-cache"] as string | undefined }));
      })
      .on("error", reject);
  });
}

describe("the anonymous page micro-cache", () => {
  it("renders a page once for visitors without cookies, per host and URL", async () => {
    const first = await get("/page");
    const second = await get("/page");
    expect(first.cache).toBe("miss");
    expect(second).toEqual({ body: first.body, cache: "hit" });
    const otherHost = await get("/page", { host: "b.localhost" });
    expect(otherHost.body).toContain("b.localhost");
    const otherUrl = await get("/page?sort=price_asc");
    expect(otherUrl.cache).toBe("miss");
  });

  it("never serves a cached page to someone with a cookie", async () => {
    await get("/page");
    const withCookie = await get("/page", { cookie: "covera_session=abc" });
    expect(withCookie.cache).toBeUndefined();
    expect(withCookie.body).toMatch(/render \d+/);
  });

  it("never keeps responses that set cookies or say no-store", async () => {
    const a = await get("/sets-cookie");
    const b = await get("/sets-cookie");
    expect(b.body).not.toBe(a.body);
    const c = await get("/private");
    const d = await get("/private");
    expect(d.body).not.toBe(c.body);
  });
});
