import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { FigureChart } from "~/components/agent/chart";
import { CopyButton } from "~/components/agent/copy-button";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { ENTRY_STATUS_LABELS } from "~/modules/commissions/labels";
import { addMonthsTo, monthLabel, monthOf } from "~/modules/commissions/months";
import { agentDashboard } from "~/modules/commissions/portal.server";
import { qrPngDataUrl } from "~/modules/documents/qr.server";
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
    byTier: figures.byTier.map((t) => ({
      label: t.tier === null ? "Other (caps, adjustments)" : t.tier === 1 ? "Tier 1 (your sales)" : `Tier ${t.tier}`,
      tick: t.tier === null ? "Other" : `T${t.tier}`,
      value: t.amountMinor,
      display: money(t.amountMinor),
    })),
    byStatus: figures.byStatus.map((s) => ({
      status: s.status,
      label: ENTRY_STATUS_LABELS[s.status],
      amount: money(s.amountMinor),
      entries: s.entries,
    })),
    lastMonths: figures.lastMonths.map((m) => ({ label: monthShort(m.month), value: m.amountMinor, display: money(m.amountMinor) })),
    sales: { items: figures.sales.items, amount: money(figures.sales.amountMinor) },
    downline: figures.downline.map((l) => ({
      label: `Level ${l.level}`,
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
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p className="muted">
            {data.month}, in {data.timeZone.replace("_", " ")} time. Earnings are your commission entries of the month, whatever their
            status.
          </p>
        </div>
      </div>

      <section aria-labelledby="month-title">
        <h2 id="month-title">This month</h2>
        <ul className="stat-grid money-stats">
          <li className="stat">
            <span className="stat-value">{data.total}</span>
            <span className="stat-label">Earned in {data.month}</span>
          </li>
          <li className="stat">
            <span className="stat-value">{data.sales.items}</span>
            <span className="stat-label">{data.sales.items === 1 ? "Personal sale" : "Personal sales"}</span>
          </li>
          <li className="stat">
            <span className="stat-value">{data.sales.amount}</span>
            <span className="stat-label">Premium of your sales (first payments)</span>
          </li>
          <li className="stat">
            <span className="stat-value">{data.downlineTotal}</span>
            <span className="stat-label">Agents in your downline</span>
          </li>
        </ul>
        {data.byStatus.length > 0 ? (
          <div className="card">
            <h3>By status</h3>
            <dl className="details-list status-figures">
              {data.byStatus.map((s) => (
                <Fragment key={s.status}>
                  <dt>{s.label}</dt>
                  <dd>
                    {s.amount}{" "}
                    <span className="muted small">
                      ({s.entries} {s.entries === 1 ? "entry" : "entries"})
                    </span>
                  </dd>
                </Fragment>
              ))}
            </dl>
            <p className="small">
              <Link to="/agent/commissions">See every entry</Link>
            </p>
          </div>
        ) : null}
      </section>

      <div className="grid two agent-charts">
        {data.byTier.length === 0 ? (
          <div className="card">
            <h3>Earnings by tier</h3>
            <p className="muted">
              No commission yet this month. Tier 1 pays on your own sales; tiers 2 and up on sales in your downline.{" "}
              <Link to={`/agent/commissions?month=${data.previousMonth}`}>Last month&rsquo;s entries</Link>
            </p>
          </div>
        ) : (
          <FigureChart
            title="Earnings by tier"
            description="Tier 1 is your own sales, tier 2 your recruits' sales, and so on."
            points={data.byTier}
            unit={moneyUnit}
            labelHeader="Tier"
            valueHeader="Earned"
          />
        )}
        <FigureChart
          title="Last 12 months"
          description="Everything entered in your ledger for each month."
          points={data.lastMonths}
          unit={moneyUnit}
          variant="line"
          labelHeader="Month"
          valueHeader="Earned"
        />
        <FigureChart
          title="Downline by level"
          description="Level 1 are the agents you recruited, level 2 their recruits, and so on."
          points={data.downline}
          unit={{ kind: "count", locale: data.locale }}
          labelHeader="Level"
          valueHeader="Agents"
        />
        <section className="card rank" aria-labelledby="rank-title">
          <h3 id="rank-title">Rank</h3>
          <p>
            Your rank: <strong>{data.rank.current}</strong>
          </p>
          {data.rank.next ? (
            <>
              <p>To become a {data.rank.next.name}:</p>
              <ul className="plain-list progress-list">
                {data.rank.next.requirements.map((r) => (
                  <li key={r.label}>
                    <label>
                      <span>
                        {r.label}: {r.value} of {r.min}
                        {r.met ? " ✓" : ""}
                      </span>
                      <progress value={Math.min(r.value, r.min)} max={r.min}>
                        {r.value} of {r.min}
                      </progress>
                    </label>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>That is the top of the ladder.</p>
          )}
          <p className="muted small">
            Ranks are shown for encouragement only: they do not change your commission, which follows the agency&rsquo;s plan.
          </p>
        </section>
      </div>

      <section className="card referral" aria-labelledby="referral-title">
        <h2 id="referral-title">Your referral link</h2>
        <p>
          Share it: whoever joins through it becomes an agent in your downline. Your referral code is <strong>{data.referral.code}</strong>.
        </p>
        <div className="referral-body">
          <div className="stack">
            <label htmlFor="referral-url">Referral link</label>
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
            <img src={data.referral.qr} alt={`QR code for your referral link, ${data.referral.url}`} width={180} height={180} />
            <figcaption>
              <a href={data.referral.qr} download={`referral-${data.referral.code}.png`}>
                Download the QR code
              </a>
            </figcaption>
          </figure>
        </div>
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Agent dashboard");
