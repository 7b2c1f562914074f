/**
 * CSRF defence for every state-changing request, on top of SameSite=Lax cookies: a browser names
 * the page a form came from (Origin, or Sec-Fetch-Site), and it must be this very host. Sibling
 * storefronts (bowman.localhost, khholdings.localhost) count as the same *site* for SameSite, so
 * the host check is what keeps one agency's pages from posting into another's.
 */
export function isCrossOriginWrite(method: string, headers: { origin?: string; host?: string; secFetchSite?: string }): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase())) return false;
  if (headers.origin && headers.origin !== "null") {
    try {
      return new URL(headers.origin).host !== headers.host;
    } catch {
      return true;
    }
  }
  if (headers.origin === "null") return true;
  // No Origin: non-browser clients (webhooks, curl). Browsers that say "cross-site" are refused.
  return headers.secFetchSite === "cross-site" || headers.secFetchSite === "same-site";
}

/**
 * A NUL (%00) anywhere in the address: no page or search of ours means one, and PostgreSQL refuses
 * it, so the server answers 400 before any route runs. A defence in depth only: every route still
 * parses its text with ~/lib/text (docs/decisions/018-text-input-at-the-edge.md).
 */
export function hasEncodedNul(url: string): boolean {
  return /%00/i.test(url);
}

/** The 4xx status Express gave an error it raised about the request itself (a malformed path), or null. */
export function clientErrorStatus(error: unknown): number | null {
  const status = typeof error === "object" && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === "number" && status >= 400 && status < 500 ? status : null;
}

/** Set by the HTTP server from the socket (or the trusted proxy), never taken from the client. */
export const CLIENT_IP_HEADER = "x-covera-client-ip";
