import type { LoaderFunctionArgs } from "@remix-run/node";
import { isLanguage } from "~/lib/languages";
import { translationsOf, translationsVersion } from "~/modules/i18n/i18n.server";

/**
 * A language's translations for the browser, every namespace in one response (decision 037).
 * Asked for with the current version, it is cached for good; any other asks again soon.
 */
export async function loader({ params, request }: LoaderFunctionArgs) {
  if (!isLanguage(params.language)) return new Response("Not found", { status: 404 });
  const current = new URL(request.url).searchParams.get("v") === translationsVersion;
  return new Response(JSON.stringify(translationsOf(params.language)), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": current ? "public, max-age=31536000, immutable" : "public, max-age=60",
    },
  });
}
