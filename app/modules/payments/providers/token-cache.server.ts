import type { CachedToken, TokenCache } from "./types";

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
