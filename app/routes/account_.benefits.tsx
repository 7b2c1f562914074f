// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
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
  return json({ standing: memberStandingMessage(found.status, "claim"), policies: benefitsView(found.policies, tenant) });
}

export default function MyBenefits() {
  const { policies, standing } = useLoaderData<typeof loader>();
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>My benefits</h1>
          <p className="muted">
            What each of your policies pays in a policy year, what your approved and paid claims have used, and what a claim needs.
          </p>
        </div>
        <Link to="/account/claims/new" className="btn btn-primary">
          File a claim
        </Link>
      </div>
      <AccountNav />
      {standing ? <Alert tone="warning">{standing}</Alert> : null}
      <BenefitsList policies={policies} empty="You have no policy in force, so there are no benefits to show yet." />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "My benefits");
