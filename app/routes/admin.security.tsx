// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { RequireTwoFactorForm } from "~/components/account/two-factor-settings";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { requireTwoFactorSchema } from "~/modules/auth/two-factor-schemas";
import { saveSecuritySettings, securitySettings } from "~/modules/auth/two-factor-users.server";

/** /admin/security — whether the agency's staff must sign in with two factors (decision 033). */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Security");

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:security:any");
  return json({ settings: await withTenant(tenant.id, (db) => securitySettings(db)) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:security:any");
  const parsed = requireTwoFactorSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("This form could not be read. Reload the page and send it again.", { status: 400 });
  await withTenant(tenant.id, (db) =>
    saveSecuritySettings(db, { requireTwoFactorForStaff: parsed.data.required === "on" }, { userId: user.id, ip: clientInfo(request).ip }),
  );
  return redirect("/admin/security?saved=1");
}

export default function SecurityPage() {
  const { settings } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Security</h1>
          <p className="muted">
            How your staff sign in. Your own two-factor sign-in is on <Link to="/account/two-factor">your account</Link>.
          </p>
        </div>
      </div>
      <RequireTwoFactorForm
        checked={settings.requireTwoFactorForStaff}
        saved={params.get("saved") === "1"}
        label="Require two-factor sign-in for staff"
        hint="Everyone but customers and members (staff, assessors, claims managers, underwriters, agents and administrators) must set up an authenticator app before they can open anything else. Those who have not yet will be asked the next time they open a page."
      />
    </div>
  );
}
