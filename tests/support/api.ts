import http from "node:http";
import { inject } from "vitest";
import { Browser, type HttpResponse } from "./http";

/**
 * A mobile app's view of /api/v1: JSON in and out, a bearer token, never a cookie (the jar is
 * checked empty by the tests that care). `json` is the answer's body parsed.
 */
export interface ApiResponse extends HttpResponse {
  json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are read field by field
}

export class ApiClient {
  readonly browser: Browser;
  token: string | null = null;

  constructor(readonly host: string) {
    this.browser = new Browser(host);
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return { accept: "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  private async parsed(response: HttpResponse): Promise<ApiResponse> {
    let json: ApiResponse["json"] = {};
    try {
      json = response.text ? (JSON.parse(response.text) as ApiResponse["json"]) : {};
    } catch {
      json = {};
    }
    return { ...response, json };
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.parsed(await this.browser.get(`/api/v1${path}`, this.headers(headers)));
  }

  async post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return this.parsed(
      await this.browser.send(
        "POST",
        `/api/v1${path}`,
        text,
        this.headers(text ? { "content-type": "application/json", ...headers } : headers),
      ),
    );
  }

  async delete(path: string): Promise<ApiResponse> {
    return this.parsed(await this.browser.send("DELETE", `/api/v1${path}`, undefined, this.headers({})));
  }

  /** A download link from an answer, fetched as the app's download manager would: no credentials, raw bytes. */
  download(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    const { pathname, search } = new URL(url);
    const port = inject("appPort");
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port, method: "GET", path: `${pathname}${search}`, headers: { host: `${this.host}:${port}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        },
      );
      req.on("error", reject);
      req.end();
    });
  }
}
