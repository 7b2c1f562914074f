import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { readForm } from "~/lib/forms";
import { LANGUAGES } from "~/lib/languages";
import { withTenant } from "~/lib/db.server";
import { optionalUser, safeRedirect } from "~/modules/auth/guards.server";
import { languageCookieHeader } from "~/modules/i18n/i18n.server";
import { requireTenant } from "~/modules/tenancy/resolve.server";
import { rememberLanguage } from "~/modules/account/language.server";

const schema = z.object({ language: z.enum(LANGUAGES) });

/**
 * The language switcher (decision 037): remembered in a cookie for visitors and on the account
 * for a signed-in person, then back to the page they were on. Works without JavaScript.
 */
export async function action({ request }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const form = await readForm(request);
  const parsed = schema.safeParse(Object.fromEntries(form));
  const back = safeRedirect(request, form.get("redirectTo"), "/");
  if (!parsed.success || !tenant.languages.includes(parsed.data.language)) return redirect(back);
  const user = await optionalUser(request);
  if (user) await withTenant(tenant.id, (db) => rememberLanguage(db, user.id, parsed.data.language));
  const secure = new URL(request.url).protocol === "https:";
  return redirect(back, { headers: { "Set-Cookie": await languageCookieHeader(parsed.data.language, secure) } });
}

export function loader() {
  return redirect("/");
}
