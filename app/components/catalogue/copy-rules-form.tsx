import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Choice } from "~/components/console/fields";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";

/**
 * "Start from an existing product's rules": a GET form, so it works without JavaScript and the
 * page reloads with that product's rating rules and sample input in the form below. Choose it
 * first: fields typed before the reload are not kept.
 */
export function CopyRulesForm({ sources, copied }: { sources: Choice[]; copied: { name: string } | null }) {
  const { t } = useTranslation("admin-catalogue");
  if (sources.length === 0) return null;
  return (
    <section className="card" aria-labelledby="copy-rules-title">
      <h2 id="copy-rules-title">{t("copyRules.title")}</h2>
      {copied ? (
        <Alert tone="info">
          {/* Split around the name (agency data) rather than parsed by <Trans>. */}
          {t("copyRules.copiedBefore")} <strong>{copied.name}</strong>
          {t("copyRules.copiedAfter")}
        </Alert>
      ) : null}
      <Form method="get" className="filters">
        <div className="field grow">
          <label htmlFor="copy-from">{t("copyRules.label")}</label>
          <select id="copy-from" name="from" defaultValue="">
            <option value="">{t("copyRules.choose")}</option>
            {sources.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary">
          {t("copyRules.submit")}
        </Button>
      </Form>
      <p className="field-hint">{t("copyRules.hint")}</p>
    </section>
  );
}
