import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CheckboxField, SelectField, selectProps } from "~/components/console/fields";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { formatMoney } from "~/lib/money";
import { clientInfo } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { BONUS_KINDS, bonusRuleSchema, rankSchema } from "~/modules/commissions/bonus-forms";
import { listBonusVersions, saveBonusVersion } from "~/modules/commissions/bonus-rules.server";
import { formatRate } from "~/modules/commissions/calculate";
import { addMonthsTo, monthOf } from "~/modules/commissions/months";
import { serverT } from "~/modules/i18n/i18n.server";
import { addRank, listRanks, removeRank } from "~/modules/network/agent-ranks.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";

/**
 * /admin/commissions/bonuses — the agency's ranks and its bonuses (decision 048): performance
 * bonuses on an agent's own sales, team bonuses for a rank on the downline's. Saving a bonus adds a
 * version from a month; the close pays the version in force in the month it closes.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:commission:any");
  const month = monthOf(new Date(), tenant.timeZone);
  const [ranks, versions] = await withTenant(tenant.id, (db) => Promise.all([listRanks(db), listBonusVersions(db, month)]));
  const money = (minor: number | null) => (minor === null ? null : formatMoney(minor, tenant.currency, tenant.locale));
  return json({
    title: (await serverT(tenant.language, "admin-network"))("bonuses.title"),
    canManage: can(user.roles, "manage:commission-rules:any"),
    currency: tenant.currency,
    nextMonth: addMonthsTo(month, 1).slice(0, 7),
    ranks,
    versions: versions.map((v) => ({
      ...v,
      threshold: money(v.thresholdMinor),
      amount: money(v.amountMinor),
      rate: v.rateBp === null ? null : formatRate(v.rateBp),
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "manage:commission-rules:any");
  const formData = await readForm(request);
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const intent = formData.get("intent");
  if (intent === "rank") {
    const submission = parseWithZod(formData, { schema: rankSchema });
    if (submission.status !== "success") return json({ intent: "rank" as const, reply: submission.reply() }, { status: 400 });
    const added = await withTenant(tenant.id, (db) => addRank(db, submission.value, actor));
    if (!added.ok) return json({ intent: "rank" as const, reply: submission.reply(replyErrors(added.fieldErrors)) }, { status: 400 });
    return redirect("/admin/commissions/bonuses?saved=rank");
  }
  if (intent === "removeRank") {
    const rankId = lineText().uuid().safeParse(formData.get("rankId"));
    if (!rankId.success) return json({ intent: "removeRank" as const, reason: "There is no such rank." }, { status: 400 });
    const removed = await withTenant(tenant.id, (db) => removeRank(db, rankId.data, actor));
    if (!removed.ok) return json({ intent: "removeRank" as const, reason: removed.reason }, { status: 409 });
    return redirect("/admin/commissions/bonuses?saved=rankRemoved");
  }
  const submission = parseWithZod(formData, { schema: bonusRuleSchema(tenant.currency) });
  if (submission.status !== "success") return json({ intent: "bonus" as const, reply: submission.reply() }, { status: 400 });
  const saved = await withTenant(tenant.id, (db) => saveBonusVersion(db, submission.value, actor));
  if (!saved.ok)
    return json(
      { intent: "bonus" as const, reply: submission.reply(replyErrors(saved.fieldErrors, ["stopped", "seriesId"])) },
      { status: 400 },
    );
  return redirect("/admin/commissions/bonuses?saved=bonus");
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

export default function BonusesPage() {
  const { ranks, versions, canManage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();
  const saved = params.get("saved");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("bonuses.title")}</h1>
          <p className="muted">{t("bonuses.intro")}</p>
        </div>
      </div>
      {saved && !actionData ? (
        <Alert tone="success" title={t(`bonuses.saved.${saved === "rank" || saved === "rankRemoved" ? saved : "bonus"}`)} />
      ) : null}
      <section className="card stack" aria-labelledby="ranks-title">
        <h2 id="ranks-title">{t("bonuses.ranks.title")}</h2>
        <p className="muted">{t("bonuses.ranks.intro")}</p>
        {actionData?.intent === "removeRank" ? <Alert tone="error" title={errorText([actionData.reason])} /> : null}
        {ranks.length === 0 ? (
          <p className="muted">{t("bonuses.ranks.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("bonuses.ranks.position")}</th>
                  <th scope="col">{t("bonuses.ranks.name")}</th>
                  <th scope="col">{t("bonuses.ranks.code")}</th>
                  <th scope="col">{t("bonuses.ranks.agents")}</th>
                  {canManage ? <th scope="col">{t("bonuses.ranks.actions")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {ranks.map((r) => (
                  <tr key={r.id}>
                    <td data-label={t("bonuses.ranks.position")}>{r.position}</td>
                    <td data-label={t("bonuses.ranks.name")}>{r.name}</td>
                    <td data-label={t("bonuses.ranks.code")}>{r.code}</td>
                    <td data-label={t("bonuses.ranks.agents")}>{r.agents}</td>
                    {canManage ? (
                      <td>
                        <Form method="post">
                          <input type="hidden" name="intent" value="removeRank" />
                          <input type="hidden" name="rankId" value={r.id} />
                          <Button type="submit" variant="secondary">
                            {t("bonuses.ranks.remove", { name: r.name })}
                          </Button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canManage ? <RankForm lastResult={actionData?.intent === "rank" ? actionData.reply : undefined} /> : null}
      </section>
      <section className="card stack" aria-labelledby="bonuses-title">
        <h2 id="bonuses-title">{t("bonuses.list.title")}</h2>
        {versions.length === 0 ? <p className="muted">{t("bonuses.list.empty")}</p> : <VersionTable versions={versions} />}
        {canManage ? <BonusForm lastResult={actionData?.intent === "bonus" ? actionData.reply : undefined} /> : null}
      </section>
    </div>
  );
}

function VersionTable({ versions }: { versions: Loaded["versions"] }) {
  const { t } = useTranslation("admin-network");
  const pays = (v: Loaded["versions"][number]) => {
    if (v.stopped) return t("bonuses.list.stopped");
    if (v.kind === "team") return t("bonuses.list.paysTeam", { rate: v.rate, rank: v.rankName, count: v.levels ?? 1 });
    return t("bonuses.list.paysPerformance", { pays: v.amount ?? v.rate, threshold: v.threshold });
  };
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t("bonuses.list.name")}</th>
            <th scope="col">{t("bonuses.list.kind")}</th>
            <th scope="col">{t("bonuses.list.from")}</th>
            <th scope="col">{t("bonuses.list.state")}</th>
            <th scope="col">{t("bonuses.list.pays")}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id}>
              <td data-label={t("bonuses.list.name")}>{v.name}</td>
              <td data-label={t("bonuses.list.kind")}>{t(`bonuses.kind.${v.kind}`)}</td>
              <td data-label={t("bonuses.list.from")}>{v.effectiveFrom.slice(0, 7)}</td>
              <td data-label={t("bonuses.list.state")}>{t(`bonuses.state.${v.state}`)}</td>
              <td data-label={t("bonuses.list.pays")}>{pays(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RankForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation("admin-network");
  const busy = useNavigation().formData?.get("intent") === "rank";
  const [form, fields] = useForm({
    id: "rank-form",
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: rankSchema }),
  });
  return (
    <Form method="post" className="stack form-narrow" {...getFormProps(form)}>
      <h3>{t("bonuses.ranks.add")}</h3>
      <input type="hidden" name="intent" value="rank" />
      <FormErrors errors={form.errors} />
      <Field label={t("bonuses.ranks.name")} {...inputProps(fields.name, { type: "text" })} />
      <Field label={t("bonuses.ranks.code")} hint={t("bonuses.ranks.codeHint")} {...inputProps(fields.code, { type: "text" })} />
      <Field
        label={t("bonuses.ranks.position")}
        hint={t("bonuses.ranks.positionHint")}
        inputMode="numeric"
        {...inputProps(fields.position, { type: "number" })}
      />
      <div>
        <Button type="submit" busy={busy}>
          {t("bonuses.ranks.save")}
        </Button>
      </div>
    </Form>
  );
}

function BonusForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const { ranks, versions, currency, nextMonth } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-network");
  const busy = useNavigation().formData?.get("intent") === "bonus";
  const [form, fields] = useForm({
    id: "bonus-form",
    lastResult,
    defaultValue: { kind: "performance", pays: "fixed", effectiveFrom: nextMonth, levels: "1" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: bonusRuleSchema(currency) }),
  });
  const series = [...new Map(versions.map((v) => [v.seriesId, v.name])).entries()].map(([value, label]) => ({ value, label }));
  return (
    <Form method="post" className="stack form-narrow" {...getFormProps(form)}>
      <h3>{t("bonuses.form.title")}</h3>
      <p className="muted">{t("bonuses.form.intro")}</p>
      <input type="hidden" name="intent" value="bonus" />
      <FormErrors errors={form.errors} />
      {series.length > 0 ? (
        <SelectField
          label={t("bonuses.form.series")}
          choices={series}
          placeholder={t("bonuses.form.newBonus")}
          {...selectProps(fields.seriesId)}
        />
      ) : null}
      <Field label={t("bonuses.form.name")} {...inputProps(fields.name, { type: "text" })} />
      <SelectField
        label={t("bonuses.form.kind")}
        choices={BONUS_KINDS.map((k) => ({ value: k, label: t(`bonuses.kind.${k}`) }))}
        {...selectProps(fields.kind)}
      />
      <Field label={t("bonuses.form.from")} hint={t("bonuses.form.fromHint")} {...inputProps(fields.effectiveFrom, { type: "month" })} />
      <fieldset className="stack">
        <legend>{t("bonuses.kind.performance")}</legend>
        <Field
          label={t("bonuses.form.threshold", { currency })}
          hint={t("bonuses.form.thresholdHint")}
          inputMode="decimal"
          {...inputProps(fields.threshold, { type: "text" })}
        />
        <SelectField
          label={t("bonuses.form.pays")}
          choices={[
            { value: "fixed", label: t("bonuses.form.paysFixed") },
            { value: "rate", label: t("bonuses.form.paysRate") },
          ]}
          {...selectProps(fields.pays)}
        />
        <Field label={t("bonuses.form.amount", { currency })} inputMode="decimal" {...inputProps(fields.amount, { type: "text" })} />
      </fieldset>
      <fieldset className="stack">
        <legend>{t("bonuses.kind.team")}</legend>
        <SelectField
          label={t("bonuses.form.rank")}
          choices={ranks.map((r) => ({ value: r.id, label: r.name }))}
          placeholder={t("bonuses.form.chooseRank")}
          hint={ranks.length === 0 ? t("bonuses.form.noRanks") : undefined}
          {...selectProps(fields.rankId)}
        />
        <Field
          label={t("bonuses.form.levels")}
          hint={t("bonuses.form.levelsHint")}
          inputMode="numeric"
          {...inputProps(fields.levels, { type: "number" })}
        />
      </fieldset>
      <Field
        label={t("bonuses.form.rate")}
        hint={t("bonuses.form.rateHint")}
        inputMode="decimal"
        {...inputProps(fields.rate, { type: "text" })}
      />
      <CheckboxField id={fields.stopped.id} name={fields.stopped.name} label={t("bonuses.form.stop")} hint={t("bonuses.form.stopHint")} />
      <div>
        <Button type="submit" busy={busy}>
          {t("bonuses.form.save")}
        </Button>
      </div>
    </Form>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Bonuses");
