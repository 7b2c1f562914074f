import http from "node:http";
import { inject } from "vitest";

/**
 * Real HTTP against the app under test, with the Host header set (Node's fetch would replace it,
 * and Node cannot resolve *.localhost here). A small cookie jar keeps one browser's session.
 */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  location?: string;
}

export class Browser {
  cookies = new Map<string, string>();
  /**
   * `port`: another app instance than the suite's shared one; `localAddress`: the client's address
   * (any of 127.0.0.0/8), so a test can be two clients on two networks.
   */
  constructor(
    public readonly host: string,
    private readonly options: { port?: number; localAddress?: string } = {},
  ) {}

  get port(): number {
    return this.options.port ?? inject("appPort");
  }

  get origin(): string {
    return `http://${this.host}:${this.port}`;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.send("GET", path, undefined, headers);
  }

  /** A form post as a browser sends it from this host's own page. */
  post(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
    return this.send("POST", path, body.toString(), {
      "content-type": "application/x-www-form-urlencoded",
      origin: this.origin,
      ...headers,
    });
  }

  async send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const port = this.port;
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const response = await new Promise<HttpResponse>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          localAddress: this.options.localAddress,
          method,
          path,
          headers: {
            host: `${this.host}:${port}`,
            ...(cookie ? { cookie } : {}),
            ...(body ? { "content-length": Buffer.byteLength(body) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString("utf8"),
              location: res.headers.location,
            }),
          );
        },
      );
      req.on("error", reject);
      if (body) req.write(body);
      req.end();
    });
    for (const line of response.headers["set-cookie"] ?? []) {
      const [pair, ...attrs] = line.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return response;
  }
}
