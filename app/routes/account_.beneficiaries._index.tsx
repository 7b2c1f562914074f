import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { PolicyBadge } from "~/components/account/status";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { beneficiaryPolicies, describeBeneficiaries } from "~/modules/account/beneficiaries.server";
import { requireUser } from "~/modules/auth/guards.server";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

/** /account/beneficiaries — the customer's cover that pays out to beneficiaries, each with who they are. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const policies = await withTenant(tenant.id, (db) => beneficiaryPolicies(db, user.id));
  const t = await serverT(tenant.language, "account");
  const relationship = (value: string) => t(`relationship.${value}`, { defaultValue: value });
  return json({
    title: t("beneficiaries.title"),
    policies: policies.map((p) => ({
      id: p.id,
      name: p.productName,
      number: p.policyNumber,
      status: p.status,
      beneficiaries: p.beneficiaries.length ? describeBeneficiaries(p.beneficiaries, relationship) : null,
    })),
  });
}

export default function Beneficiaries() {
  const { policies } = useLoaderData<typeof loader>();
  const { t } = useTranslation("account");
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("beneficiaries.title")}</h1>
          <p className="muted">{t("beneficiaries.intro")}</p>
        </div>
      </div>
      <AccountNav />
      {policies.length === 0 ? (
        <div className="card empty-state">
          <p className="empty">{t("beneficiaries.none")}</p>
        </div>
      ) : (
        <ul className="policy-list">
          {policies.map((p) => (
            <li key={p.id} className="card">
              <h2>
                {p.name} {p.number ? <span className="muted">{p.number}</span> : null} <PolicyBadge status={p.status} />
              </h2>
              <p>{p.beneficiaries ?? <span className="muted">{t("beneficiaries.noneNamed")}</span>}</p>
              <Link to={`/account/beneficiaries/${p.id}`} className="btn btn-secondary">
                {t("beneficiaries.change")}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Beneficiaries");
