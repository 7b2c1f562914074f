// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { PolicyBadge } from "~/components/account/status";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { beneficiaryPolicies, describeBeneficiaries } from "~/modules/account/beneficiaries.server";
import { requireUser } from "~/modules/auth/guards.server";

/** /account/beneficiaries — the customer's cover that pays out to beneficiaries, each with who they are. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const policies = await withTenant(tenant.id, (db) => beneficiaryPolicies(db, user.id));
  return json({
    policies: policies.map((p) => ({
      id: p.id,
      name: p.productName,
      number: p.policyNumber,
      status: p.status,
      beneficiaries: p.beneficiaries.length ? describeBeneficiaries(p.beneficiaries) : null,
    })),
  });
}

export default function Beneficiaries() {
  const { policies } = useLoaderData<typeof loader>();
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>Beneficiaries</h1>
          <p className="muted">Who receives the benefit of your life cover. Changing them does not change what you pay.</p>
        </div>
      </div>
      <AccountNav />
      {policies.length === 0 ? (
        <div className="card empty-state">
          <p className="empty">None of your policies pays out to beneficiaries.</p>
        </div>
      ) : (
        <ul className="policy-list">
          {policies.map((p) => (
            <li key={p.id} className="card">
              <h2>
                {p.name} {p.number ? <span className="muted">{p.number}</span> : null} <PolicyBadge status={p.status} />
              </h2>
              <p>{p.beneficiaries ?? <span className="muted">No beneficiaries named yet.</span>}</p>
              <Link to={`/account/beneficiaries/${p.id}`} className="btn btn-secondary">
                Change beneficiaries
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Beneficiaries");
