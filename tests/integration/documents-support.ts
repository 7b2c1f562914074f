import http from "node:http";
import type { Browser } from "../support/http";

/** Links to stored files in a page (`/files/<token>`). */
export const linksIn = (html: string) => [...html.matchAll(/href="(\/files\/[A-Za-z0-9_.-]+)"/g)].map((m) => m[1]!);

/** A GET whose body is bytes (a PDF, a ZIP), with the browser's cookies; the test Browser reads text. */
export function getBytes(browser: Browser, path: string): Promise<{ status: number; type: string; location?: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: browser.port,
        path,
        method: "GET",
        headers: { host: `${browser.host}:${browser.port}`, cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers["content-type"] ?? ""),
            location: res.headers.location,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}
