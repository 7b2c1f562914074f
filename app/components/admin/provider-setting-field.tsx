import { useTranslation } from "react-i18next";
import { Field, useErrorText } from "~/components/ui/field";

/** One setting of a provider's form (payments and messaging alike), as its adapter describes it. */
export interface ProviderSetting {
  name: string;
  label: string;
  required?: boolean;
  /** Write-only: never shown back; a blank field keeps the saved value. */
  secret?: boolean;
  multiline?: boolean;
  options?: { value: string; label: string }[];
  /** A saved secret: whether there is one, and how it may be shown ("…4242"). */
  isSet?: boolean;
  masked?: string | null;
}

/**
 * A provider setting in the back office: a choice, a long text, a write-only secret (with "remove"
 * when it is optional) or a line of text, labelled, hinted and with its field-level errors.
 */
export function ProviderSettingField({
  field: f,
  value,
  hint,
  errors,
  id,
}: {
  field: ProviderSetting;
  value: string;
  hint?: string;
  errors?: string[];
  id: (name: string) => string;
}) {
  const { t } = useTranslation("admin-payments");
  const errorText = useErrorText();
  const label = f.required ? f.label : t("providerSetting.optional", { label: f.label });
  const described = (...ids: (string | null)[]) => ids.filter(Boolean).join(" ") || undefined;
  if (f.options || f.multiline) {
    const common = {
      id: id(f.name),
      name: f.name,
      defaultValue: value,
      "aria-invalid": errors ? true : undefined,
      "aria-describedby": described(f.multiline && hint ? id(`${f.name}-hint`) : null, errors ? id(`${f.name}-error`) : null),
    };
    return (
      <div className={`field${errors ? " field-invalid" : ""}`}>
        <label htmlFor={id(f.name)}>{label}</label>
        {f.options ? (
          <select {...common}>
            {f.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        ) : (
          <textarea {...common} rows={4} spellCheck={false} />
        )}
        {f.multiline && hint ? (
          <p className="field-hint" id={id(`${f.name}-hint`)}>
            {hint}
          </p>
        ) : null}
        {errors ? (
          <p className="field-error" id={id(`${f.name}-error`)} role="alert">
            {errorText(errors)}
          </p>
        ) : null}
      </div>
    );
  }
  if (f.secret) {
    const saved = f.masked ? t("providerSetting.savedMasked", { masked: f.masked }) : t("providerSetting.set");
    return (
      <div>
        <Field
          id={id(f.name)}
          name={f.name}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          label={label}
          placeholder={f.isSet ? t("providerSetting.placeholder") : ""}
          hint={f.isSet ? `${saved} ${t("providerSetting.keep")}${hint ? ` ${hint}` : ""}` : hint}
          errors={errors}
        />
        {f.isSet && !f.required ? (
          <div className="checkbox">
            <input type="checkbox" id={id(`${f.name}-clear`)} name="clear" value={f.name} />
            <label htmlFor={id(`${f.name}-clear`)}>{t("providerSetting.remove", { label: f.label.toLowerCase() })}</label>
          </div>
        ) : null}
      </div>
    );
  }
  return (
    <Field
      id={id(f.name)}
      name={f.name}
      type="text"
      autoComplete="off"
      spellCheck={false}
      label={label}
      defaultValue={value}
      hint={hint}
      errors={errors}
    />
  );
}
