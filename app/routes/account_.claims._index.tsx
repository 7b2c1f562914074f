import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountNav } from "~/components/account/account-nav";
import { ClaimList } from "~/components/claims/claim-list";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { claimListData, claimsRequest } from "~/modules/claims/page.server";

/** /account/claims: the signed-in person's own claims, filters in the URL, newest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await claimsRequest(request);
  const data = await withTenant(tenant.id, (db) => claimListData(db, request, tenant, { claimantUserId: user.id }));
  return json(data);
}

export default function MyClaims() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("claims");
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("mine.title")}</h1>
          <p className="muted">{t("mine.intro")}</p>
        </div>
        <Link to="/account/claims/new" className="btn btn-primary">
          {t("mine.fileClaim")}
        </Link>
      </div>
      <AccountNav />
      <ClaimList data={data} basePath="/account/claims" />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "My claims");
