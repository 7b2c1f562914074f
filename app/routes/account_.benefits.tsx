import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { BenefitsList } from "~/components/account/benefits";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { requireUser } from "~/modules/auth/guards.server";
import { benefitsView, memberBenefits, membershipOf } from "~/modules/members/benefits.server";
import { memberStandingMessage } from "~/modules/members/status";
import { Alert } from "~/components/ui/alert";
import { quoteDateIn } from "~/modules/rating";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * /account/benefits — a member sees, per policy in force, what it pays in a policy year, what is
 * used and left, and what each kind of claim needs. Only members of an agency with an agent
 * network have it (anyone else: 404, like a page that does not exist).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  if (!tenant.features.agentNetwork) throw new Response("Not found", { status: 404 });
  const found = await withTenant(tenant.id, async (db) => {
    const status = await membershipOf(db, user.id);
    return status ? { status, policies: await memberBenefits(db, user.id, null, quoteDateIn(tenant.timeZone)) } : undefined;
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const t = await serverT(tenant.language, "account");
  return json({
    title: t("benefits.title"),
    // The member's standing in their words; the English sentence is memberStandingMessage's.
    standing: memberStandingMessage(found.status, "claim") ? t(`benefits.standing.${found.status}`) : null,
    policies: benefitsView(found.policies, tenant),
  });
}

export default function MyBenefits() {
  const { policies, standing } = useLoaderData<typeof loader>();
  const { t } = useTranslation("account");
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("benefits.title")}</h1>
          <p className="muted">{t("benefits.intro")}</p>
        </div>
        <Link to="/account/claims/new" className="btn btn-primary">
          {t("overview.fileClaim")}
        </Link>
      </div>
      <AccountNav />
      {standing ? <Alert tone="warning">{standing}</Alert> : null}
      <BenefitsList policies={policies} empty={t("benefits.empty")} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "My benefits");
