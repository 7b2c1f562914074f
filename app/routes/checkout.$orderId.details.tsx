import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { BeneficiariesFieldset, DocumentsFieldset, PolicyholderFieldset } from "~/components/checkout/policy-details";
import { CheckoutHead } from "~/components/checkout/progress";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { checkoutRequirements, detailsView, saveDetails } from "~/modules/checkout/details.server";
import { checkoutStep } from "~/modules/checkout/page.server";
import { detailsSchema } from "~/modules/checkout/schemas";
import { IDENTIFIER_HINTS, stepUrl } from "~/modules/checkout/steps";
import { readMultipartForm, saveWithUploads, type ReceivedFile } from "~/modules/checkout/uploads.server";
import { quoteDateIn } from "~/modules/rating";
import checkoutStyles from "~/styles/checkout.css";
import { readForm } from "~/lib/forms";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkoutStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, order, notices } = await checkoutStep(request, params, "details");
  const view = await withTenant(tenant.id, (db) => detailsView(db, order.id));
  const needs = checkoutRequirements(tenant, order.lines);
  return json({
    orderId: order.id,
    reference: order.reference,
    reached: order.step,
    notices,
    today: quoteDateIn(tenant.timeZone),
    kinds: needs.kinds,
    // Only masks ever leave the server: the full numbers are encrypted and never sent back.
    stored: view.identifiers,
    beneficiaries: needs.beneficiaries,
    beneficiaryProducts: needs.beneficiaryProducts,
    documents: needs.documents.map((d) => ({ ...d, uploaded: view.uploads.find((u) => u.requirement === d.key) ?? null })),
    defaults: {
      ...view.holder,
      beneficiaries: view.beneficiaries.map((b) => ({ name: b.name, relationship: b.relationship, share: b.share })),
    } as Record<string, unknown>,
    title: (await serverT(tenant.language, "checkout"))("title.details"),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, order } = await checkoutStep(request, params, "details");
  const needs = checkoutRequirements(tenant, order.lines);
  const stored = await withTenant(tenant.id, (db) =>
    db.selectFrom("personal_identifiers").select("kind").where("order_id", "=", order.id).execute(),
  );
  const schema = detailsSchema({
    kinds: needs.kinds,
    stored: stored.map((s) => s.kind),
    beneficiaries: needs.beneficiaries,
    today: quoteDateIn(tenant.timeZone),
  });

  let form: FormData;
  let files: ReceivedFile[] = [];
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const read = await readMultipartForm(request);
    if (!read.ok) return json({ result: parseWithZod(new FormData(), { schema }).reply({ formErrors: [read.message] }) }, { status: 413 });
    ({ form, files } = read);
  } else {
    form = await readForm(request);
  }

  const submission = parseWithZod(form, { schema });
  const errors = await saveWithUploads(
    tenant.id,
    order.id,
    needs.documents.map((d) => d.key),
    files,
    submission.status === "success" ? (db) => saveDetails(db, tenant, order, submission.value) : null,
  );
  if (submission.status === "success" && Object.keys(errors).length === 0) return redirect(stepUrl(order.id, "plan"));
  const { form: formErrors = [], ...fieldErrors } = errors;
  const reply = submission.reply({
    formErrors: [
      ...formErrors,
      ...(Object.keys(fieldErrors).length || submission.status !== "success" ? ["Check the highlighted fields."] : []),
    ],
    fieldErrors,
  });
  return json({ result: reply }, { status: 400 });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function CheckoutDetails() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const lastResult = actionData?.result as SubmissionResult<string[]> | undefined;
  const schema = useMemo(
    () =>
      detailsSchema({ kinds: data.kinds, stored: data.stored.map((s) => s.kind), beneficiaries: data.beneficiaries, today: data.today }),
    [data.kinds, data.stored, data.beneficiaries, data.today],
  );
  const [form] = useForm({
    id: "checkout-details",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  // After a refused submission the page shows what was sent: nothing typed is lost.
  const values = (lastResult?.initialValue ?? data.defaults) as Record<string, unknown>;
  const errors = form.allErrors;
  const adultBy = `${Number(data.today.slice(0, 4)) - 18}${data.today.slice(4)}`;
  const { t } = useTranslation("checkout");

  return (
    <section className="checkout stack" aria-labelledby="checkout-title">
      <CheckoutHead orderId={data.orderId} reference={data.reference} reached={data.reached} current="details" notices={data.notices} />
      <Form
        method="post"
        encType={data.documents.length ? "multipart/form-data" : undefined}
        className="checkout-form"
        {...getFormProps(form)}
      >
        <FormErrors errors={form.errors} />
        <PolicyholderFieldset values={values} errors={errors} intro={t("details.intro")} ownDetails dateOfBirth={{ max: adultBy }} />

        {data.kinds.length ? <IdentifiersFieldset data={data} values={values} errors={errors} /> : null}
        {data.beneficiaries ? <BeneficiariesFieldset products={data.beneficiaryProducts} values={values} errors={errors} /> : null}
        {data.documents.length ? <DocumentsFieldset documents={data.documents} errors={errors} /> : null}

        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            {t("details.submit")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

type Errors = Record<string, string[] | undefined>;

function IdentifiersFieldset({ data, values, errors }: { data: LoaderData; values: Record<string, unknown>; errors: Errors }) {
  const typed = (values.identifiers ?? {}) as Record<string, unknown>;
  const { t } = useTranslation("checkout");
  return (
    <fieldset className="card">
      <legend>{t("details.identity")}</legend>
      <p className="muted small">{t("details.identityIntro")}</p>
      {data.kinds.map((kind) => {
        const saved = data.stored.find((s) => s.kind === kind);
        const label = t(`identifier.${kind}.label`);
        const hint = saved
          ? t("details.savedAs", { masked: saved.masked })
          : IDENTIFIER_HINTS[kind]
            ? t(`identifier.${kind}.hint`)
            : undefined;
        return (
          <Field
            key={kind}
            id={`identifier-${kind}`}
            name={`identifiers.${kind}`}
            label={saved ? t("details.savedLabel", { label }) : label}
            autoComplete="off"
            spellCheck={false}
            className={kind === "kra_pin" ? "uppercase" : undefined}
            inputMode={kind === "kra_pin" ? "text" : "numeric"}
            defaultValue={typeof typed[kind] === "string" ? (typed[kind] as string) : ""}
            hint={hint}
            errors={errors[`identifiers.${kind}`]}
          />
        );
      })}
    </fieldset>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Checkout: your details");
