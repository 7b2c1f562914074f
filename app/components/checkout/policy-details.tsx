import { SelectField } from "~/components/console/fields";
import { Field } from "~/components/ui/field";
import { BENEFICIARY_ROWS, RELATIONSHIPS, UPLOAD_ACCEPT, UPLOAD_MAX_BYTES } from "~/modules/checkout/steps";

/**
 * The policy details a sale asks for, the same whoever fills them in: the customer at checkout or
 * an agent selling to a member. Field names are the details schema's (`beneficiaries[i].name`,
 * a document's key), so one server-side parse serves both.
 */
type Errors = Record<string, string[] | undefined>;

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
