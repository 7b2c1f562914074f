import { redirect } from "@remix-run/node";
import { withTenant } from "~db/client";
import { CLIENT_IP_HEADER } from "~/lib/http";
import { noteUser } from "~/lib/log.server";
import { requireTenant, siteOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { can, type Permission } from "./permissions";
import { findSessionUser, readSessionSecret, type ClientInfo, type SessionUser } from "./sessions.server";

export function clientInfo(request: Request): ClientInfo {
  return { ip: request.headers.get(CLIENT_IP_HEADER), userAgent: request.headers.get("user-agent") };
}

const perRequest = new WeakMap<Request, Promise<SessionUser | null>>();

/** The signed-in user for this request's tenant, or null. Platform and unknown hosts have none. */
export function optionalUser(request: Request): Promise<SessionUser | null> {
  let user = perRequest.get(request);
  if (!user) {
    user = (async () => {
      const site = await siteOf(request);
      if (site.kind !== "tenant") return null;
      const secret = await readSessionSecret(request, "covera_session");
      const found = secret ? await withTenant(site.tenant.id, (db) => findSessionUser(db, secret)) : null;
      if (found) noteUser(found.id);
      return found;
    })();
    perRequest.set(request, user);
  }
  return user;
}

/** A signed-in user of this tenant, or a redirect to sign in and come back. */
export async function requireUser(request: Request): Promise<{ tenant: TenantInfo; user: SessionUser }> {
  const tenant = await requireTenant(request);
  const user = await optionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
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

/** Only same-site paths: `redirectTo` must never send someone to another host. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
