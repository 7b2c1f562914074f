// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { SelectField, TextareaField } from "~/components/console/fields";
import { Field } from "~/components/ui/field";
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
  return (
    <fieldset className="card">
      <legend>Policyholder</legend>
      <p className="muted small">{intro}</p>
      <Field
        id="holder-name"
        name="name"
        label="Full name"
        autoComplete={auto("name")}
        defaultValue={text(values.name)}
        errors={errors.name}
      />
      <Field
        id="holder-email"
        name="email"
        type="email"
        label="Email"
        autoComplete={auto("email")}
        defaultValue={text(values.email)}
        errors={errors.email}
      />
      <Field
        id="holder-phone"
        name="phone"
        type="tel"
        label="Phone"
        autoComplete={auto("tel")}
        defaultValue={text(values.phone)}
        errors={errors.phone}
      />
      <Field
        id="holder-dob"
        name="dateOfBirth"
        type="date"
        label="Date of birth"
        max={dateOfBirth.max}
        hint={dateOfBirth.hint}
        autoComplete={auto("bday")}
        defaultValue={text(values.dateOfBirth)}
        errors={errors.dateOfBirth}
      />
      <TextareaField
        id="holder-address"
        name="address"
        label="Address"
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
  relationshipLabel = "Relationship",
}: {
  /** The products whose benefit goes to the beneficiaries. */
  products: string[];
  values: Record<string, unknown>;
  errors: Errors;
  relationshipLabel?: string;
}) {
  const rows = (Array.isArray(values.beneficiaries) ? values.beneficiaries : []) as Record<string, string | undefined>[];
  const groupError = errors.beneficiaries;
  return (
    <fieldset className="card" aria-describedby={groupError?.length ? "beneficiaries-error" : undefined}>
      <legend>Beneficiaries</legend>
      <p className="muted small">
        Who receives the benefit of {products.join(" and ")}. Give each a share; the shares must add up to 100%. Leave unused rows empty.
      </p>
      {groupError?.length ? (
        <p className="field-error" id="beneficiaries-error" role="alert">
          {groupError.join(" ")}
        </p>
      ) : null}
      <ol className="beneficiary-rows">
        {Array.from({ length: BENEFICIARY_ROWS }, (_, i) => {
          const row = rows[i] ?? {};
          const name = (field: string) => `beneficiaries[${i}].${field}`;
          return (
            <li key={i} className="beneficiary-row">
              <p className="beneficiary-heading">Beneficiary {i + 1}</p>
              <Field
                id={`beneficiary-${i}-name`}
                name={name("name")}
                label="Full name"
                defaultValue={row.name ?? ""}
                errors={errors[name("name")]}
              />
              <SelectField
                id={`beneficiary-${i}-relationship`}
                name={name("relationship")}
                label={relationshipLabel}
                placeholder="Choose…"
                choices={RELATIONSHIPS}
                defaultValue={row.relationship ?? ""}
                errors={errors[name("relationship")]}
              />
              <Field
                id={`beneficiary-${i}-share`}
                name={name("share")}
                label="Share (%)"
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
  return (
    <fieldset className="card">
      <legend>Documents</legend>
      <p className="muted small">PDF, JPEG or PNG, up to {UPLOAD_MAX_BYTES / 1024 / 1024} MB each. A clear photo from a phone is fine.</p>
      {documents.map((doc) => (
        <Field
          key={doc.key}
          id={`document-${doc.key.replace(/[^a-z0-9]/gi, "-")}`}
          name={doc.key}
          type="file"
          accept={UPLOAD_ACCEPT}
          label={`${doc.label} for ${doc.productName}${doc.uploaded ? " (uploaded)" : ""}`}
          hint={
            doc.uploaded
              ? `Uploaded: ${doc.uploaded.filename} (${Math.max(1, Math.round(doc.uploaded.sizeBytes / 1024))} KB). Choose a file only to replace it.`
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
  return (
    <section className="card" aria-labelledby="review-holder">
      <h2 id="review-holder">Policyholder</h2>
      <dl className="details-list">
        <dt>Name</dt>
        <dd>{holder.name}</dd>
        <dt>Email</dt>
        <dd className="break">{holder.email}</dd>
        <dt>Phone</dt>
        <dd>{holder.phone}</dd>
        <dt>Date of birth</dt>
        <dd>{holder.dateOfBirth}</dd>
        <dt>Address</dt>
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
          <h3>Beneficiaries</h3>
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
          <h3>Documents</h3>
          <ul className="plain-list">
            {documents.map((d) => (
              <li key={d.label}>
                {d.label}: {d.filename ?? "missing"}
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
