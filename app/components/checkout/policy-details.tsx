import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { SelectField, TextareaField } from "~/components/console/fields";
import { Field, useErrorText } from "~/components/ui/field";
import { BENEFICIARY_ROWS, RELATIONSHIPS, UPLOAD_ACCEPT, UPLOAD_MAX_BYTES } from "~/modules/checkout/steps";

/**
 * The policy details a sale asks for, the same whoever fills them in: the customer at checkout or
 * an agent selling to a member. Field names are the details schema's (`beneficiaries[i].name`,
 * a document's key), so one server-side parse serves both.
 */
type Errors = Record<string, string[] | undefined>;

const text = (v: unknown) => (typeof v === "string" ? v : "");

/**
 * Who the policies are for: name, contact, date of birth, address, then whatever the caller adds
 * (identifiers). `ownDetails` lets the browser fill in the signed-in person's own details; an agent
 * typing a member's must not get their own.
 */
export function PolicyholderFieldset({
  values,
  errors,
  intro,
  ownDetails,
  dateOfBirth = {},
  children,
}: {
  values: Record<string, unknown>;
  errors: Errors;
  intro: ReactNode;
  ownDetails: boolean;
  dateOfBirth?: { max?: string; hint?: string };
  children?: ReactNode;
}) {
  const auto = (value: string) => (ownDetails ? value : undefined);
  const { t } = useTranslation("checkout");
  return (
    <fieldset className="card">
      <legend>{t("holder.legend")}</legend>
      <p className="muted small">{intro}</p>
      <Field
        id="holder-name"
        name="name"
        label={t("holder.fullName")}
        autoComplete={auto("name")}
        defaultValue={text(values.name)}
        errors={errors.name}
      />
      <Field
        id="holder-email"
        name="email"
        type="email"
        label={t("holder.email")}
        autoComplete={auto("email")}
        defaultValue={text(values.email)}
        errors={errors.email}
      />
      <Field
        id="holder-phone"
        name="phone"
        type="tel"
        label={t("holder.phone")}
        autoComplete={auto("tel")}
        defaultValue={text(values.phone)}
        errors={errors.phone}
      />
      <Field
        id="holder-dob"
        name="dateOfBirth"
        type="date"
        label={t("holder.dateOfBirth")}
        max={dateOfBirth.max}
        hint={dateOfBirth.hint}
        autoComplete={auto("bday")}
        defaultValue={text(values.dateOfBirth)}
        errors={errors.dateOfBirth}
      />
      <TextareaField
        id="holder-address"
        name="address"
        label={t("holder.address")}
        rows={3}
        autoComplete={auto("street-address")}
        defaultValue={text(values.address)}
        errors={errors.address}
      />
      {children}
    </fieldset>
  );
}

export function BeneficiariesFieldset({
  products,
  values,
  errors,
  relationshipLabel,
}: {
  /** The products whose benefit goes to the beneficiaries. */
  products: string[];
  values: Record<string, unknown>;
  errors: Errors;
  relationshipLabel?: string;
}) {
  const rows = (Array.isArray(values.beneficiaries) ? values.beneficiaries : []) as Record<string, string | undefined>[];
  const groupError = errors.beneficiaries;
  const { t } = useTranslation("checkout");
  const errorText = useErrorText();
  const relationships = RELATIONSHIPS.map((r) => ({ value: r.value, label: t(`relationship.${r.value}`) }));
  return (
    <fieldset className="card" aria-describedby={groupError?.length ? "beneficiaries-error" : undefined}>
      <legend>{t("beneficiaries.legend")}</legend>
      <p className="muted small">{t("beneficiaries.intro", { products: products.join(t("beneficiaries.and")) })}</p>
      {groupError?.length ? (
        <p className="field-error" id="beneficiaries-error" role="alert">
          {errorText(groupError)}
        </p>
      ) : null}
      <ol className="beneficiary-rows">
        {Array.from({ length: BENEFICIARY_ROWS }, (_, i) => {
          const row = rows[i] ?? {};
          const name = (field: string) => `beneficiaries[${i}].${field}`;
          return (
            <li key={i} className="beneficiary-row">
              <p className="beneficiary-heading">{t("beneficiaries.heading", { number: i + 1 })}</p>
              <Field
                id={`beneficiary-${i}-name`}
                name={name("name")}
                label={t("holder.fullName")}
                defaultValue={row.name ?? ""}
                errors={errors[name("name")]}
              />
              <SelectField
                id={`beneficiary-${i}-relationship`}
                name={name("relationship")}
                label={relationshipLabel ?? t("beneficiaries.relationship")}
                placeholder={t("beneficiaries.choose")}
                choices={relationships}
                defaultValue={row.relationship ?? ""}
                errors={errors[name("relationship")]}
              />
              <Field
                id={`beneficiary-${i}-share`}
                name={name("share")}
                label={t("beneficiaries.share")}
                inputMode="decimal"
                defaultValue={row.share ?? ""}
                errors={errors[name("share")]}
              />
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}

export interface RequiredDocument {
  key: string;
  label: string;
  productName: string;
  uploaded: { filename: string; sizeBytes: number } | null;
}

export function DocumentsFieldset({ documents, errors }: { documents: RequiredDocument[]; errors: Errors }) {
  const { t } = useTranslation("checkout");
  return (
    <fieldset className="card">
      <legend>{t("documents.legend")}</legend>
      <p className="muted small">{t("documents.intro", { size: UPLOAD_MAX_BYTES / 1024 / 1024 })}</p>
      {documents.map((doc) => (
        <Field
          key={doc.key}
          id={`document-${doc.key.replace(/[^a-z0-9]/gi, "-")}`}
          name={doc.key}
          type="file"
          accept={UPLOAD_ACCEPT}
          label={t(doc.uploaded ? "documents.labelUploaded" : "documents.label", { document: doc.label, product: doc.productName })}
          hint={
            doc.uploaded
              ? t("documents.uploaded", { filename: doc.uploaded.filename, size: Math.max(1, Math.round(doc.uploaded.sizeBytes / 1024)) })
              : undefined
          }
          errors={errors[doc.key]}
        />
      ))}
    </fieldset>
  );
}

/** The policyholder's details as the order will carry them, on the review step of either flow. */
export function PolicyholderSummary({
  holder,
  identifiers,
  beneficiaries,
  documents = [],
  change,
}: {
  holder: { name?: string; email?: string; phone?: string; dateOfBirth?: string; address?: string };
  identifiers: { label: string; masked: string }[];
  beneficiaries: { name: string; relationship: string; share: string | number }[];
  documents?: { label: string; filename: string | null }[];
  /** Where the details are changed. */
  change: { to: string; label: string };
}) {
  const { t } = useTranslation("checkout");
  return (
    <section className="card" aria-labelledby="review-holder">
      <h2 id="review-holder">{t("holder.legend")}</h2>
      <dl className="details-list">
        <dt>{t("holder.name")}</dt>
        <dd>{holder.name}</dd>
        <dt>{t("holder.email")}</dt>
        <dd className="break">{holder.email}</dd>
        <dt>{t("holder.phone")}</dt>
        <dd>{holder.phone}</dd>
        <dt>{t("holder.dateOfBirth")}</dt>
        <dd>{holder.dateOfBirth}</dd>
        <dt>{t("holder.address")}</dt>
        <dd>{holder.address}</dd>
        {identifiers.map((i) => (
          <div key={i.label} className="contents">
            <dt>{i.label}</dt>
            <dd>
              <span className="identifier">{i.masked}</span>
            </dd>
          </div>
        ))}
      </dl>
      {beneficiaries.length ? (
        <>
          <h3>{t("beneficiaries.legend")}</h3>
          <ul className="plain-list">
            {beneficiaries.map((b) => (
              <li key={`${b.name}-${b.relationship}`}>
                {b.name} ({b.relationship}): {b.share}%
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {documents.length ? (
        <>
          <h3>{t("documents.legend")}</h3>
          <ul className="plain-list">
            {documents.map((d) => (
              <li key={d.label}>
                {d.label}: {d.filename ?? t("documents.missing")}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <Link to={change.to}>{change.label}</Link>
      </p>
    </section>
  );
}
