import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import type { SaleStage } from "./stage";

/** Step 1: the products on sale, one chosen by a plain GET form (?product=…). */
export function ProductStep({ data }: { data: SaleStage<"product"> }) {
  const { t } = useTranslation("agent");
  if (data.products.length === 0)
    return (
      <div className="card empty">
        <p>{t("sell.product.none")}</p>
      </div>
    );
  return (
    <Form method="get" className="card stack">
      {data.unknownProduct ? <Alert tone="error">{t("sell.product.unknown")}</Alert> : null}
      <fieldset className="choice-group">
        <legend>{t("sell.product.legend")}</legend>
        {data.products.map((p, i) => (
          <div key={p.slug} className="checkbox">
            <input type="radio" id={`product-${p.slug}`} name="product" value={p.slug} defaultChecked={i === 0} />
            <label htmlFor={`product-${p.slug}`}>
              <strong>{p.name}</strong>{" "}
              <span className="muted small">
                ({p.categoryName}, {p.insurerName})
              </span>
              <br />
              <span className="muted small">
                {t("sell.product.pay", { frequencies: p.frequencies.join(", ").toLowerCase() })}
                {p.requirements.beneficiaries ? t("sell.product.beneficiaries") : ""}
                {p.requirements.documents?.length
                  ? t("sell.product.documents", { documents: p.requirements.documents.map((d) => d.label.toLowerCase()).join(", ") })
                  : ""}
              </span>
            </label>
          </div>
        ))}
      </fieldset>
      <div className="actions">
        <Button type="submit">{t("sell.product.continue")}</Button>
      </div>
    </Form>
  );
}
