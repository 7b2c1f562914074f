import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { RequireTwoFactorForm } from "~/components/account/two-factor-settings";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { requireTwoFactorSchema } from "~/modules/auth/two-factor-schemas";
import { saveSecuritySettings, securitySettings } from "~/modules/auth/two-factor-users.server";

/** /admin/security — whether the agency's staff must sign in with two factors (decision 033). */
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Security");

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:security:any");
  const t = await serverT(tenant.language, "admin");
  return json({ title: t("security.title"), settings: await withTenant(tenant.id, (db) => securitySettings(db)) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:security:any");
  const parsed = requireTwoFactorSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response((await serverT(tenant.language, "admin"))("security.unreadable"), { status: 400 });
  await withTenant(tenant.id, (db) =>
    saveSecuritySettings(db, { requireTwoFactorForStaff: parsed.data.required === "on" }, { userId: user.id, ip: clientInfo(request).ip }),
  );
  return redirect("/admin/security?saved=1");
}

export default function SecurityPage() {
  const { settings } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const { t } = useTranslation("admin");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("security.title")}</h1>
          <p className="muted">
            <Trans t={t} i18nKey="security.intro" components={{ account: <Link to="/account/two-factor" /> }} />
          </p>
        </div>
      </div>
      <RequireTwoFactorForm
        checked={settings.requireTwoFactorForStaff}
        saved={params.get("saved") === "1"}
        label={t("security.require")}
        hint={t("security.requireHint")}
      />
    </div>
  );
}
