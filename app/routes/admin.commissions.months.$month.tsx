import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MonthBonuses } from "~/components/admin/month-bonuses";
import { BatchStatusBadge } from "~/components/commissions/badges";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { monthActionSchema } from "~/modules/commissions/admin-forms";
import { closedMonthInfo, monthParam, monthSlug, payoutBatch } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { closeMonth, payBatch, previewClose } from "~/modules/commissions/close.server";
import { commissionBankFile } from "~/modules/commissions/bank-files/bank-file.server";
import { bankFileSettings } from "~/modules/commissions/bank-files/settings.server";
import { agentPayoutMethod, agentPayoutProgress, startAgentPayouts } from "~/modules/commissions/agent-payouts.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { monthLabel } from "~/modules/commissions/months";
import { readForm } from "~/lib/forms";
import { sentenceIn, serverT } from "~/modules/i18n/i18n.server";

/**
 * /admin/commissions/months/:month (e.g. 2026-11) — what closing the month does (or did): its
 * entries, the caps that bite, each agent's payout or why it is held; closing it and paying its
 * batch, each after a confirmation step (`?confirm=close`, `?confirm=pay`) that works without
 * JavaScript. The engine's refusals are shown as messages.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:commission:any");
  const month = monthParam(params.month);
  const page = pageFrom(request);
  const canClose = can(user.roles, "close:commission-month:any");
  const canPay = can(user.roles, "pay:payout:any");
  const searchParams = new URL(request.url).searchParams;
  const confirm = searchParams.get("confirm");
  const { preview, info, bankFile, b2c } = await withTenant(tenant.id, async (db) => {
    const preview = await previewClose(db, { month, page, timeZone: tenant.timeZone, currency: tenant.currency });
    const info = preview.closed ? await closedMonthInfo(db, month) : undefined;
    // Paying agents by M-Pesa B2C where the agency has a payout provider (decision 047).
    const b2c =
      canPay && preview.batch && (await agentPayoutMethod(db, tenant.id)) ? await agentPayoutProgress(db, preview.batch.id) : null;
    // Malaysian banks' files (decision 047): for agencies that pay in ringgit.
    if (!canPay || !preview.batch || tenant.currency !== "MYR") return { preview, info, bankFile: null, b2c };
    const { bankFileFormat } = await bankFileSettings(db);
    // The file route sent staff back here because the bank would refuse lines: say which, for whom.
    const refused =
      searchParams.get("bankFile") === "refused"
        ? await commissionBankFile(db, {
            tenantId: tenant.id,
            tenantSlug: tenant.slug,
            batchId: preview.batch.id,
            timeZone: tenant.timeZone,
          })
        : undefined;
    return { preview, info, b2c, bankFile: { format: bankFileFormat, problems: refused && !refused.ok ? refused.problems : [] } };
  });
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  const when = (value: Date | string | null | undefined) => (value ? formatDateTime(value, tenant.locale, tenant.timeZone) : null);
  const t = await serverT(tenant.language, "admin-network");
  const label = monthLabel(month, tenant.locale);
  return json({
    title: t("month.title", { month: label }),
    month,
    slug: monthSlug(month),
    label,
    closed: preview.closed,
    closable: !preview.closed && preview.canClose,
    blockers: preview.blockers.map((b) => t(`month.blocker.${b.code}`, { month: monthLabel(b.month, tenant.locale) })),
    canClose,
    canPay,
    confirm:
      confirm === "close" && canClose && !preview.closed && preview.canClose
        ? "close"
        : confirm === "pay" && canPay && preview.batch?.status === "open"
          ? "pay"
          : null,
    bankFile: bankFile && {
      format: bankFile.format,
      bank: bankFile.format ? t(`bankFile.format.${bankFile.format}`) : null,
      problems: bankFile.problems.map((p) => ({
        who: p.agentNumber ? `${p.agentNumber} ${p.agentName}` : t("bankFile.agency"),
        what: t(`bankFile.problem.${p.code}`, p.values ?? {}),
      })),
    },
    b2c: b2c && {
      counts: b2c.counts,
      toStart: b2c.toStart,
      lines: b2c.lines.map((l) => ({
        id: l.id,
        who: `${l.agent_number} ${l.name}`,
        amount: money(Number(l.amount_minor)),
        what: (l.status === "failed" ? l.failure_message : l.needs_attention) ?? "",
        failed: l.status === "failed",
      })),
      noPhone: b2c.noPhone,
    },
    counts: preview.counts,
    earned: money(preview.earnedMinor),
    capCuts: preview.capCuts.map((c) => ({
      key: `${c.agentId}-${c.productName}-${c.tier}`,
      agentId: c.agentId,
      agentNumber: c.agentNumber,
      agentName: c.agentName,
      productName: c.productName,
      tier: c.tier,
      earned: money(c.earnedMinor),
      cap: money(c.capMinor),
      cut: money(c.cutMinor),
    })),
    capCutTotal: money(preview.capCuts.reduce((n, c) => n + c.cutMinor, 0)),
    bonuses: preview.bonuses.map((b) => ({
      ...b,
      key: `${b.agentId}-${b.kind}-${b.bonusName}`,
      base: money(b.baseMinor),
      amount: money(b.amountMinor),
    })),
    bonusTotal: money(preview.bonuses.reduce((n, b) => n + b.amountMinor, 0)),
    payouts: preview.payouts.map((p) => ({
      agentId: p.agentId,
      agentNumber: p.agentNumber,
      agentName: p.agentName,
      payable: money(p.payableMinor),
      held: p.held ? (HELD[p.held] ? t(`month.held.${HELD[p.held]}`) : p.held) : null,
    })),
    payoutsCount: preview.payoutsCount,
    payoutTotal: money(preview.payoutTotalMinor),
    page: preview.page,
    // A full page may have more after it (held balances are listed too, so the count alone does not tell).
    hasMore: preview.payouts.length === preview.pageSize,
    batch: preview.batch
      ? {
          id: preview.batch.id,
          reference: preview.batch.reference,
          status: preview.batch.status,
          payoutsCount: preview.batch.payoutsCount,
          total: money(preview.batch.totalMinor),
          paidAt: when(preview.batch.paidAt),
        }
      : null,
    info: info
      ? {
          closedAt: when(info.closedAt)!,
          closedBy: info.closedBy,
          entries: info.entriesCount,
          agents: info.agentsCount,
          total: formatMoney(info.totalMinor, info.currency, tenant.locale),
          statements: info.statements,
          statementsRendered: info.statementsRendered,
        }
      : null,
  });
}

/** A unique-key clash means someone else closed or paid at the same moment: say so, never a 500. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "23505";
}

export async function action({ request, params }: ActionFunctionArgs) {
  const month = monthParam(params.month);
  const formData = await readForm(request);
  const parsed = monthActionSchema.safeParse(Object.fromEntries(formData));
  const { tenant, user } = await requireNetworkPermission(
    request,
    parsed.success && parsed.data.intent === "pay" ? "pay:payout:any" : "close:commission-month:any",
  );
  const t = await serverT(tenant.language, "admin-network");
  if (!parsed.success) return json({ error: t("month.unknownAction") }, { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const here = `/admin/commissions/months/${monthSlug(month)}`;

  if (parsed.data.intent === "close") {
    try {
      const result = await withTenant(tenant.id, async (db) => {
        const closed = await closeMonth(db, { month, timeZone: tenant.timeZone, currency: tenant.currency, actorUserId: user.id });
        if (closed.ok)
          await recordAudit(db, actor, {
            action: "commission.month_closed",
            targetType: "commission_month",
            targetId: month,
            details: {
              month,
              statements: closed.statements,
              payouts: closed.payouts,
              totalMinor: closed.totalMinor,
              batchId: closed.batchId,
            },
          });
        return closed;
      });
      if (!result.ok)
        return json(
          { error: result.blockers.map((b) => t(`month.blocker.${b.code}`, { month: monthLabel(b.month, tenant.locale) })).join(" ") },
          { status: 409 },
        );
      return redirect(`${here}?notice=closed`);
    } catch (error) {
      if (isUniqueViolation(error))
        return json({ error: t("month.closedBySomeoneElse", { month: monthLabel(month, tenant.locale) }) }, { status: 409 });
      throw error;
    }
  }

  const batchId = parsed.data.batchId;
  if (parsed.data.intent === "b2c") {
    const started = await withTenant(tenant.id, async (db) => {
      const batch = await payoutBatch(db, batchId);
      if (!batch || batch.month !== month) return null;
      return startAgentPayouts(db, tenant, { batchId, origin: originOf(request) }, actor);
    });
    if (!started) throw new Response("Not found", { status: 404 });
    if (!started.ok) return json({ error: await sentenceIn(tenant.language, started.reason) }, { status: 409 });
    return redirect(`${here}?notice=b2c`);
  }
  const result = await withTenant(tenant.id, async (db) => {
    const batch = await payoutBatch(db, batchId);
    // Another tenant's batch, or one of another month: as if it did not exist.
    if (!batch || batch.month !== month) return null;
    const paid = await payBatch(db, { batchId, actorUserId: user.id });
    if (paid.ok)
      await recordAudit(db, actor, {
        action: "commission.batch_paid",
        targetType: "payout_batch",
        targetId: batchId,
        details: { month, reference: batch.reference, totalMinor: batch.total_minor, payouts: paid.payouts },
      });
    return paid;
  });
  if (!result) throw new Response("Not found", { status: 404 });
  if (!result.ok) return json({ error: await sentenceIn(tenant.language, result.reason) }, { status: 409 });
  return redirect(`${here}?notice=paid`);
}

/** Why a payout is held, as the close engine words it (close.server.ts), to its translation key. */
const HELD: Record<string, string> = {
  "No bank details": "noBank",
  "Balance not positive: carried to the next month": "notPositive",
};

const NOTICES = ["closed", "paid", "b2c"] as const;

export default function CommissionMonth() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.get("notice");
  const { t } = useTranslation("admin-network");
  const c = data.counts;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/commissions/months">{t("commissionsNav.months")}</Link> / {data.label}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {data.label}{" "}
            {data.closed ? (
              <span className="badge badge-active">{t("months.closed")}</span>
            ) : data.closable ? (
              <span className="badge badge-pending">{t("months.ready")}</span>
            ) : (
              <span className="badge">{t("months.open")}</span>
            )}
          </h1>
          <p className="muted">
            {data.closed
              ? data.info?.closedBy
                ? t("month.closedBy", { at: data.info.closedAt, name: data.info.closedBy })
                : t("month.closedAuto", { at: data.info?.closedAt ?? "" })
              : t("month.preview")}
          </p>
        </div>
        <Link className="btn btn-secondary" to={`/admin/commissions?month=${data.month}`}>
          {t("month.entries")}
        </Link>
      </div>
      {notice && (NOTICES as readonly string[]).includes(notice) ? <Alert tone="success">{t(`month.notice.${notice}`)}</Alert> : null}
      {actionData?.error ? (
        <Alert tone="error" title={t("month.nothingChanged")}>
          {actionData.error}
        </Alert>
      ) : null}

      <section aria-labelledby="month-figures-title">
        <h2 id="month-figures-title" className="visually-hidden">
          {t("month.figures")}
        </h2>
        <ul className="stat-grid money-stats">
          <li className="stat">
            <span className="stat-value">{data.earned}</span>
            <span className="stat-label">{t("month.net")}</span>
          </li>
          <li className="stat">
            <span className="stat-value">{c.pending}</span>
            <span className="stat-label">{t("entryStatus.pending")}</span>
          </li>
          <li className="stat">
            <span className="stat-value">{c.approved}</span>
            <span className="stat-label">{t("entryStatus.approved")}</span>
          </li>
          <li className="stat">
            <span className="stat-value">{c.disputed}</span>
            <span className="stat-label">{t("entryStatus.disputed")}</span>
          </li>
          <li className="stat">
            <span className="stat-value">{c.paid}</span>
            <span className="stat-label">{t("entryStatus.paid")}</span>
          </li>
          <li className="stat">
            <span className="stat-value">{data.payoutTotal}</span>
            <span className="stat-label">{t(data.closed ? "month.paidOut" : "month.toPayOut", { count: data.payoutsCount })}</span>
          </li>
        </ul>
      </section>

      {data.closed ? <ClosedMonth /> : <CloseSection />}
      <CapCuts />
      <MonthBonuses bonuses={data.bonuses} total={data.bonusTotal} closed={data.closed} />
      <Payouts />
    </div>
  );
}

function CloseSection() {
  const data = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("admin-network");
  if (!data.closable)
    return (
      <Alert tone="info" title={t("month.cannotClose")}>
        <ul className="plain-list">
          {data.blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      </Alert>
    );
  if (!data.canClose) return <p className="muted">{t("month.adminCloses")}</p>;
  if (data.confirm !== "close")
    return (
      <section className="card stack" aria-labelledby="close-title">
        <h2 id="close-title">{t("month.close", { month: data.label })}</h2>
        <p>{t("month.closeIntro")}</p>
        <div>
          <Link className="btn btn-primary" to="?confirm=close">
            {t("month.closeButton")}
          </Link>
        </div>
      </section>
    );
  return (
    <section className="card danger-zone stack" aria-labelledby="confirm-close-title">
      <h2 id="confirm-close-title">{t("month.confirmClose", { month: data.label })}</h2>
      <ul>
        <li>
          {t("month.approves", { count: data.counts.pending })}
          {data.counts.disputed ? t("month.disputedWait", { count: data.counts.disputed }) : ""}.
        </li>
        <li>{data.capCuts.length ? t("month.capsApplied", { count: data.capCuts.length, total: data.capCutTotal }) : t("month.noCap")}</li>
        <li>{t("month.statements")}</li>
        <li>
          {data.payoutsCount ? t("month.batchBuilt", { count: data.payoutsCount, total: data.payoutTotal }) : t("month.nobodyPaid")}{" "}
          {t("month.heldCarried")}
        </li>
      </ul>
      <p className="muted">{t("month.once")}</p>
      <Form method="post" action={`/admin/commissions/months/${data.slug}`} className="actions">
        <Button type="submit" name="intent" value="close" variant="danger" busy={busy}>
          {t("month.close", { month: data.label })}
        </Button>
        <Link to={`/admin/commissions/months/${data.slug}`}>{t("timeline.cancel")}</Link>
      </Form>
    </section>
  );
}

function ClosedMonth() {
  const data = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const { info, batch } = data;
  const { t } = useTranslation("admin-network");
  return (
    <section className="card stack" aria-labelledby="closed-title">
      <h2 id="closed-title">{t("month.theClose")}</h2>
      <dl className="details-list">
        <dt>{t("month.statementsTerm")}</dt>
        <dd>
          {info?.statements ?? 0}
          {info && info.statements > 0 ? (
            <span className="muted">
              {" "}
              ·{" "}
              {info.statementsRendered === info.statements
                ? t("month.allPdfs")
                : t("month.somePdfs", { made: info.statementsRendered, total: info.statements })}
            </span>
          ) : null}
        </dd>
        <dt>{t("months.entries")}</dt>
        <dd>{t("month.entriesFor", { entries: info?.entries ?? 0, count: info?.agents ?? 0, total: info?.total })}</dd>
        <dt>{t("months.batch")}</dt>
        <dd>
          {batch ? (
            <>
              {batch.reference} · {t("month.payouts", { count: batch.payoutsCount })} · {batch.total}{" "}
              <BatchStatusBadge status={batch.status} />
              {batch.paidAt ? <span className="muted"> {batch.paidAt}</span> : null}
            </>
          ) : (
            <span className="muted">{t("month.noBatch")}</span>
          )}
        </dd>
      </dl>
      {batch && data.canPay ? (
        <div className="actions">
          {data.bankFile?.bank ? (
            <a className="btn btn-secondary" href={`/admin/commissions/payouts/${batch.id}/bank-file`}>
              {t("bankFile.download", { bank: data.bankFile.bank })}
            </a>
          ) : null}
          <a className="btn btn-secondary" href={`/admin/commissions/payouts/${batch.id}.csv`} download>
            {t("month.bankCsv")}
          </a>
          {batch.status === "open" && data.confirm !== "pay" ? (
            <Link className="btn btn-primary" to="?confirm=pay">
              {t("month.markPaidButton")}
            </Link>
          ) : null}
        </div>
      ) : batch ? (
        <p className="muted">{t("month.adminPays")}</p>
      ) : null}
      {batch && data.bankFile && !data.bankFile.bank ? (
        <p className="muted">
          {t("bankFile.noFormat")} <Link to="/admin/agents/settings#bank-file">{t("bankFile.settingsLink")}</Link>
        </p>
      ) : null}
      {batch && data.b2c ? <AgentPayouts batchId={batch.id} open={batch.status === "open"} /> : null}
      {data.bankFile?.problems.length ? (
        <div id="bank-file">
          <Alert tone="error" title={t("bankFile.refused", { count: data.bankFile.problems.length })}>
            <ul>
              {data.bankFile.problems.map((p, i) => (
                <li key={i}>
                  <strong>{p.who}</strong>: {p.what}
                </li>
              ))}
            </ul>
          </Alert>
        </div>
      ) : null}
      {batch && data.confirm === "pay" ? (
        <div className="card danger-zone stack" role="region" aria-labelledby="confirm-pay-title">
          <h3 id="confirm-pay-title">{t("month.confirmPay", { reference: batch.reference })}</h3>
          <p>{t("month.confirmPayBody", { total: batch.total, count: batch.payoutsCount })}</p>
          <Form method="post" action={`/admin/commissions/months/${data.slug}`} className="actions">
            <input type="hidden" name="batchId" value={batch.id} />
            <Button type="submit" name="intent" value="pay" variant="danger" busy={busy}>
              {t("month.markPaid", { reference: batch.reference })}
            </Button>
            <Link to={`/admin/commissions/months/${data.slug}`}>{t("timeline.cancel")}</Link>
          </Form>
        </div>
      ) : null}
    </section>
  );
}

/** Paying the batch's agents by M-Pesa B2C: progress, failures and the button that starts or retries them. */
function AgentPayouts({ batchId, open }: { batchId: string; open: boolean }) {
  const data = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("admin-network");
  const b2c = data.b2c!;
  return (
    <div className="stack" role="region" aria-labelledby="b2c-title">
      <h3 id="b2c-title">{t("b2c.title")}</h3>
      <p>{t("b2c.counts", b2c.counts)}</p>
      {b2c.noPhone.length ? <p className="muted">{t("b2c.noPhone", { numbers: b2c.noPhone.join(", ") })}</p> : null}
      {b2c.lines.length ? (
        <ul>
          {b2c.lines.map((l) => (
            <li key={l.id}>
              <strong>{l.who}</strong> · {l.amount} ·{" "}
              {l.failed ? t("b2c.failed", { reason: l.what }) : t("b2c.attention", { note: l.what })}
            </li>
          ))}
        </ul>
      ) : null}
      {open && b2c.toStart > 0 ? (
        <Form method="post" action={`/admin/commissions/months/${data.slug}`} className="actions">
          <input type="hidden" name="batchId" value={batchId} />
          <Button type="submit" name="intent" value="b2c" busy={busy}>
            {t("b2c.start", { count: b2c.toStart })}
          </Button>
        </Form>
      ) : null}
    </div>
  );
}

function CapCuts() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-network");
  if (data.capCuts.length === 0) return null;
  return (
    <section className="card" aria-labelledby="caps-title">
      <h2 id="caps-title">{data.closed ? t("month.capsTitleClosed") : t("month.capsTitle")}</h2>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t("agents.agent")}</th>
              <th scope="col">{t("month.rule")}</th>
              <th scope="col">{t("month.earned")}</th>
              <th scope="col">{t("entryKind.cap")}</th>
              <th scope="col">{t("month.takenOff")}</th>
            </tr>
          </thead>
          <tbody>
            {data.capCuts.map((c) => (
              <tr key={c.key}>
                <td data-label={t("agents.agent")}>
                  <span className="break">
                    <Link to={`/admin/agents/${c.agentId}`}>{c.agentNumber}</Link> {c.agentName}
                  </span>
                </td>
                <td data-label={t("month.rule")}>
                  {c.productName} · T{c.tier}
                </td>
                <td data-label={t("month.earned")}>{c.earned}</td>
                <td data-label={t("entryKind.cap")}>{c.cap}</td>
                <td data-label={t("month.takenOff")}>{c.cut}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Payouts() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-network");
  return (
    <section className="card" aria-labelledby="payouts-title">
      <h2 id="payouts-title">{data.closed ? t("month.payoutsTitleClosed") : t("month.payoutsTitle")}</h2>
      {data.payouts.length === 0 ? (
        <p className="muted">{data.closed ? t("month.nobodyWasPaid") : t("month.nobodyToPay")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("agents.agent")}</th>
                <th scope="col">{t("ledger.amount")}</th>
                <th scope="col">{t("month.paidThisMonth")}</th>
              </tr>
            </thead>
            <tbody>
              {data.payouts.map((p) => (
                <tr key={p.agentId}>
                  <td data-label={t("agents.agent")}>
                    <span className="break">
                      <Link to={`/admin/agents/${p.agentId}`}>{p.agentNumber}</Link> {p.agentName}
                    </span>
                  </td>
                  <td data-label={t("ledger.amount")}>{p.payable}</td>
                  <td data-label={t("month.paidThisMonth")}>
                    {p.held ? (
                      <span className="badge badge-pending">{t("month.held.label", { reason: p.held })}</span>
                    ) : (
                      <span className="badge badge-active">{t("month.yes")}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} hasMore={data.hasMore} />
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Commission month");
