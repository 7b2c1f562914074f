import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";

// Radix's dialogs add a scroll-lock <style>; it takes the page's CSP nonce from this global
// (get-nonce), as browsers hide the attribute but not the property (docs/decisions/014-content-security-policy.md).
const nonce = document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce;
if (nonce) (window as { __webpack_nonce__?: string }).__webpack_nonce__ = nonce;

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});

// Sentry only when configured, and only once the page is up: a chunk of its own, never preloaded.
const env = (
  window as { __remixContext?: { state?: { loaderData?: { root?: { env?: { SENTRY_DSN?: string; SENTRY_ENVIRONMENT?: string } } } } } }
).__remixContext?.state?.loaderData?.root?.env;
if (env?.SENTRY_DSN) {
  const dsn = env.SENTRY_DSN;
  const start = () =>
    void import("./lib/error-reporting.client").then((sentry) =>
      sentry.startBrowserErrorReporting({ dsn, environment: env.SENTRY_ENVIRONMENT }),
    );
  if (document.readyState === "complete") setTimeout(start, 0);
  else window.addEventListener("load", () => setTimeout(start, 0), { once: true });
}
