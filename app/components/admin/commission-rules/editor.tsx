import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { SalePreview } from "~/components/commissions/sale-preview";
import { draftRules, TierRows } from "~/components/commissions/tier-fields";
import { useHydrated } from "~/components/console/use-hydrated";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { commissionRulesFormSchema, parseMoneyField } from "~/modules/commissions/admin-forms";
import type { RuleEditorData, RulesFormInput } from "~/modules/commissions/rule-editor.server";

/**
 * The form for a new version of one product's rules at one frequency (or a change to a scheduled
 * one): tiers, when it starts, a live preview. It carries the latest version it was built from
 * (`seen`), so a save after someone else's is refused instead of silently undoing theirs.
 */

/** What the editor's action answers when it does not redirect. */
export type EditorActionData = { reply?: unknown; previewed: boolean; cancelError?: string };

const START_CHOICES = ["now", "later"] as const;

export function RulesEditor({ data, actionData }: { data: RuleEditorData; actionData: EditorActionData | undefined }) {
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();
  const lastResult = (actionData && "reply" in actionData ? actionData.reply : undefined) as SubmissionResult<string[]> | undefined;
  const schema = useMemo(
    () => commissionRulesFormSchema({ currency: data.currency, nowLocal: data.nowLocal, maxTiers: data.maxTiers }),
    [data.currency, data.nowLocal, data.maxTiers],
  );
  const [form, fields] = useForm<RulesFormInput>({
    id: `rules-${data.frequency}`,
    lastResult,
    defaultValue: data.defaults,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const value = (form.value ?? {}) as { tiers?: unknown; base?: string; start?: string };
  const draft = draftRules(value.tiers, data.currency);
  const base = parseMoneyField(value.base ?? "", data.currency, "The sale amount");
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const later = (value.start ?? fields.start.initialValue) === "later";
  const scheduledCount = data.versions.filter((v) => v.state === "scheduled" && v.id !== data.changing?.id).length;

  const { key: _k1, ...startsAtProps } = getInputProps(fields.startsAt, { type: "datetime-local" });
  const { key: _k2, ...baseProps } = getInputProps(fields.base, { type: "text" });
  return (
    <section className="card stack" aria-labelledby="editor-title">
      <h2 id="editor-title">{data.changing ? t("timeline.changeLabel", { from: data.changing.from }) : t("rules.change")}</h2>
      <p className="muted">
        {t("rules.editorIntro")}
        {data.changing ? (
          <>
            {" "}
            <Link to={`?frequency=${data.frequency}`}>{t("rules.startNew")}</Link>.
          </>
        ) : null}
      </p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="frequency" value={data.frequency} />
        {data.changing ? <input type="hidden" name="replaces" value={data.changing.id} /> : null}
        <input type="hidden" name="seen" value={data.defaults.seen} />
        <FormErrors errors={form.errors} />
        <TierRows form={form} tiers={fields.tiers} currency={data.currency} maxTiers={data.maxTiers} />
        <div className="form-grid two">
          <fieldset className={`field${fields.startsAt.errors?.length ? " field-invalid" : ""}`}>
            <legend>{t("rules.start")}</legend>
            {START_CHOICES.map((choice) => (
              <div className="checkbox" key={choice}>
                <input
                  type="radio"
                  id={`start-${choice}`}
                  name={fields.start.name}
                  value={choice}
                  defaultChecked={(fields.start.initialValue ?? "now") === choice}
                />
                <label htmlFor={`start-${choice}`}>{t(`rules.startChoice.${choice}`)}</label>
              </div>
            ))}
            {!hydrated || later ? (
              <div className="field">
                <label htmlFor={fields.startsAt.id}>{t("rules.startsAt")}</label>
                <input {...startsAtProps} min={data.nowLocal} aria-describedby={`${fields.startsAt.id}-hint ${fields.startsAt.errorId}`} />
                <p className="field-hint" id={`${fields.startsAt.id}-hint`}>
                  {t("rules.startsAtHint", { zone: data.timeZone, now: data.nowLabel })}
                </p>
                {fields.startsAt.errors?.length ? (
                  <p className="field-error" id={fields.startsAt.errorId} role="alert">
                    {errorText(fields.startsAt.errors)}
                  </p>
                ) : null}
              </div>
            ) : null}
          </fieldset>
          <div className={`field${fields.base.errors?.length ? " field-invalid" : ""}`}>
            <label htmlFor={fields.base.id}>{t("rules.previewOf", { currency: data.currency })}</label>
            <input {...baseProps} inputMode="decimal" autoComplete="off" />
            <p className="field-hint">{t("rules.previewHint")}</p>
            {fields.base.errors?.length ? (
              <p className="field-error" id={fields.base.errorId} role="alert">
                {errorText(fields.base.errors)}
              </p>
            ) : null}
          </div>
        </div>
        <div className="card" aria-labelledby="draft-preview-title">
          <h3 id="draft-preview-title" className="small">
            {t("rules.withThese")}
          </h3>
          {actionData?.previewed ? <p className="muted small">{t("rules.previewOnly")}</p> : null}
          <SalePreview
            live
            rules={draft}
            baseMinor={base.ok ? base.minor : data.base.minor}
            productName={data.product.name}
            frequency={data.frequency}
            currency={data.currency}
            locale={data.locale}
          />
        </div>
        {scheduledCount > 0 ? (
          <p className="muted small">
            {scheduledCount === 1 ? t("rules.scheduledOne") : t("rules.scheduledMany", { count: scheduledCount })}
          </p>
        ) : null}
        <div className="actions">
          <Button type="submit" name="intent" value="save" busy={busy("save")}>
            {data.changing ? t("rules.saveChange") : t("rules.saveNew")}
          </Button>
          <Button type="submit" name="intent" value="preview" variant="secondary" busy={busy("preview")}>
            {t("rules.preview")}
          </Button>
        </div>
      </Form>
    </section>
  );
}
