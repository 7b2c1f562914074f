import { getInputProps, getSelectProps, type FieldMetadata, type FormMetadata } from "@conform-to/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useHydrated } from "~/components/console/use-hydrated";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { parseMoneyField, parsePercentToBp } from "~/modules/commissions/admin-forms";
import type { TierRule } from "~/modules/commissions/calculate";
import { firstValue } from "~/components/console/fields";

/**
 * The rows of the commission rules editor, one per tier: a fixed amount or a rate, an optional
 * monthly cap, and who qualifies. Adding and removing a tier are conform list intents, so they
 * work as plain form posts without JavaScript (the server answers with the list changed).
 */
export interface TierRowValue {
  kind?: string;
  amount?: string;
  rate?: string;
  cap?: string;
  requiresActive?: string | boolean;
  minPersonalSales?: string | number;
}

/** The tiers as typed so far, each parsed as the server would (null while incomplete). */
export function draftRules(rows: unknown, currency: string): (TierRule | null)[] {
  if (!Array.isArray(rows)) return [];
  return rows.map((value, i) => {
    const row = (value ?? {}) as TierRowValue;
    const tier = i + 1;
    if (row.kind === "fixed") {
      const parsed = parseMoneyField(row.amount ?? "", currency, "Amount");
      return parsed.ok ? { tier, kind: "fixed", amountMinor: parsed.minor, rateBp: null } : null;
    }
    if (row.kind === "percent") {
      const parsed = parsePercentToBp(row.rate ?? "");
      return parsed.ok ? { tier, kind: "percent", amountMinor: null, rateBp: parsed.bp } : null;
    }
    return null;
  });
}

export function tierLegend(tier: number, t: TFunction): string {
  if (tier === 1) return t("tiers.legendSeller");
  if (tier === 2) return t("tiers.legendSponsor");
  return t("tiers.legendUp", { tier, levels: tier - 1 });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyForm = FormMetadata<any>;

function props<T>(field: FieldMetadata<T>, options: Parameters<typeof getInputProps>[1]) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { key, ...rest } = getInputProps(field, options);
  return rest;
}

function FieldError({ field }: { field: FieldMetadata<unknown> }) {
  const errorText = useErrorText();
  return field.errors?.length ? (
    <p className="field-error" id={field.errorId} role="alert">
      {errorText(field.errors)}
    </p>
  ) : null;
}

export function TierRows({
  form,
  tiers,
  currency,
  maxTiers,
}: {
  form: AnyForm;
  tiers: FieldMetadata<TierRowValue[] | undefined>;
  currency: string;
  maxTiers: number;
}) {
  const hydrated = useHydrated();
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();
  const rows = tiers.getFieldList();
  return (
    <div className="stack">
      {tiers.errors?.length ? (
        <p className="field-error" id={tiers.errorId} role="alert">
          {errorText(tiers.errors)}
        </p>
      ) : null}
      {rows.length === 0 ? <p className="muted">{t("tiers.none")}</p> : null}
      <ol className="tier-rows">
        {rows.map((row, index) => {
          const f = row.getFieldset();
          const kind = f.kind.value;
          // Without JavaScript both inputs show (the kind may change before posting); with it, the one that applies.
          const showAmount = !hydrated || kind === "fixed";
          const showRate = !hydrated || kind !== "fixed";
          const invalid = (field: FieldMetadata<unknown>) => (field.errors?.length ? " field-invalid" : "");

          const { key: _selectKey, ...kindProps } = getSelectProps(f.kind);
          return (
            <li key={row.key} className="tier-row">
              <fieldset>
                <legend>{tierLegend(index + 1, t)}</legend>
                <div className="tier-grid">
                  <div className={`field${invalid(f.kind)}`}>
                    <label htmlFor={f.kind.id}>{t("tiers.pays")}</label>
                    <select {...kindProps} defaultValue={firstValue(kindProps.defaultValue)}>
                      <option value="percent">{t("tiers.percent")}</option>
                      <option value="fixed">{t("tiers.fixed")}</option>
                    </select>
                    <FieldError field={f.kind} />
                  </div>
                  {showRate ? (
                    <div className={`field${invalid(f.rate)}`}>
                      <label htmlFor={f.rate.id}>{t("tiers.rate")}</label>
                      <input {...props(f.rate, { type: "text" })} inputMode="decimal" autoComplete="off" placeholder="11.11" />
                      {!hydrated ? <p className="field-hint">{t("tiers.rateHint")}</p> : null}
                      <FieldError field={f.rate} />
                    </div>
                  ) : null}
                  {showAmount ? (
                    <div className={`field${invalid(f.amount)}`}>
                      <label htmlFor={f.amount.id}>{t("tiers.amount", { currency })}</label>
                      <input {...props(f.amount, { type: "text" })} inputMode="decimal" autoComplete="off" placeholder="10.00" />
                      {!hydrated ? <p className="field-hint">{t("tiers.amountHint")}</p> : null}
                      <FieldError field={f.amount} />
                    </div>
                  ) : null}
                  <div className={`field${invalid(f.cap)}`}>
                    <label htmlFor={f.cap.id}>{t("tiers.cap", { currency })}</label>
                    <input
                      {...props(f.cap, { type: "text" })}
                      inputMode="decimal"
                      autoComplete="off"
                      aria-describedby={`${f.cap.id}-hint`}
                    />
                    <p className="field-hint" id={`${f.cap.id}-hint`}>
                      {t("tiers.capHint")}
                    </p>
                    <FieldError field={f.cap} />
                  </div>
                  <div className={`field${invalid(f.minPersonalSales)}`}>
                    <label htmlFor={f.minPersonalSales.id}>{t("tiers.minSales")}</label>
                    <input {...props(f.minPersonalSales, { type: "number" })} min={0} inputMode="numeric" />
                    <FieldError field={f.minPersonalSales} />
                  </div>
                </div>
                <div className="tier-row-foot">
                  <div className="checkbox">
                    <input {...props(f.requiresActive, { type: "checkbox" })} />
                    <label htmlFor={f.requiresActive.id}>{t("tiers.requiresActive")}</label>
                    <FieldError field={f.requiresActive} />
                  </div>
                  <Button
                    variant="ghost"
                    className="btn-small"
                    {...form.remove.getButtonProps({ name: tiers.name, index })}
                    aria-label={t("tiers.remove", { tier: index + 1 })}
                  >
                    {t("tiers.remove", { tier: index + 1 })}
                  </Button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      {rows.length < maxTiers ? (
        <div>
          <Button
            variant="secondary"
            {...form.insert.getButtonProps({
              name: tiers.name,
              defaultValue: { kind: "percent", requiresActive: true, minPersonalSales: 0 } as never,
            })}
          >
            {t("tiers.add", { tier: rows.length + 1 })}
          </Button>
        </div>
      ) : (
        <p className="muted small">{t("tiers.max", { max: maxTiers })}</p>
      )}
    </div>
  );
}
