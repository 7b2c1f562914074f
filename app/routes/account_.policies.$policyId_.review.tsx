import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { Honeypot } from "~/components/honeypot";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { filledByRobot, ROBOT_REFUSAL } from "~/modules/abuse/honeypot";
import { requireUser } from "~/modules/auth/guards.server";
import { reviewSchema } from "~/modules/catalogue/review-schema";
import { reviewablePolicy, saveReview } from "~/modules/catalogue/reviews.server";
import { readForm } from "~/lib/forms";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

/** /account/policies/:policyId/review — a policyholder reviews the product they bought. */
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Review");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const policyId = uuidParam(params, "policyId");
  const found = await withTenant(tenant.id, (db) => reviewablePolicy(db, user.id, policyId));
  if (!found) throw new Response("Not found", { status: 404 });
  const t = await serverT(tenant.language, "account");
  return json({
    title: t("review.title", { product: found.productName }),
    policyId,
    product: { name: found.productName, slug: found.productSlug },
    existing: found.existing,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const policyId = uuidParam(params, "policyId");
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: reviewSchema });
  // A robot is refused quietly (nothing says why) and nothing is written.
  if (filledByRobot(form)) return json(submission.reply({ formErrors: [ROBOT_REFUSAL] }), { status: 400 });
  if (submission.status !== "success") return json(submission.reply());
  return withTenant(tenant.id, async (db) => {
    const found = await reviewablePolicy(db, user.id, policyId);
    if (!found) throw new Response("Not found", { status: 404 });
    await saveReview(db, user.id, found.productId, submission.value);
    return redirect(`/products/${found.productSlug}#reviews-title`);
  });
}

export default function ReviewPolicy() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const { t } = useTranslation("account");
  const errorText = useErrorText();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(reviewSchema),
    defaultValue: data.existing ?? undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: reviewSchema }),
  });
  return (
    <div className="account stack">
      <div className="page-head">
        <p>
          <Link to={`/account/policies/${data.policyId}`}>← {t("review.back")}</Link>
        </p>
        <h1>{t("review.title", { product: data.product.name })}</h1>
        <p className="muted">{t("review.intro")}</p>
      </div>
      <AccountNav />
      <div className="stack">
        <Form method="post" {...getFormProps(form)} className="card stack">
          <FormErrors errors={form.errors} />
          <Honeypot />
          <fieldset className="field">
            <legend>{t("review.rating")}</legend>
            <div
              className="rating-choices"
              role="radiogroup"
              aria-describedby={fields.rating.errors ? `${fields.rating.id}-error` : undefined}
            >
              {[5, 4, 3, 2, 1].map((n) => (
                <label key={n}>
                  <input
                    type="radio"
                    name={fields.rating.name}
                    value={n}
                    defaultChecked={String(fields.rating.initialValue) === String(n)}
                  />{" "}
                  {"★".repeat(n)}
                  <span className="visually-hidden">{t("review.stars", { count: n })}</span>
                </label>
              ))}
            </div>
            {fields.rating.errors ? (
              <p className="field-error" id={`${fields.rating.id}-error`} role="alert">
                {errorText(fields.rating.errors)}
              </p>
            ) : null}
          </fieldset>
          <Field label={t("review.reviewTitle")} errors={fields.title.errors} {...getInputProps(fields.title, { type: "text" })} />
          <div className={`field${fields.body.errors ? " field-invalid" : ""}`}>
            <label htmlFor={fields.body.id}>{t("review.body")}</label>
            <textarea rows={6} {...getTextareaProps(fields.body)} />
            {fields.body.errors ? (
              <p className="field-error" role="alert">
                {errorText(fields.body.errors)}
              </p>
            ) : null}
          </div>
          <div>
            <Button type="submit" busy={busy}>
              {data.existing ? t("review.update") : t("review.publish")}
            </Button>
          </div>
        </Form>
      </div>
    </div>
  );
}
