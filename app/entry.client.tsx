import { RemixBrowser } from "@remix-run/react";
import i18next, { type BackendModule } from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nOptions, translationsUrl } from "~/lib/i18n";

// Radix's dialogs add a scroll-lock <style>; it takes the page's CSP nonce from this global
// (get-nonce), as browsers hide the attribute but not the property (docs/decisions/014-content-security-policy.md).
const nonce = document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce;
if (nonce) (window as { __webpack_nonce__?: string }).__webpack_nonce__ = nonce;

type RootI18n = { language?: string; i18n?: { version: string; namespaces: string[] } };
const root = (window as { __remixContext?: { state?: { loaderData?: { root?: RootI18n } } } }).__remixContext?.state?.loaderData?.root;
const version = root?.i18n?.version ?? "none";

/**
 * Translations come as one bundle per language (decision 037), fetched once and cached for good
 * under its version; i18next asks this backend per namespace, so each language costs one request.
 */
const bundles = new Map<string, Promise<Record<string, unknown>>>();
const bundleBackend: BackendModule = {
  type: "backend",
  init() {},
  read(language, namespace, callback) {
    let bundle = bundles.get(language);
    if (!bundle) {
      bundle = fetch(translationsUrl(language, version)).then((r) => {
        if (!r.ok) throw new Error(`Translations for ${language}: ${r.status}`);
        return r.json() as Promise<Record<string, unknown>>;
      });
      bundles.set(language, bundle);
    }
    bundle.then(
      (all) => callback(null, (all[namespace] ?? {}) as never),
      (error: Error) => {
        bundles.delete(language);
        callback(error, null);
      },
    );
  },
};

async function hydrate() {
  await i18next
    .use(initReactI18next)
    .use(bundleBackend)
    .init({ ...i18nOptions, lng: document.documentElement.lang || "en", ns: root?.i18n?.namespaces ?? ["common"] });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();

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
