// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Form } from "@remix-run/react";
import type { Choice } from "~/components/console/fields";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";

/**
 * "Start from an existing product's rules": a GET form, so it works without JavaScript and the
 * page reloads with that product's rating rules and sample input in the form below. Choose it
 * first: fields typed before the reload are not kept.
 */
export function CopyRulesForm({ sources, copied }: { sources: Choice[]; copied: { name: string } | null }) {
  if (sources.length === 0) return null;
  return (
    <section className="card" aria-labelledby="copy-rules-title">
      <h2 id="copy-rules-title">Start from an existing product&apos;s rules</h2>
      {copied ? (
        <Alert tone="info">
          The rating rules and sample input below are copied from <strong>{copied.name}</strong>. Change what differs, then save.
        </Alert>
      ) : null}
      <Form method="get" className="filters">
        <div className="field grow">
          <label htmlFor="copy-from">Copy the rating rules of</label>
          <select id="copy-from" name="from" defaultValue="">
            <option value="">Choose a product</option>
            {sources.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary">
          Copy rules
        </Button>
      </Form>
      <p className="field-hint">
        Do this first: the page reloads with the copied rules, and other fields start again from the saved values.
      </p>
    </section>
  );
}
