import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { BeneficiariesFieldset, DocumentsFieldset, PolicyholderFieldset } from "~/components/checkout/policy-details";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { detailsSchema } from "~/modules/checkout/schemas";
import type { SaleStage } from "./stage";

type Errors = Record<string, string[] | undefined>;

/** Step 3: the policyholder's details, identifiers, beneficiaries and documents, checked with the member. */
export function DetailsStep({ data, lastResult }: { data: SaleStage<"details">; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const { t } = useTranslation("agent");
  const schema = useMemo(
    () =>
      detailsSchema({
        kinds: data.kinds,
        stored: data.stored.map((s) => s.kind),
        beneficiaries: data.beneficiaries,
        today: data.today,
      }),
    [data.kinds, data.stored, data.beneficiaries, data.today],
  );
  const [form] = useForm({
    id: "sale-details",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const values = (lastResult?.initialValue ?? data.defaults) as Record<string, unknown>;
  const errors = form.allErrors as Errors;
  const typed = (values.identifiers ?? {}) as Record<string, unknown>;
  const toType = data.kinds.filter((k) => !data.stored.some((s) => s.kind === k));
  return (
    <Form
      method="post"
      encType={data.documents.length ? "multipart/form-data" : undefined}
      className="checkout-form stack"
      {...getFormProps(form)}
    >
      <input type="hidden" name="intent" value="details" />
      <FormErrors errors={form.errors} />
      <PolicyholderFieldset
        values={values}
        errors={errors}
        intro={t("sell.details.intro", { products: data.products, name: data.memberName })}
        ownDetails={false}
        dateOfBirth={{ hint: t("sell.details.dateOfBirthHint") }}
      >
        {data.stored.map((s) => (
          <p key={s.kind} className="small">
            {t(`identifier.${s.kind}`)}: <span className="identifier">{s.masked}</span>{" "}
            <span className="muted">{t("sell.details.asRegistered")}</span>
          </p>
        ))}
        {toType.map((kind) => (
          <Field
            key={kind}
            id={`identifier-${kind}`}
            name={`identifiers.${kind}`}
            label={t(`identifier.${kind}`)}
            autoComplete="off"
            hint={kind === "bank_account" ? undefined : t(`identifierHint.${kind}`)}
            defaultValue={typeof typed[kind] === "string" ? (typed[kind] as string) : ""}
            errors={errors[`identifiers.${kind}`]}
          />
        ))}
      </PolicyholderFieldset>
      {data.beneficiaries ? (
        <BeneficiariesFieldset
          products={data.beneficiaryProducts}
          values={values}
          errors={errors}
          relationshipLabel={t("sell.details.relationship")}
        />
      ) : null}
      {data.documents.length ? <DocumentsFieldset documents={data.documents} errors={errors} /> : null}
      <div className="actions">
        <Button type="submit" busy={navigation.state === "submitting"}>
          {t("sell.details.save")}
        </Button>
      </div>
    </Form>
  );
}
