import type { Exchange } from "./types";

/**
 * The one way adapters talk HTTP to a provider: JSON in and out, a timeout on every request, and
 * an `Exchange` for the gateway log with secrets removed twice over — by key (Authorization,
 * Password, client_secret …) and by value (every credential the adapter knows is scrubbed from
 * every string, wherever it appears).
 */

export const REDACTED = "[redacted]";

const SENSITIVE_KEYS = new Set(
  [
    "authorization",
    "password",
    "passkey",
    "securitycredential",
    "access_token",
    "client_secret",
    "secret",
    "secretkey",
    "secret_key",
    "consumersecret",
    "webhooksecret",
  ].map((k) => k.toLowerCase()),
);

/** A deep copy of `value` with sensitive keys and every occurrence of `secrets` replaced. */
export function redact(value: unknown, secrets: readonly string[]): unknown {
  // Short strings would blank out ordinary text; credentials are never this short.
  const scrub = secrets.filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return scrub.reduce((s, secret) => s.split(secret).join(REDACTED), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, redactField(k, inner, walk)]));
    }
    return v;
  };
  return walk(value);
}

function redactField(key: string, value: unknown, walk: (v: unknown) => unknown): unknown {
  const name = key.toLowerCase();
  if (!SENSITIVE_KEYS.has(name) || value == null) return walk(value);
  // "Bearer [redacted]" still tells the reader which scheme was used.
  const scheme = name === "authorization" && typeof value === "string" ? /^(Basic|Bearer)\s/i.exec(value)?.[1] : undefined;
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

export interface HttpCall {
  method: "GET" | "POST" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead of JSON (OAuth token endpoints). */
  form?: Record<string, string>;
}

export type HttpOutcome =
  | { kind: "response"; status: number; body: unknown; exchange: Exchange }
  /**
   * `maybeSent`: false when the connection was never made (the name did not resolve, the host
   * refused it), so the provider cannot have acted; true when the request may have reached it
   * (a timeout, a connection cut mid-way). Payouts need the difference (decision 025).
   */
  | { kind: "network_error"; error: string; maybeSent: boolean; exchange: Exchange };

/** Errors raised before a single byte reached the provider. */
const NOT_CONNECTED = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

function neverConnected(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === "string" && NOT_CONNECTED.has(cause.code);
}

export interface HttpOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Values to scrub from the exchange (keys, secrets, tokens, derived passwords). */
  secrets: readonly string[];
}

const MAX_LOGGED_TEXT = 4000;

export async function callProvider(call: HttpCall, options: HttpOptions): Promise<HttpOutcome> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const headers: Record<string, string> = { accept: "application/json", ...call.headers };
  if (call.body !== undefined) headers["content-type"] = "application/json";
  if (call.form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
  const logged = call.form ?? call.body;
  const request: Exchange["request"] = {
    method: call.method,
    url: call.url,
    headers: redact(headers, options.secrets) as Record<string, string>,
    ...(logged !== undefined ? { body: redact(logged, options.secrets) } : {}),
  };
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await doFetch(call.url, {
      method: call.method,
      headers,
      body:
        call.form !== undefined
          ? new URLSearchParams(call.form).toString()
          : call.body === undefined
            ? undefined
            : JSON.stringify(call.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const body = parseBody(text);
    return {
      kind: "response",
      status: response.status,
      body,
      exchange: { request, response: { status: response.status, body: redact(body, options.secrets) }, durationMs: elapsed() },
    };
  } catch (error) {
    const message =
      error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
        ? `timed out after ${timeoutMs} ms`
        : `network error: ${error instanceof Error ? error.message : String(error)}`;
    const scrubbed = redact(message, options.secrets) as string;
    return {
      kind: "network_error",
      error: scrubbed,
      maybeSent: !neverConnected(error),
      exchange: { request, response: { error: scrubbed }, durationMs: elapsed() },
    };
  }
}

function parseBody(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > MAX_LOGGED_TEXT ? `${text.slice(0, MAX_LOGGED_TEXT)}…` : text;
  }
}

/** A plain object, or an empty one: provider bodies are read defensively. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function str(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}
