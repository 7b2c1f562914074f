import { createHash } from "node:crypto";
import { asRecord, str, type HttpCall, type HttpOutcome } from "./exchange.server";
import type { CachedToken, Failure, TokenCache } from "./types";

/**
 * OAuth tokens of the providers that want one (Daraja, PayPal), kept in memory per credentials
 * until shortly before they expire. Losing the cache costs one token call, nothing else.
 */

class MapTokenCache implements TokenCache {
  private readonly entries = new Map<string, CachedToken>();
  get(key: string) {
    return this.entries.get(key);
  }
  set(key: string, value: CachedToken) {
    this.entries.set(key, value);
  }
  delete(key: string) {
    this.entries.delete(key);
  }
}

/** Process-wide: tokens are per credentials (the key says whose), so adapters may share it. */
export const sharedTokenCache: TokenCache = new MapTokenCache();

export function newTokenCache(): TokenCache {
  return new MapTokenCache();
}

/** Token requests in flight, per cache and key, so concurrent calls share one. */
const inflight = new WeakMap<TokenCache, Map<string, Promise<unknown>>>();

/**
 * The cached token for `key` while it is valid at `now`, else one fetched by `fetchToken` (which
 * stores it in the cache on success). Concurrent callers for the same key share one fetch.
 */
export function cachedToken<T extends { ok: boolean }>(
  cache: TokenCache,
  key: string,
  now: number,
  fetchToken: () => Promise<T>,
  fromCache: (token: string) => T,
): Promise<T> {
  const cached = cache.get(key);
  if (cached && cached.expiresAt > now) return Promise.resolve(fromCache(cached.token));
  let requests = inflight.get(cache);
  if (!requests) inflight.set(cache, (requests = new Map()));
  let pending = requests.get(key) as Promise<T> | undefined;
  if (!pending) {
    const all = requests;
    pending = fetchToken().finally(() => all.delete(key));
    requests.set(key, pending);
  }
  return pending;
}

/**
 * An OAuth2 client-credentials client (PayPal, Daraja): the token is cached per (base URL, client
 * id, secret hash) until a minute before it expires, fetched once for concurrent callers, and a
 * token the provider refuses is replaced once. The adapters say how to ask and what a refusal
 * means to their customers; the rest is here, once.
 */
export interface OAuthClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  tokenCache?: TokenCache;
  now: () => number;
  /** The token request, without the Basic header (added here). */
  request: Omit<HttpCall, "headers">;
  /** Lifetime assumed when the answer carries no usable expires_in. */
  defaultLifetimeSeconds: number;
  /** How the adapter sends a call (its timeout, fetch and secrets to scrub). */
  send: (call: HttpCall, extraSecrets?: string[]) => Promise<HttpOutcome>;
  /** What a token request that did not give a token means (network error, refusal, outage). */
  failure: (outcome: HttpOutcome) => Failure;
}

export type TokenOutcome = { ok: true; token: string } | { ok: false; failure: Failure };
export type AuthorisedOutcome = HttpOutcome | { kind: "token_failure"; failure: Failure };

export interface OAuthClient {
  /** The Basic credentials: a secret to scrub from every log. */
  readonly basicAuth: string;
  /** The token held now, if any (a secret to scrub too). */
  currentToken(): string | undefined;
  token(fresh?: boolean): Promise<TokenOutcome>;
  /**
   * `send` with a bearer token; when `refused` says the provider did not accept the token, a new
   * one is fetched and the call made once more.
   */
  authorised(send: (token: string) => Promise<HttpOutcome>, refused: (outcome: HttpOutcome) => boolean): Promise<AuthorisedOutcome>;
}

const TOKEN_MARGIN_MS = 60_000;

export function oauthClient(options: OAuthClientOptions): OAuthClient {
  const cache = options.tokenCache ?? sharedTokenCache;
  const secretHash = createHash("sha256").update(options.clientSecret).digest("hex").slice(0, 16);
  const key = `${options.baseUrl}|${options.clientId}|${secretHash}`;
  const basicAuth = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString("base64");

  async function fetchToken(): Promise<TokenOutcome> {
    const outcome = await options.send({ ...options.request, headers: { authorization: `Basic ${basicAuth}` } });
    const body = outcome.kind === "response" ? asRecord(outcome.body) : {};
    const token = str(body.access_token);
    if (outcome.kind === "network_error" || outcome.status !== 200 || !token) return { ok: false, failure: options.failure(outcome) };
    const seconds = Number(str(body.expires_in) ?? options.defaultLifetimeSeconds);
    const lifetime = (Number.isFinite(seconds) && seconds > 0 ? seconds : options.defaultLifetimeSeconds) * 1000;
    cache.set(key, { token, expiresAt: options.now() + Math.max(lifetime - TOKEN_MARGIN_MS, 0) });
    return { ok: true, token };
  }

  function token(fresh = false): Promise<TokenOutcome> {
    if (fresh) cache.delete(key);
    return cachedToken(cache, key, options.now(), fetchToken, (t): TokenOutcome => ({ ok: true, token: t }));
  }

  return {
    basicAuth,
    currentToken: () => cache.get(key)?.token,
    token,
    async authorised(send, refused) {
      for (const fresh of [false, true]) {
        const current = await token(fresh);
        if (!current.ok) return { kind: "token_failure", failure: current.failure };
        const outcome = await send(current.token);
        if (!refused(outcome) || fresh) return outcome;
      }
      throw new Error("unreachable");
    },
  };
}
