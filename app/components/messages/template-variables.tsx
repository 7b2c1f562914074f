import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useHydrated } from "~/components/console/use-hydrated";

export interface TemplateVariable {
  name: string;
  description: string;
  sample: string;
}

/**
 * The variables a template may use, as a readable list; with JavaScript each gets a button that
 * types `{{name}}` where the cursor was in the subject or the message.
 */
export function TemplateVariables({
  variables,
  formId,
  onInsert,
}: {
  variables: TemplateVariable[];
  formId: string;
  onInsert?: () => void;
}) {
  const hydrated = useHydrated();
  const { t } = useTranslation("admin-messages");
  // The field a keyboard user left to reach an Insert button.
  const lastField = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  useEffect(() => {
    const form = document.getElementById(formId);
    const remember = (e: FocusEvent) => {
      if (e.target instanceof HTMLElement && e.target.hasAttribute("data-template-field"))
        lastField.current = e.target as HTMLTextAreaElement;
    };
    form?.addEventListener("focusin", remember);
    return () => form?.removeEventListener("focusin", remember);
  }, [formId]);
  return (
    <section className="card stack template-variables" aria-labelledby="template-variables-title">
      <h2 id="template-variables-title">{t("variables.title")}</h2>
      <p className="muted">{t("variables.intro", { example: "{{name}}" })}</p>
      <dl>
        {variables.map((v) => (
          <div key={v.name} className="template-variable">
            <dt>
              <code>{`{{${v.name}}}`}</code>
              {hydrated ? (
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  aria-label={t("variables.insertLabel", { variable: `{{${v.name}}}` })}
                  // Keep the cursor in the field being edited.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => {
                    insertAtCursor(formId, lastField.current, `{{${v.name}}}`);
                    onInsert?.();
                  }}
                >
                  {t("variables.insert")}
                </button>
              ) : null}
            </dt>
            <dd>
              {v.description}. <span className="muted">{t("variables.example", { sample: v.sample })}</span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Into the subject or message field last focused (the message when none was), at its cursor. */
function insertAtCursor(formId: string, last: HTMLInputElement | HTMLTextAreaElement | null, text: string) {
  const form = document.getElementById(formId);
  if (!form) return;
  const fields = [...form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("[data-template-field]")];
  const field = fields.find((f) => f === last) ?? fields.at(-1);
  if (!field) return;
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  field.setRangeText(text, start, end, "end");
  field.focus();
  // Tell conform and the preview the value changed, as typing would.
  field.dispatchEvent(new Event("input", { bubbles: true }));
}
