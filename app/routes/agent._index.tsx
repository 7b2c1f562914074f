import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { Trans, useTranslation } from "react-i18next";
import { FigureChart } from "~/components/agent/chart";
import { CopyButton } from "~/components/agent/copy-button";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { addMonthsTo, monthLabel, monthOf } from "~/modules/commissions/months";
import { agentDashboard } from "~/modules/commissions/portal.server";
import { qrPngDataUrl } from "~/modules/documents/qr.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { requireAgent } from "~/modules/network/current-agent.server";
import { rankProgress } from "~/modules/network/ranks";
import { tenantOrigin } from "~/modules/tenancy/resolve.server";

/**
 * /agent — the agent's dashboard: this month's earnings (by tier and by status), the last twelve
 * months, their own sales this month, their downline per level, their rank on the ladder, and
 * their referral link with its QR code. Months are calendar months in the agency's time zone.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "read:network:own");
  const month = monthOf(new Date(), tenant.timeZone);
  const figures = await withTenant(tenant.id, (db) => agentDashboard(db, agent.id, { month, timeZone: tenant.timeZone }));
  const t = await serverT(tenant.language, "agent");
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  const shortMonth = new Intl.DateTimeFormat(tenant.locale, { month: "short", year: "numeric", timeZone: "UTC" });
  const monthShort = (m: string) => {
    const [y, mm] = m.split("-").map(Number) as [number, number];
    return shortMonth.format(Date.UTC(y, mm - 1, 1));
  };
  const count = (n: number) => n.toLocaleString(tenant.locale);

  const referralUrl = `${await tenantOrigin(tenant)}/join/${agent.referralCode}`;
  const downlineTotal = figures.downline.reduce((sum, l) => sum + l.agents, 0);
  const rank = rankProgress({
    directRecruits: figures.downline[0]?.agents ?? 0,
    downline: downlineTotal,
    personalSales: figures.sales.items,
  });

  return json({
    month: monthLabel(month, tenant.locale),
    previousMonth: addMonthsTo(month, -1),
    currency: tenant.currency,
    locale: tenant.locale,
    timeZone: tenant.timeZone,
    total: money(figures.total),
    byTier: figures.byTier.map((tier) => ({
      label:
        tier.tier === null
          ? t("dashboard.tierOther")
          : tier.tier === 1
            ? t("dashboard.tierOwn")
            : t("dashboard.tierN", { tier: tier.tier }),
      tick: tier.tier === null ? t("dashboard.tierOtherTick") : `T${tier.tier}`,
      value: tier.amountMinor,
      display: money(tier.amountMinor),
    })),
    byStatus: figures.byStatus.map((s) => ({
      status: s.status,
      label: t(`entryStatus.${s.status}`),
      amount: money(s.amountMinor),
      entries: s.entries,
    })),
    lastMonths: figures.lastMonths.map((m) => ({ label: monthShort(m.month), value: m.amountMinor, display: money(m.amountMinor) })),
    sales: { items: figures.sales.items, amount: money(figures.sales.amountMinor) },
    downline: figures.downline.map((l) => ({
      label: t("dashboard.levelN", { level: l.level }),
      tick: String(l.level),
      value: l.agents,
      display: count(l.agents),
    })),
    downlineTotal,
    rank: {
      current: rank.current.name,
      next: rank.next
        ? {
            name: rank.next.rank.name,
            requirements: rank.next.requirements.map((r) => ({ label: r.label, value: r.value, min: r.min, met: r.met })),
          }
        : null,
    },
    referral: { code: agent.referralCode, url: referralUrl, qr: await qrPngDataUrl(referralUrl) },
  });
}

export default function AgentDashboard() {
  const data = useLoaderData<typeof loader>();
  const moneyUnit = { kind: "money" as const, currency: data.currency, locale: data.locale };
  const { t } = useTranslation("agent");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("dashboard.title")}</h1>
          <p className="muted">{t("dashboard.intro", { month: data.month, zone: data.timeZone.replace("_", " ") })}</p>
        </div>
      </div>

      <section aria-labelledby="month-title">
        <h2 id="month-title">{t("dashboard.thisMonth")}</h2>
        <ul className="stat-grid money-stats">
          <li className="stat">
            <span className="stat-value">{data.total}</span>
            <span className="stat-label">{t("dashboard.earnedIn", { month: data.month })}</span>
          </li>
          <li className="stat">
            <span className="stat-value">{data.sales.items}</span>
            <span className="stat-label">{t("dashboard.personalSales", { count: data.sales.items })}</span>
          </li>
          <li className="stat">
            <span className="stat-value">{data.sales.amount}</span>
            <span className="stat-label">{t("dashboard.salesPremium")}</span>
          </li>
          <li className="stat">
            <span className="stat-value">{data.downlineTotal}</span>
            <span className="stat-label">{t("dashboard.downlineAgents")}</span>
          </li>
        </ul>
        {data.byStatus.length > 0 ? (
          <div className="card">
            <h3>{t("dashboard.byStatus")}</h3>
            <dl className="details-list status-figures">
              {data.byStatus.map((s) => (
                <Fragment key={s.status}>
                  <dt>{s.label}</dt>
                  <dd>
                    {s.amount} <span className="muted small">{t("dashboard.entries", { count: s.entries })}</span>
                  </dd>
                </Fragment>
              ))}
            </dl>
            <p className="small">
              <Link to="/agent/commissions">{t("dashboard.seeEvery")}</Link>
            </p>
          </div>
        ) : null}
      </section>

      <div className="grid two agent-charts">
        {data.byTier.length === 0 ? (
          <div className="card">
            <h3>{t("dashboard.byTier")}</h3>
            <p className="muted">
              {t("dashboard.noCommission")}{" "}
              <Link to={`/agent/commissions?month=${data.previousMonth}`}>{t("dashboard.lastMonthEntries")}</Link>
            </p>
          </div>
        ) : (
          <FigureChart
            title={t("dashboard.byTier")}
            description={t("dashboard.byTierDescription")}
            points={data.byTier}
            unit={moneyUnit}
            labelHeader={t("dashboard.tier")}
            valueHeader={t("dashboard.earned")}
          />
        )}
        <FigureChart
          title={t("dashboard.lastMonths")}
          description={t("dashboard.lastMonthsDescription")}
          points={data.lastMonths}
          unit={moneyUnit}
          variant="line"
          labelHeader={t("dashboard.month")}
          valueHeader={t("dashboard.earned")}
        />
        <FigureChart
          title={t("dashboard.downlineByLevel")}
          description={t("dashboard.downlineDescription")}
          points={data.downline}
          unit={{ kind: "count", locale: data.locale }}
          labelHeader={t("dashboard.level")}
          valueHeader={t("dashboard.agents")}
        />
        <section className="card rank" aria-labelledby="rank-title">
          <h3 id="rank-title">{t("dashboard.rank")}</h3>
          <p>
            {t("dashboard.yourRank")} <strong>{data.rank.current}</strong>
          </p>
          {data.rank.next ? (
            <>
              <p>{t("dashboard.toBecome", { rank: data.rank.next.name })}</p>
              <ul className="plain-list progress-list">
                {data.rank.next.requirements.map((r) => (
                  <li key={r.label}>
                    <label>
                      <span>
                        {r.label}: {t("dashboard.progress", { value: r.value, min: r.min })}
                        {r.met ? " ✓" : ""}
                      </span>
                      <progress value={Math.min(r.value, r.min)} max={r.min}>
                        {t("dashboard.progress", { value: r.value, min: r.min })}
                      </progress>
                    </label>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t("dashboard.top")}</p>
          )}
          <p className="muted small">{t("dashboard.rankNote")}</p>
        </section>
      </div>

      <section className="card referral" aria-labelledby="referral-title">
        <h2 id="referral-title">{t("dashboard.referralTitle")}</h2>
        <p>
          <Trans t={t} i18nKey="dashboard.referralIntro" values={{ code: data.referral.code }} components={{ strong: <strong /> }} />
        </p>
        <div className="referral-body">
          <div className="stack">
            <label htmlFor="referral-url">{t("dashboard.referralLink")}</label>
            <input
              id="referral-url"
              className="copy-field"
              type="text"
              readOnly
              value={data.referral.url}
              onFocus={(e) => e.currentTarget.select()}
            />
            <div className="row-actions">
              <CopyButton value={data.referral.url} />
            </div>
          </div>
          <figure className="referral-qr">
            <img src={data.referral.qr} alt={t("dashboard.qrAlt", { url: data.referral.url })} width={180} height={180} />
            <figcaption>
              <a href={data.referral.qr} download={`referral-${data.referral.code}.png`}>
                {t("dashboard.downloadQr")}
              </a>
            </figcaption>
          </figure>
        </div>
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Agent dashboard");
