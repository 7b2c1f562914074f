import { env } from "~/lib/env.server";

/**
 * Where an agency's storefront answers, seen from this request: the same protocol and port as
 * the console (http and :3000 in development, https behind the proxy in production), on
 * `<slug>.<TENANT_HOST_SUFFIX>`. The console's links and the onboarding invitation both use it,
 * so the link an invited administrator follows is the address the console shows.
 */
export function storefrontOrigin(request: Request | URL | string, slug: string): string {
  const url = new URL(request instanceof Request ? request.url : request);
  const port = url.port ? `:${url.port}` : "";
  return `${url.protocol}//${slug}.${env().TENANT_HOST_SUFFIX}${port}`;
}

/** A builder bound to one request, as onboarding wants it (`origin(slug)`). */
export function storefrontOrigins(request: Request): (slug: string) => string {
  return (slug) => storefrontOrigin(request, slug);
}
