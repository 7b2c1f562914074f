import { useId } from "react";
import { useTranslation } from "react-i18next";
import { HONEYPOT_FIELD } from "~/modules/abuse/honeypot";

/**
 * A field for robots only (app/modules/abuse/honeypot.ts): visually hidden, out of the tab order
 * and hidden from screen readers, with no autofill, so a person using a keyboard, a screen reader
 * or a password manager never lands in it. One per public form; its action checks `filledByRobot`.
 */
export function Honeypot() {
  const id = useId();
  const { t } = useTranslation("common");
  return (
    <div className="visually-hidden" aria-hidden="true">
      <label htmlFor={id}>{t("honeypot.label")}</label>
      <input id={id} type="text" name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}
