import { Form, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_NAMES } from "~/lib/languages";
import { useRootData } from "~/root";

/**
 * The tenant's languages, each a button (decision 037): a plain form, so it works before
 * JavaScript loads; the choice is remembered and the same page comes back in that language.
 */
export function LanguageSwitcher() {
  const data = useRootData();
  const location = useLocation();
  const { t } = useTranslation();
  if (!data || data.languages.length < 2) return null;
  return (
    <Form method="post" action="/language" className="language-switcher" aria-label={t("language.change")}>
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      {data.languages.map((language) => (
        <button
          key={language}
          type="submit"
          name="language"
          value={language}
          lang={language}
          className="language-option"
          aria-pressed={language === data.language}
        >
          {LANGUAGE_NAMES[language]}
        </button>
      ))}
    </Form>
  );
}
