import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { withPlatform } from "~/lib/db.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { clearOperatorCookie, optionalOperator, signOutOperator } from "~/modules/platform/operators.server";
import { requirePlatformSite } from "~/modules/tenancy/resolve.server";

// No form fields: signing out is a POST from the console header (a GET never changes anything).

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformSite(request);
  throw redirect("/console");
}

export async function action({ request }: ActionFunctionArgs) {
  await requirePlatformSite(request);
  const operator = await optionalOperator(request);
  if (operator) await withPlatform((db) => signOutOperator(db, operator, clientInfo(request)));
  return redirect("/console/login", { headers: { "Set-Cookie": await clearOperatorCookie() } });
}
