import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { isLanguage } from "~/lib/languages";
import { renderI18n } from "~/modules/i18n/i18n.server";
import { reportError } from "~/lib/error-reporting.server";
import { logger, noteRoute } from "~/lib/log.server";
import { NonceContext } from "~/lib/nonce";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** This response's CSP nonce (server/csp.ts), for Remix's inline scripts and our <style>. */
    cspNonce?: string;
  }
}

/**
 * Renders the whole page to one string. Loaders finish before rendering (no `defer`) and nothing
 * suspends on the server (the agent's charts load after hydration), so streaming would only cost
 * more: a stream, its chunks and their copy into one body took ~15% of a storefront page's CPU.
 * A render that throws reaches Remix, which logs it through handleError and renders the boundary.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // The deepest match names the request in the access log, even a page whose route has no loader.
  const matches = remixContext.staticHandlerContext.matches;
  const leaf = matches[matches.length - 1];
  if (leaf) noteRoute(leaf.route.id, matches.length - 1);
  // The root loader resolved the request's language (decision 037); the error page of a request
  // whose root loader failed speaks the default.
  const rootData = remixContext.staticHandlerContext.loaderData.root as { language?: unknown } | undefined;
  const i18n = await renderI18n(isLanguage(rootData?.language) ? rootData.language : "en");
  const html = renderToString(
    <I18nextProvider i18n={i18n}>
      <NonceContext.Provider value={loadContext.cspNonce}>
        <RemixServer context={remixContext} url={request.url} nonce={loadContext.cspNonce} />
      </NonceContext.Provider>
    </I18nextProvider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(`<!DOCTYPE html>${html}`, { headers: responseHeaders, status: responseStatusCode });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests (navigations away) and answers like 404 for an unknown URL are not errors.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  logger.error({ err: error }, "request failed");
  reportError(error);
}
