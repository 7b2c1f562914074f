import type { NextFunction, Request, Response } from "express";
import { noteRoute, workContext } from "~/lib/log.server";

/**
 * A micro-cache for anonymous page views: the same storefront page, asked for by visitors with
 * no cookie at all, is rendered once per `seconds` per host and URL, per process. It holds no
 * state that matters: an entry is at most `seconds` old, anyone signed in (or holding a cart or
 * compare cookie) always gets a fresh page, and responses that set cookies or say `no-store` or
 * `private` are never kept. Off unless PAGE_CACHE_SECONDS is set (production sets a few seconds).
 *
 * A page carries its response's CSP nonce (docs/decisions/014-content-security-policy.md): an
 * entry keeps the page cut where the nonce was, and every hit is stamped with the nonce of its
 * own response (`nonceOf`, set earlier with the header), so no two visitors share one. The
 * request id and the policy header are per response too, never replayed from the entry.
 */
export function pageCache(options: { seconds: number; maxBytes?: number; nonceOf?: (res: Response) => string | undefined }) {
  const ttl = options.seconds * 1000;
  // Bounded by size, oldest out first: a storefront page is some tens of kilobytes.
  const maxBytes = options.maxBytes ?? 128 * 1024 * 1024;
  let bytes = 0;
  const entries = new Map<string, Entry>();
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (entry) bytes -= entry.bytes;
    entries.delete(key);
  };

  return function pageCacheMiddleware(req: Request, res: Response, next: NextFunction) {
    if (ttl <= 0 || req.method !== "GET" || req.headers.cookie || req.headers.authorization) return next();
    // The page's language follows Accept-Language for visitors without a cookie (decision 037).
    const key = `${req.hostname}\n${req.originalUrl}\n${String(req.headers["accept-language"] ?? "").slice(0, 200)}`;
    const hit = entries.get(key);
    if (hit && hit.expires > Date.now()) {
      res.status(hit.status);
      for (const [name, value] of hit.headers) res.setHeader(name, value);
      if (hit.route) noteRoute(hit.route, hit.routeDepth);
      const body = stamp(hit.parts, options.nonceOf?.(res));
      res.setHeader("X-Page-Cache", "hit");
      res.setHeader("Content-Length", body.length);
      res.end(body);
      return;
    }
    if (hit) drop(key);

    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(
        Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"),
      );
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as Response["write"];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      if (cacheable(res)) {
        const body = Buffer.concat(chunks);
        while (entries.size && bytes + body.length > maxBytes) drop(entries.keys().next().value!);
        const headers = Object.entries(res.getHeaders())
          .filter(([name]) => !PER_RESPONSE.includes(name))
          .map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : String(value)] as [string, string]);
        drop(key);
        const context = workContext();
        entries.set(key, {
          expires: Date.now() + ttl,
          status: res.statusCode,
          headers,
          parts: cut(body, options.nonceOf?.(res)),
          bytes: body.length,
          route: context?.route,
          routeDepth: context?.routeDepth ?? -1,
        });
        bytes += body.length;
      }
      return end(chunk, ...rest);
    }) as Response["end"];
    res.setHeader("X-Page-Cache", "miss");
    next();
  };
}

interface Entry {
  expires: number;
  status: number;
  headers: [string, string][];
  /** The page cut at each occurrence of its nonce. */
  parts: Buffer[];
  bytes: number;
  /** The route that rendered it, for the access log and metrics of a hit. */
  route?: string;
  routeDepth: number;
}

const PER_RESPONSE = [
  "set-cookie",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "date",
  "content-security-policy",
  "x-request-id",
];

function cut(body: Buffer, nonce: string | undefined): Buffer[] {
  if (!nonce) return [body];
  const needle = Buffer.from(nonce);
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, from)) {
    parts.push(body.subarray(from, at));
    from = at + needle.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

function stamp(parts: Buffer[], nonce: string | undefined): Buffer {
  if (parts.length === 1) return parts[0]!;
  const joint = Buffer.from(nonce ?? "");
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [joint, part])));
}

function cacheable(res: Response): boolean {
  if (res.statusCode !== 200 || res.getHeader("set-cookie")) return false;
  const control = String(res.getHeader("cache-control") ?? "");
  return !/no-store|private/i.test(control);
}
