import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { signOut } from "~/modules/auth/accounts.server";
import { clientInfo, optionalUser } from "~/modules/auth/guards.server";
import { userCookie } from "~/modules/auth/sessions.server";
import { originOf, requireTenant } from "~/modules/tenancy/resolve.server";

// Signing out changes state, so it is a POST (the account menu's form); a GET changes nothing.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireTenant(request);
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const user = await optionalUser(request);
  if (user) {
    await withTenant(tenant.id, (db) => signOut(db, user, { ip: clientInfo(request).ip, origin: originOf(request) }));
  }
  // Clear the cookie even when the session had already ended elsewhere.
  return redirect("/", { headers: { "Set-Cookie": await userCookie().serialize("", { maxAge: 0 }) } });
}
