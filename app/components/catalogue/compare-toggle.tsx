import { useTranslation } from "react-i18next";
import { Form, useLocation } from "@remix-run/react";

/**
 * Adds a product to (or takes it out of) the visitor's comparison. A plain form posting to
 * /compare, which updates the `compare` cookie and sends the visitor back: it works without
 * JavaScript, and with it the page keeps its scroll position.
 */
export function CompareToggle({ slug, name, selected }: { slug: string; name: string; selected: boolean }) {
  const location = useLocation();
  const { t } = useTranslation("storefront");
  return (
    <Form method="post" action="/compare" preventScrollReset className="compare-toggle">
      <input type="hidden" name="intent" value={selected ? "remove" : "add"} />
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button type="submit" className={`btn btn-small ${selected ? "btn-secondary" : "btn-ghost"}`} aria-pressed={selected}>
        <span aria-hidden="true">{selected ? "✓ " : "+ "}</span>
        {selected ? t("compareToggle.comparing") : t("compareToggle.compare")}
        <span className="visually-hidden"> {name}</span>
      </button>
    </Form>
  );
}
