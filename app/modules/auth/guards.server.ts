import { redirect } from "@remix-run/node";
import { withTenant } from "~db/client";
import { CLIENT_IP_HEADER } from "~/lib/http";
import { noteUser } from "~/lib/log.server";
import { oncePerRequest } from "~/lib/per-request.server";
import { requireTenant, siteOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { can, type Permission } from "./permissions";
import { TWO_FACTOR_PAGE } from "./two-factor-users.server";
import { findSessionUser, readSessionSecret, type ClientInfo, type SessionUser } from "./sessions.server";

export function clientInfo(request: Request): ClientInfo {
  return { ip: request.headers.get(CLIENT_IP_HEADER), userAgent: request.headers.get("user-agent") };
}

/** The signed-in user for this request's tenant, or null. Platform and unknown hosts have none. */
export function optionalUser(request: Request): Promise<SessionUser | null> {
  return oncePerRequest(request, "user", async () => {
    const site = await siteOf(request);
    if (site.kind !== "tenant") return null;
    const secret = await readSessionSecret(request, "covera_session");
    const found = secret ? await withTenant(site.tenant.id, (db) => findSessionUser(db, secret)) : null;
    if (found) noteUser(found.id);
    return found;
  });
}

/**
 * A signed-in user of this tenant, or a redirect to sign in and come back. Staff who must set up
 * two-factor sign-in first are sent to do so (decision 033); only the setup page itself passes
 * `{ enrolling: true }`.
 */
export async function requireUser(
  request: Request,
  options: { enrolling?: boolean } = {},
): Promise<{ tenant: TenantInfo; user: SessionUser }> {
  const tenant = await requireTenant(request);
  const user = await optionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (user.mustEnrolTwoFactor && !options.enrolling) throw redirect(`${TWO_FACTOR_PAGE}?required=1`);
  return { tenant, user };
}

/** As requireUser, and the user's roles must grant the permission (403 otherwise). */
export async function requirePermission(request: Request, permission: Permission) {
  const result = await requireUser(request);
  if (!can(result.user.roles, permission)) {
    throw new Response("You do not have access to this page.", { status: 403, statusText: "Forbidden" });
  }
  return result;
}

/**
 * Where to send someone after a form, when the target came from input (`redirectTo`, a way back):
 * only a path of the very site that was asked, else `fallback`. Browsers drop tab, CR and LF from
 * a Location and read a backslash as a slash, so `/\t/evil.example` would leave the site: a target with any
 * control character or backslash is refused outright, and what is left must parse, against this
 * request's origin, to that same origin. The answer is the parsed path, query and fragment, so it
 * is always a valid header value (non-ASCII percent-encoded).
 */
export function safeRedirect(request: Request, to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || UNSAFE_IN_REDIRECT.test(to)) return fallback;
  const origin = new URL(request.url).origin;
  let url: URL;
  try {
    url = new URL(to, origin);
  } catch {
    return fallback;
  }
  return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : fallback;
}

// C0 controls, DEL, C1 controls and the backslash.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_REDIRECT = /[\u0000-\u001f\u007f-\u009f\\]/;
