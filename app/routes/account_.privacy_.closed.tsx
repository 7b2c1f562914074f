import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { pageTitle } from "~/lib/meta";
import { requireTenant } from "~/modules/tenancy/resolve.server";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

/** Where closing an account ends: the person is signed out, so the page needs no account. */
export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const t = await serverT(tenant.language, "account");
  return json({ title: t("privacy.closed.title") });
}

export default function AccountClosed() {
  const { t } = useTranslation("account");
  return (
    <div className="stack">
      <h1>{t("privacy.closed.heading")}</h1>
      <p>{t("privacy.closed.signedOut")}</p>
      <p>{t("privacy.closed.records")}</p>
      <p>
        <Link to="/">{t("privacy.closed.home")}</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Account closed");
