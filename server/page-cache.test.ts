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
  let nonces = 0;
  // As server/app.ts: a nonce per response, set before the cache, in the header and the page.
  app.use((_req, res, next) => {
    res.locals.cspNonce = `nonce${++nonces}xyz`;
    res.setHeader("Content-Security-Policy", `script-src 'nonce-${res.locals.cspNonce as string}'`);
    res.setHeader("X-Request-Id", `request-${nonces}`);
    next();
  });
  app.use(pageCache({ seconds: 60, nonceOf: (res) => res.locals.cspNonce as string }));
  app.get("/nonced", (_req, res) => {
    renders++;
    const nonce = res.locals.cspNonce as string;
    res.type("html").send(`<script nonce="${nonce}">1</script><p>render ${renders}</p><style nonce="${nonce}"></style>`);
  });
  app.get("/page", (req, res) => {
    renders++;
    res.type("html").send(`<p>${req.hostname} render ${renders}</p>`);
  });
  // As a storefront page: its language follows Accept-Language for a visitor without a cookie (decision 037).
  app.get("/spoken", (req, res) => {
    renders++;
    const language = String(req.headers["accept-language"] ?? "").startsWith("sw") ? "sw" : "en";
    res.type("html").send(`<html lang="${language}">render ${renders}</html>`);
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

function get(path: string, headers: Record<string, string> = {}): Promise<{ body: string; cache?: string; csp?: string; id?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, headers: { host: "a.localhost", ...headers } }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () =>
          resolve({
            body,
            cache: res.headers["x-page-cache"] as string | undefined,
            csp: res.headers["content-security-policy"] as string | undefined,
            id: res.headers["x-request-id"] as string | undefined,
          }),
        );
      })
      .on("error", reject);
  });
}

describe("the anonymous page micro-cache", () => {
  it("renders a page once for visitors without cookies, per host and URL", async () => {
    const first = await get("/page");
    const second = await get("/page");
    expect(first.cache).toBe("miss");
    expect(second).toMatchObject({ body: first.body, cache: "hit" });
    const otherHost = await get("/page", { host: "b.localhost" });
    expect(otherHost.body).toContain("b.localhost");
    const otherUrl = await get("/page?sort=price_asc");
    expect(otherUrl.cache).toBe("miss");
  });

  it("keeps one page per Accept-Language: a Swahili page is never served to an English visitor, nor the reverse", async () => {
    const sw = await get("/spoken", { "accept-language": "sw-KE,sw;q=0.9" });
    const en = await get("/spoken", { "accept-language": "en-GB" });
    expect(sw.body).toContain('lang="sw"');
    expect(en).toMatchObject({ cache: "miss" });
    expect(en.body).toContain('lang="en"');
    expect(await get("/spoken", { "accept-language": "sw-KE,sw;q=0.9" })).toMatchObject({ body: sw.body, cache: "hit" });
    expect(await get("/spoken", { "accept-language": "en-GB" })).toMatchObject({ body: en.body, cache: "hit" });
  });

  it("never serves a cached page to someone with a cookie", async () => {
    await get("/page");
    const withCookie = await get("/page", { cookie: "covera_session=abc" });
    expect(withCookie.cache).toBeUndefined();
    expect(withCookie.body).toMatch(/render \d+/);
  });

  it("stamps a cached page with the nonce of the response it is served in, never the one it was rendered with", async () => {
    const first = await get("/nonced");
    const second = await get("/nonced");
    expect(second.cache).toBe("hit");
    const nonceIn = (r: { csp?: string }) => /'nonce-([^']+)'/.exec(r.csp ?? "")![1]!;
    expect(nonceIn(second)).not.toBe(nonceIn(first));
    expect(second.id).not.toBe(first.id);
    expect(second.body).toBe(first.body.replaceAll(nonceIn(first), nonceIn(second)));
    expect(second.body).not.toContain(nonceIn(first));
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
