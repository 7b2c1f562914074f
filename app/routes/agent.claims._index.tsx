import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ClaimList } from "~/components/claims/claim-list";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { claimListData } from "~/modules/claims/page.server";
import { requireAgent } from "~/modules/network/current-agent.server";

/** /agent/claims: the claims of the agent's OWN members (filed by them or by the member), newest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireAgent(request, "file:claim:member");
  const data = await withTenant(tenant.id, (db) => claimListData(db, request, tenant, { agentUserId: user.id }));
  return json(data);
}

export default function AgentClaims() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("agent");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("claims.title")}</h1>
          <p className="muted">{t("claims.intro")}</p>
        </div>
        <Link to="/account/claims/new" className="btn btn-primary">
          {t("claims.fileForMember")}
        </Link>
      </div>
      <ClaimList data={data} basePath="/agent/claims" showClaimant />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Members' claims");
