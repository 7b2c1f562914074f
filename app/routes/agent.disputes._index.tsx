import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { PortalBadge } from "~/components/agent/status";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { can } from "~/modules/auth/permissions";
import { formatRate } from "~/modules/commissions/calculate";
import { listDisputes, openDispute } from "~/modules/commissions/disputes.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { monthLabel } from "~/modules/commissions/months";
import { DISPUTE_TEXT_MAX, openDisputeSchema } from "~/modules/commissions/portal-schemas";
import { myEntry } from "~/modules/commissions/portal.server";
import { requireAgent } from "~/modules/network/current-agent.server";
import { lineText } from "~/lib/text";
import { readForm } from "~/lib/forms";

/**
 * /agent/disputes — the agent's disputes, and (with ?entry=<id>, from a row of Commissions) the
 * form to dispute one of their own entries with a reason. Another agent's entry is "not found".
 */
const listQuery = z.object({
  status: z.enum(["open", "rejected", "adjusted"]).optional().catch(undefined),
  entry: lineText().uuid().optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user, agent } = await requireAgent(request, "read:network:own");
  const params = new URL(request.url).searchParams;
  const query = listQuery.parse({ status: params.get("status") || undefined, entry: params.get("entry") || undefined });
  if (params.get("entry") && !query.entry) throw new Response("Not found", { status: 404 });
  const page = pageFrom(request);
  const { list, entry } = await withTenant(tenant.id, async (db) => ({
    list: await listDisputes(db, { agentId: agent.id, status: query.status, page }),
    entry: query.entry ? await myEntry(db, agent.id, query.entry) : null,
  }));
  if (query.entry && !entry) throw new Response("Not found", { status: 404 });
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const t = await serverT(tenant.language, "agent");
  return json({
    title: t("disputes.title"),
    status: query.status ?? "",
    page,
    hasMore: page * list.pageSize < list.total,
    total: list.total,
    canDispute: can(user.roles, "dispute:commission:own"),
    entry: entry
      ? {
          id: entry.id,
          date: formatDate(entry.earnedAt, tenant.locale, tenant.timeZone),
          month: monthLabel(entry.month, tenant.locale),
          kind: t(`entryKind.${entry.kind}`),
          product: entry.productName,
          frequency: entry.frequency ? t(`commissionFrequency.${entry.frequency}`) : null,
          tier: entry.tier,
          seller: entry.seller ? `${entry.seller.name} (${entry.seller.agentNumber})` : null,
          base: entry.baseMinor === null ? null : money(entry.baseMinor, entry.currency),
          rate: entry.rateBp === null ? null : formatRate(entry.rateBp),
          amount: money(entry.amountMinor, entry.currency),
          status: t(`entryStatus.${entry.status}`),
          disputable: entry.disputable,
          openDispute: entry.dispute?.status === "open" ? entry.dispute.id : null,
        }
      : null,
    rows: list.rows.map((d) => ({
      id: d.id,
      status: d.status,
      statusLabel: t(`disputeStatus.${d.status}`),
      opened: formatDate(d.createdAt, tenant.locale, tenant.timeZone),
      openedIso: d.createdAt.toISOString(),
      resolved: d.resolvedAt ? formatDate(d.resolvedAt, tenant.locale, tenant.timeZone) : null,
      reason: d.reason,
      product: d.productName,
      tier: d.tier,
      month: monthLabel(d.month, tenant.locale),
      amount: money(d.entryAmountMinor, d.currency),
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user, agent } = await requireAgent(request, "dispute:commission:own");
  const submission = parseWithZod(await readForm(request), { schema: openDisputeSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const opened = await withTenant(tenant.id, (db) =>
    openDispute(db, { entryId: submission.value.entryId, agentId: agent.id, userId: user.id, reason: submission.value.reason }),
  );
  if (!opened.ok) return json(submission.reply({ formErrors: [opened.reason] }), { status: 400 });
  return redirect(`/agent/disputes/${opened.disputeId}?opened=1`);
}

export default function AgentDisputes() {
  const { status, page, hasMore, total, canDispute, entry, rows } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const { t } = useTranslation("agent");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("disputes.title")}</h1>
          <p className="muted">
            <Trans t={t} i18nKey="disputes.intro" components={{ link: <Link to="/agent/commissions" /> }} />
          </p>
        </div>
      </div>

      {entry ? (
        <NewDispute entry={entry} canDispute={canDispute} />
      ) : lastResult?.error ? (
        // A post without its entry in the page's address (the form keeps it there): say why it failed.
        <FormErrors errors={Object.values(lastResult.error).flatMap((e) => e ?? [])} />
      ) : null}

      <nav className="subnav" aria-label={t("disputes.statusNav")}>
        {[
          { value: "", label: t("disputes.all") },
          { value: "open", label: t("disputeStatus.open") },
          { value: "adjusted", label: t("disputeStatus.adjusted") },
          { value: "rejected", label: t("disputeStatus.rejected") },
        ].map((s) => (
          <Link
            key={s.value}
            to={s.value ? `/agent/disputes?status=${s.value}` : "/agent/disputes"}
            className={status === s.value ? "active" : undefined}
            aria-current={status === s.value ? "page" : undefined}
          >
            {s.label}
          </Link>
        ))}
      </nav>

      {rows.length === 0 ? (
        <div className="card empty">
          <p>{status ? t("disputes.noneWithStatus") : t("disputes.none")}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("disputes.caption", { total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("disputes.opened")}</th>
                <th scope="col">{t("disputes.commission")}</th>
                <th scope="col">{t("disputes.reason")}</th>
                <th scope="col">{t("disputes.status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td data-label={t("disputes.opened")}>
                    <Link to={`/agent/disputes/${d.id}`}>
                      <time dateTime={d.openedIso}>{d.opened}</time>
                    </Link>
                  </td>
                  <td data-label={t("disputes.commission")}>
                    <span className="break">
                      {d.amount} · {d.product ?? "—"}
                      {d.tier ? ` · ${t("disputes.tierN", { tier: d.tier })}` : ""}
                      <br />
                      <span className="muted small">{d.month}</span>
                    </span>
                  </td>
                  <td data-label={t("disputes.reason")} className="message-cell">
                    <span className="break">{d.reason}</span>
                  </td>
                  <td data-label={t("disputes.status")}>
                    <span>
                      <PortalBadge status={d.status} label={d.statusLabel} />
                      {d.resolved ? (
                        <>
                          <br />
                          <span className="muted small">{d.resolved}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

type EntryView = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["entry"]>;

function NewDispute({ entry, canDispute }: { entry: EntryView; canDispute: boolean }) {
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("agent");
  const errorText = useErrorText();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { entryId: entry.id },
    constraint: getZodConstraint(openDisputeSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: openDisputeSchema }),
  });
  return (
    <section className="card stack" aria-labelledby="new-dispute-title">
      <h2 id="new-dispute-title">{t("disputes.new.title")}</h2>
      <dl className="details-list">
        <dt>{t("disputes.new.date")}</dt>
        <dd>
          {entry.date}{" "}
          <span className="muted small">
            ({entry.kind}, {entry.month})
          </span>
        </dd>
        <dt>{t("disputes.new.product")}</dt>
        <dd>
          {entry.product ?? "—"}
          {entry.frequency ? ` · ${entry.frequency}` : ""}
        </dd>
        <dt>{t("disputes.new.tier")}</dt>
        <dd>
          {entry.tier ?? "—"}
          {entry.seller ? ` · ${t("disputes.new.soldBy", { seller: entry.seller })}` : ""}
        </dd>
        {entry.base ? (
          <>
            <dt>{t("disputes.new.base")}</dt>
            <dd>
              {entry.base}
              {entry.rate ? ` ${t("disputes.new.at", { rate: entry.rate })}` : ""}
            </dd>
          </>
        ) : null}
        <dt>{t("disputes.new.amount")}</dt>
        <dd>{entry.amount}</dd>
        <dt>{t("disputes.new.status")}</dt>
        <dd>{entry.status}</dd>
      </dl>
      {entry.openDispute ? (
        <Alert tone="info" title={t("disputes.new.already")}>
          <Link to={`/agent/disputes/${entry.openDispute}`}>{t("disputes.new.see")}</Link>
        </Alert>
      ) : !entry.disputable ? (
        <Alert tone="info" title={t("disputes.new.cannotTitle")}>
          {t("disputes.new.cannot")}
        </Alert>
      ) : !canDispute ? (
        <Alert tone="info" title={t("disputes.new.notAllowed")} />
      ) : (
        <Form method="post" className="stack" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <input type="hidden" name={fields.entryId.name} value={entry.id} />
          <div className={`field${fields.reason.errors ? " field-invalid" : ""}`}>
            <label htmlFor={fields.reason.id}>{t("disputes.new.what")}</label>
            <textarea
              rows={5}
              {...getTextareaProps(fields.reason)}
              maxLength={DISPUTE_TEXT_MAX}
              aria-describedby={`${fields.reason.id}-hint${fields.reason.errors ? ` ${fields.reason.id}-error` : ""}`}
            />
            <p className="field-hint" id={`${fields.reason.id}-hint`}>
              {t("disputes.new.hint")}
            </p>
            {fields.reason.errors ? (
              <p className="field-error" id={`${fields.reason.id}-error`} role="alert">
                {errorText(fields.reason.errors)}
              </p>
            ) : null}
          </div>
          <div>
            <Button type="submit" busy={busy}>
              {t("disputes.new.open")}
            </Button>{" "}
            <Link to="/agent/commissions">{t("disputes.new.cancel")}</Link>
          </div>
        </Form>
      )}
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Disputes");
