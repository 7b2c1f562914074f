import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { Trans, useTranslation } from "react-i18next";
import { AccountNav } from "~/components/account/account-nav";
import { PolicyBadge } from "~/components/account/status";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { describeActivity } from "~/modules/account/activity-words";
import { accountOverview, recentActivity, type Todo } from "~/modules/account/dashboard.server";
import { requireUser } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { CLAIM_STATUS_LABELS } from "~/modules/claims/labels";
import { policyRules } from "~/modules/policies/premiums.server";
import { quoteDateIn } from "~/modules/rating/dates";
import accountStyles from "~/styles/account.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: accountStyles }];

/** /account — the customer's overview (issue 13 item 6): cover, next payment, what needs doing, claims, activity. */

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const page = pageFrom(request);
  const today = quoteDateIn(tenant.timeZone);
  const { overview, activity } = await withTenant(tenant.id, async (db) => {
    const rules = await policyRules(db, tenant.id);
    return {
      overview: await accountOverview(db, user, { today, renewalWindowDays: Math.max(0, ...rules.renewalOfferDays) }),
      activity: await recentActivity(db, user.id, page),
    };
  });
  const [t, claimsT] = await Promise.all([serverT(tenant.language, "account"), serverT(tenant.language, "claims")]);
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const day = (d: string | Date) => formatDate(d, tenant.locale, tenant.timeZone);
  const policyName = (p: { policyNumber: string | null; productName: string }) =>
    p.policyNumber ? `${p.productName} (${p.policyNumber})` : p.productName;
  return json({
    welcome: new URL(request.url).searchParams.get("welcome") === "1",
    name: user.name,
    email: user.email,
    verified: user.emailVerified,
    page,
    policies: overview.policies.map((p) => ({
      id: p.id,
      name: p.productName,
      number: p.policyNumber,
      status: p.status,
      endDate: p.endDate ? day(p.endDate) : null,
    })),
    morePolicies: overview.totalPolicies > overview.policies.length,
    nextPayment: overview.nextPayment
      ? {
          policyId: overview.nextPayment.policyId,
          what: t("overview.nextPaymentWhat", { policy: policyName(overview.nextPayment), sequence: overview.nextPayment.sequence }),
          amount: money(overview.nextPayment.amountMinor, overview.nextPayment.currency),
          dueDate: day(overview.nextPayment.dueDate),
          overdue: overview.nextPayment.status === "overdue",
        }
      : null,
    todo: overview.todo.map((item) => todoItem(item, { t, money, day, policyName })),
    claims: overview.claims.map((c) => ({
      id: c.id,
      number: c.claimNumber,
      product: c.productName,
      status: { tone: CLAIM_STATUS_LABELS[c.status].tone, label: claimsT(`status.${c.status}`) },
      claimed: money(c.claimedMinor, c.currency),
      filed: day(c.createdAt),
    })),
    activity: activity.rows.map((a) => ({
      id: a.id,
      what: describeActivity(a, t),
      subject: a.subject,
      link: a.link,
      reason: a.reason,
      at: formatDateTime(a.at, tenant.locale, tenant.timeZone),
      atIso: a.at.toISOString(),
    })),
    hasMoreActivity: activity.hasMore,
  });
}

interface Words {
  t: TFunction;
  money: (minor: number, currency: string) => string;
  day: (d: string | Date) => string;
  policyName: (p: { policyNumber: string | null; productName: string }) => string;
}

function todoItem(t: Todo, w: Words): { key: string; text: string; link: string; action: string; urgent: boolean } {
  switch (t.kind) {
    case "confirm_email":
      return {
        key: "email",
        text: w.t("todo.confirmEmail", { email: t.email }),
        link: "/account/security#verify",
        action: w.t("todo.confirm"),
        urgent: false,
      };
    case "instalment":
      return {
        key: `instalment-${t.policyId}-${t.dueDate}`,
        text: w.t(t.overdue ? "todo.instalmentWasDue" : "todo.instalmentDue", {
          amount: w.money(t.amountMinor, t.currency),
          policy: w.policyName(t),
          date: w.day(t.dueDate),
        }),
        link: `/account/policies/${t.policyId}#pay-title`,
        action: w.t("todo.payNow"),
        urgent: t.overdue,
      };
    case "grace":
      return {
        key: `grace-${t.policyId}`,
        text: w.t("todo.grace", { policy: w.policyName(t) }),
        link: `/account/policies/${t.policyId}`,
        action: w.t("todo.seePolicy"),
        urgent: true,
      };
    case "claim_documents":
      return {
        key: `claim-${t.claimId}`,
        text: w.t("todo.claimDocuments", { number: t.claimNumber, date: w.day(t.askedAt) }),
        link: `/account/claims/${t.claimId}`,
        action: w.t("todo.sendDocuments"),
        urgent: true,
      };
    case "renewal":
      return {
        key: `renewal-${t.policyId}`,
        text: w.t("todo.renewal", { policy: w.policyName(t), date: w.day(t.endDate) }),
        link: `/account/policies/${t.policyId}`,
        action: w.t("todo.seeRenewal"),
        urgent: false,
      };
  }
}

export default function AccountOverview() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("account");
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("overview.title")}</h1>
          <p className="muted">{t("overview.hello", { name: data.name })}</p>
        </div>
        <div className="actions">
          <Link to="/account/claims/new" className="btn btn-secondary">
            {t("overview.fileClaim")}
          </Link>
          <Form method="post" action="/logout">
            <Button type="submit" variant="secondary">
              {t("overview.signOut")}
            </Button>
          </Form>
        </div>
      </div>
      <AccountNav />
      {data.welcome ? (
        <Alert tone="success" title={t("overview.welcomeTitle", { name: data.name })}>
          {data.verified ? t("overview.welcomeVerified") : t("overview.welcomeConfirm", { email: data.email })}
        </Alert>
      ) : null}

      <div className="overview-grid">
        <section className="card" aria-labelledby="todo-title">
          <h2 id="todo-title">{t("overview.todoTitle")}</h2>
          {data.todo.length === 0 ? (
            <p className="muted">{t("overview.todoNone")}</p>
          ) : (
            <ul className="todo-list">
              {data.todo.map((t) => (
                <li key={t.key} className={t.urgent ? "todo-urgent" : undefined}>
                  <span>{t.text}</span> <Link to={t.link}>{t.action}</Link>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="next-payment-title">
          <h2 id="next-payment-title">{t("overview.nextPaymentTitle")}</h2>
          {data.nextPayment ? (
            <>
              <p className="figure">{data.nextPayment.amount}</p>
              <p>
                <Trans
                  t={t}
                  i18nKey={data.nextPayment.overdue ? "overview.nextPaymentWasDue" : "overview.nextPaymentDue"}
                  values={{ what: data.nextPayment.what, date: data.nextPayment.dueDate }}
                  components={{ strong: <strong /> }}
                />
              </p>
              <Link to={`/account/policies/${data.nextPayment.policyId}#pay-title`} className="btn btn-primary">
                {t("overview.payNow")}
              </Link>
            </>
          ) : (
            <p className="muted">{t("overview.upToDate")}</p>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="cover-title">
        <h2 id="cover-title">{t("overview.coverTitle")}</h2>
        {data.policies.length === 0 ? (
          <div className="empty-state">
            <p className="empty">{t("overview.noCover")}</p>
            <Link to="/products" className="btn btn-primary">
              {t("overview.browse")}
            </Link>
          </div>
        ) : (
          <>
            <ul className="overview-list">
              {data.policies.map((p) => (
                <li key={p.id}>
                  <Link to={`/account/policies/${p.id}`}>{p.name}</Link> {p.number ? <span className="muted">{p.number}</span> : null}{" "}
                  <PolicyBadge status={p.status} />
                  {p.endDate ? <span className="muted"> {t("overview.until", { date: p.endDate })}</span> : null}
                </li>
              ))}
            </ul>
            {data.morePolicies ? (
              <p className="section-actions">
                <Link to="/account/policies">{t("overview.allPolicies")}</Link>
              </p>
            ) : null}
          </>
        )}
      </section>

      <section className="card" aria-labelledby="claims-title">
        <h2 id="claims-title">{t("overview.claimsTitle")}</h2>
        {data.claims.length === 0 ? (
          <p className="muted">{t("overview.noClaims")}</p>
        ) : (
          <ul className="overview-list">
            {data.claims.map((c) => (
              <li key={c.id}>
                <Link to={`/account/claims/${c.id}`}>{c.number}</Link> <span className="muted">{c.product}</span>{" "}
                <span className={`badge badge-${c.status.tone}`}>{c.status.label}</span>{" "}
                <span className="muted">{t("overview.filed", { date: c.filed })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="activity-title" id="activity">
        <h2 id="activity-title">{t("overview.activityTitle")}</h2>
        {data.activity.length === 0 ? (
          <p className="muted">{data.page > 1 ? t("overview.noOlderActivity") : t("overview.noActivity")}</p>
        ) : (
          <ol className="activity-list">
            {data.activity.map((a) => (
              <li key={a.id}>
                <time dateTime={a.atIso}>{a.at}</time> {a.link ? <Link to={a.link}>{a.subject}</Link> : a.subject}: {a.what}
                {a.reason ? <span className="muted"> ({a.reason})</span> : null}
              </li>
            ))}
          </ol>
        )}
        <Pagination page={data.page} hasMore={data.hasMoreActivity} />
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Your account");
