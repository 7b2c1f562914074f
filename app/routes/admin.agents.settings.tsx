import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { clientInfo } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { BANK_FILE_FORMATS, bankFileSettingsSchema } from "~/modules/commissions/bank-files/schemas";
import { bankFileSettings, updateBankFileSettings } from "~/modules/commissions/bank-files/settings.server";
import { samplePreview, SAMPLE_BASE_MINOR, UNQUALIFIED_SHARES } from "~/modules/commissions/distribute";
import { formatRate } from "~/modules/commissions/calculate";
import { formatMoney } from "~/lib/money";
import { networkSettingsSchema } from "~/modules/network/agent-schemas";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { DEFAULT_NETWORK_SETTINGS, networkSettings, updateNetworkSettings } from "~/modules/network/settings.server";
import { readForm } from "~/lib/forms";
import type { UnqualifiedShare } from "~db/schema";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * /admin/agents/settings — how deep a sale pays, what happens to an unqualified upline's share,
 * when months close; and, for those who pay, which bank's bulk-payment file the payouts go out in.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "manage:agent:any");
  // Malaysian banks' files (decision 047): for agencies that pay in ringgit, to those who pay.
  const canPay = can(user.roles, "pay:payout:any") && tenant.currency === "MYR";
  const [settings, bankFile] = await withTenant(tenant.id, (db) =>
    Promise.all([networkSettings(db), canPay ? bankFileSettings(db) : null]),
  );
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  return json({
    title: (await serverT(tenant.language, "admin-network"))("settings.title"),
    settings,
    bankFile,
    defaults: DEFAULT_NETWORK_SETTINGS,
    // The worked example under each way of treating an unqualified upline, by the same function
    // the ledger's SQL is held to (docs/decisions/011-commission-ledger.md).
    preview: {
      sale: money(SAMPLE_BASE_MINOR),
      rows: samplePreview(settings.tiers).map((row) => ({
        tier: row.tier,
        rate: formatRate(row.rateBp),
        cells: UNQUALIFIED_SHARES.map((mode) => {
          const share = row.byMode[mode];
          return {
            mode,
            share: share ? { agent: share.agentId, amount: money(share.amountMinor), moved: share.passedFrom !== null } : null,
          };
        }),
      })),
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  if (formData.get("intent") === "bankFile") {
    const { tenant, user } = await requireNetworkPermission(request, "pay:payout:any");
    const submission = parseWithZod(formData, { schema: bankFileSettingsSchema });
    if (submission.status !== "success") return json({ bankFile: submission.reply() }, { status: 400 });
    const v = submission.value;
    await withTenant(tenant.id, (db) =>
      updateBankFileSettings(
        db,
        { bankFileFormat: v.bankFileFormat ?? null, payerName: v.payerName ?? null, payerAccount: v.payerAccount ?? null },
        { userId: user.id, ip: clientInfo(request).ip },
      ),
    );
    return redirect("/admin/agents/settings?saved=bankFile#bank-file");
  }
  const { tenant, user } = await requireNetworkPermission(request, "manage:agent:any");
  const submission = parseWithZod(formData, { schema: networkSettingsSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const values = { ...submission.value, autoClose: submission.value.autoClose ?? false };
  await withTenant(tenant.id, (db) => updateNetworkSettings(db, values, { userId: user.id, ip: clientInfo(request).ip }));
  return redirect("/admin/agents/settings?saved=1");
}

export default function NetworkSettingsPage() {
  const { settings, defaults, bankFile, preview } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const lastResult = actionData && !("bankFile" in actionData) ? (actionData as SubmissionResult<string[]>) : undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: {
      tiers: String(settings.tiers),
      unqualifiedShare: settings.unqualifiedShare,
      closeDay: String(settings.closeDay),
      autoClose: settings.autoClose ? "on" : undefined,
    },
    constraint: getZodConstraint(networkSettingsSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: networkSettingsSchema }),
  });
  const shareErrors = fields.unqualifiedShare.errors;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/agents">{t("agents.title")}</Link> / {t("settings.title")}
      </p>
      <div className="page-head">
        <div>
          <h1>{t("settings.title")}</h1>
          <p className="muted">{t("settings.intro")}</p>
        </div>
      </div>
      {params.get("saved") === "1" && !lastResult ? <Alert tone="success" title={t("settings.saved")} /> : null}
      <Form method="post" className="card stack form-narrow" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <Field
          label={t("settings.tiers")}
          hint={t("settings.tiersHint", { default: defaults.tiers })}
          errors={fields.tiers.errors}
          inputMode="numeric"
          {...getInputProps(fields.tiers, { type: "number" })}
        />
        <fieldset className={`field${shareErrors?.length ? " field-invalid" : ""}`} aria-describedby="share-hint">
          <legend>{t("settings.unqualified")}</legend>
          <p className="field-hint" id="share-hint">
            {t("settings.unqualifiedHint")}
          </p>
          {UNQUALIFIED_SHARES.map((value) => (
            <div className="checkbox" key={value}>
              <input
                type="radio"
                id={`share-${value}`}
                name={fields.unqualifiedShare.name}
                value={value}
                defaultChecked={fields.unqualifiedShare.initialValue === value}
              />
              <label htmlFor={`share-${value}`}>{t(`settings.share.${value}`)}</label>
            </div>
          ))}
          {shareErrors?.length ? (
            <p className="field-error" role="alert">
              {errorText(shareErrors)}
            </p>
          ) : null}
        </fieldset>
        <SharePreview preview={preview} saved={settings.unqualifiedShare} />
        <Field
          label={t("settings.closeDay")}
          hint={t("settings.closeDayHint", { default: defaults.closeDay })}
          errors={fields.closeDay.errors}
          inputMode="numeric"
          {...getInputProps(fields.closeDay, { type: "number" })}
        />
        <div className="checkbox-field">
          <div className="checkbox">
            <input {...getInputProps(fields.autoClose, { type: "checkbox" })} aria-describedby="auto-close-hint" />
            <label htmlFor={fields.autoClose.id}>{t("settings.autoClose")}</label>
          </div>
          <p className="field-hint" id="auto-close-hint">
            {t("settings.autoCloseHint")}
          </p>
        </div>
        <div>
          <Button type="submit" busy={busy}>
            {t("settings.save")}
          </Button>
        </div>
      </Form>
      {bankFile ? (
        <BankFileForm
          settings={bankFile}
          lastResult={actionData && "bankFile" in actionData ? (actionData.bankFile as SubmissionResult<string[]>) : undefined}
          saved={params.get("saved") === "bankFile"}
        />
      ) : null}
    </div>
  );
}

/**
 * The worked example: who earns each tier of a sample sale under skip, pass up and compress, side
 * by side (a page without JavaScript cannot redraw it per radio), the saved way marked.
 */
function SharePreview({
  preview,
  saved,
}: {
  preview: {
    sale: string;
    rows: {
      tier: number;
      rate: string;
      cells: { mode: UnqualifiedShare; share: { agent: string; amount: string; moved: boolean } | null }[];
    }[];
  };
  saved: UnqualifiedShare;
}) {
  const { t } = useTranslation("admin-network");
  return (
    <section className="stack" aria-labelledby="share-preview-title">
      <h2 id="share-preview-title">{t("settings.preview.title")}</h2>
      <p className="muted">{t("settings.preview.intro", { sale: preview.sale })}</p>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t("settings.preview.tier")}</th>
              {UNQUALIFIED_SHARES.map((mode) => (
                <th scope="col" key={mode} aria-current={mode === saved ? "true" : undefined}>
                  {mode === saved
                    ? t("settings.preview.savedMode", { mode: t(`settings.preview.mode.${mode}`) })
                    : t(`settings.preview.mode.${mode}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.tier}>
                <th scope="row">{t("settings.preview.tierRate", { tier: row.tier, rate: row.rate })}</th>
                {row.cells.map(({ mode, share }) => (
                  <td key={mode} data-label={t(`settings.preview.mode.${mode}`)}>
                    {share ? (
                      <>
                        {t("settings.preview.earns", { agent: share.agent, amount: share.amount })}
                        {share.moved ? <span className="muted small"> {t("settings.preview.moved")}</span> : null}
                      </>
                    ) : (
                      <span className="muted">{t("settings.preview.nobody")}</span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Which bank's bulk-payment file the month's payouts are downloaded in (docs/decisions/047). */
function BankFileForm({
  settings,
  lastResult,
  saved,
}: {
  settings: { bankFileFormat: string | null; payerName: string | null; payerAccount: string | null };
  lastResult: SubmissionResult<string[]> | undefined;
  saved: boolean;
}) {
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();
  const [form, fields] = useForm({
    id: "bank-file-form",
    lastResult,
    defaultValue: {
      bankFileFormat: settings.bankFileFormat ?? "",
      payerName: settings.payerName ?? "",
      payerAccount: settings.payerAccount ?? "",
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: bankFileSettingsSchema }),
  });
  const formatErrors = fields.bankFileFormat.errors;
  return (
    <section className="card stack form-narrow" id="bank-file" aria-labelledby="bank-file-title">
      <h2 id="bank-file-title">{t("bankFile.settingsTitle")}</h2>
      <p className="muted">{t("bankFile.settingsIntro")}</p>
      {saved && !lastResult ? <Alert tone="success" title={t("settings.saved")} /> : null}
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="bankFile" />
        <FormErrors errors={form.errors} />
        <div className={`field${formatErrors?.length ? " field-invalid" : ""}`}>
          <label htmlFor={fields.bankFileFormat.id}>{t("bankFile.formatLabel")}</label>
          <select
            id={fields.bankFileFormat.id}
            name={fields.bankFileFormat.name}
            defaultValue={fields.bankFileFormat.initialValue}
            aria-invalid={formatErrors?.length ? true : undefined}
            aria-describedby={formatErrors?.length ? `${fields.bankFileFormat.id}-error` : undefined}
          >
            <option value="">{t("bankFile.formatNone")}</option>
            {BANK_FILE_FORMATS.map((format) => (
              <option key={format} value={format}>
                {t(`bankFile.format.${format}`)}
              </option>
            ))}
          </select>
          {formatErrors?.length ? (
            <p className="field-error" id={`${fields.bankFileFormat.id}-error`} role="alert">
              {errorText(formatErrors)}
            </p>
          ) : null}
        </div>
        <Field label={t("bankFile.payerName")} errors={fields.payerName.errors} {...getInputProps(fields.payerName, { type: "text" })} />
        <Field
          label={t("bankFile.payerAccount")}
          hint={t("bankFile.payerAccountHint")}
          errors={fields.payerAccount.errors}
          inputMode="numeric"
          {...getInputProps(fields.payerAccount, { type: "text" })}
        />
        <div>
          <Button type="submit" busy={busy}>
            {t("bankFile.save")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Network settings");
