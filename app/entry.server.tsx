import type { EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";

/**
 * Renders the whole page to one string. Loaders finish before rendering (no `defer`) and nothing
 * suspends on the server (the agent's charts load after hydration), so streaming would only cost
 * more: a stream, its chunks and their copy into one body took ~15% of a storefront page's CPU.
 */
export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const html = renderToString(<RemixServer context={remixContext} url={request.url} />);
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(`<!DOCTYPE html>${html}`, { headers: responseHeaders, status: responseStatusCode });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests (navigations away) are not errors worth logging.
  if (request.signal.aborted) return;
  console.error(error);
}
