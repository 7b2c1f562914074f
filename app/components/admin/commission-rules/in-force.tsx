import { Form } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { SalePreview } from "~/components/commissions/sale-preview";
import { useHydrated } from "~/components/console/use-hydrated";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { parseMoneyField } from "~/modules/commissions/admin-forms";
import type { RuleEditorData } from "~/modules/commissions/rule-editor.server";

/** The rules in force now at one frequency, with a sale priced under them (and under the next scheduled version). */
export function InForce({ data }: { data: RuleEditorData }) {
  const hydrated = useHydrated();
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();
  const [typed, setTyped] = useState(data.base.text);
  const parsed = parseMoneyField(typed, data.currency, "The sale amount");
  const baseMinor = hydrated ? (parsed.ok ? parsed.minor : data.base.minor) : data.base.minor;
  const label = data.frequencies.find((f) => f.value === data.frequency)?.label ?? data.frequency;
  const sale = { baseMinor, productName: data.product.name, frequency: data.frequency, currency: data.currency, locale: data.locale };
  return (
    <section className="card stack" aria-labelledby="in-force-title">
      <h2 id="in-force-title">{t("rules.inForceTitle", { frequency: label })}</h2>
      {data.current.length === 0 ? (
        <p className="muted">{t("rules.noneNow")}</p>
      ) : (
        <ul className="plain-list tier-summary">
          {data.current.map((tier) => (
            <li key={tier.tier}>
              <strong>{tier.short}</strong>
              {tier.conditions.length ? <span className="muted small"> · {tier.conditions.join(" · ")}</span> : null}
            </li>
          ))}
        </ul>
      )}
      <Form method="get" className="inline-form" aria-label={t("rules.previewSale")}>
        <input type="hidden" name="frequency" value={data.frequency} />
        <div className={`field${data.base.error ? " field-invalid" : ""}`}>
          <label htmlFor="preview-base">{t("rules.saleAmount", { currency: data.currency })}</label>
          <input
            id="preview-base"
            name="base"
            inputMode="decimal"
            autoComplete="off"
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            aria-invalid={data.base.error ? true : undefined}
            aria-describedby={data.base.error ? "preview-base-error" : undefined}
          />
          {data.base.error ? (
            <p className="field-error" id="preview-base-error" role="alert">
              {errorText([data.base.error])}
            </p>
          ) : null}
        </div>
        <Button type="submit" variant="secondary">
          {t("rules.show")}
        </Button>
      </Form>
      <SalePreview live rules={data.previewRules} {...sale} />
      {data.next ? (
        <div className="stack" aria-labelledby="next-title">
          <h3 id="next-title" className="small">
            {t("rules.scheduledFrom", { from: data.next.from })}
          </h3>
          <SalePreview id="next-preview" live rules={data.next.rules} {...sale} />
        </div>
      ) : null}
    </section>
  );
}
