import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorText, WizardHead } from "~/components/claims/wizard";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { saveIncident } from "~/modules/claims/drafts.server";
import { draftRequest, wizardHead, zodFieldErrors } from "~/modules/claims/page.server";
import { incidentSchema } from "~/modules/claims/schemas";
import { claimTypeChoices } from "~/modules/claims/translated";
import { wizardUrl } from "~/modules/claims/wizard";
import { serverT } from "~/modules/i18n/i18n.server";
import claimStyles from "~/styles/claims.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimStyles }];

/** Step 2: what happened, when and where. The date may be neither ahead of today nor before the cover. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, loaded, today } = await draftRequest(request, params.draftId);
  const a = loaded.answers;
  const t = await serverT(tenant.language, "claims");
  return json({
    title: t("wizard.incident.pageTitle"),
    head: wizardHead(loaded),
    types: claimTypeChoices(t, loaded.policy.claimFamily),
    today,
    coverStart: loaded.policy.startDate,
    values: {
      claimType: a.claimType ?? "",
      incidentDate: a.incidentDate ?? "",
      incidentPlace: a.incidentPlace ?? "",
      description: a.description ?? "",
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, loaded } = await draftRequest(request, params.draftId);
  const values = Object.fromEntries(await readForm(request));
  const parsed = incidentSchema.safeParse(values);
  const errors = parsed.success
    ? await withTenant(tenant.id, (db) => saveIncident(db, tenant, loaded, parsed.data))
    : zodFieldErrors(parsed.error);
  if (Object.keys(errors).length) return json({ errors, values }, { status: 400 });
  return redirect(wizardUrl(loaded.draft.id, "amount"));
}

export default function IncidentStep() {
  const data = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errors = (failed?.errors ?? {}) as Record<string, string[]>;
  // After a refused submission the page shows what was sent: nothing typed is lost.
  const values = { ...data.values, ...((failed?.values ?? {}) as Record<string, string>) };
  const { t } = useTranslation("claims");
  return (
    <section className="claim-wizard stack" aria-labelledby="wizard-title">
      <WizardHead title={t("wizard.incident.title")} head={data.head} current="incident" />
      <Form method="post" className="stack" noValidate>
        <fieldset className="card" aria-describedby={errors.claimType ? "claimType-error" : undefined}>
          <legend>{t("wizard.incident.claimingFor")}</legend>
          <ErrorText id="claimType-error" errors={errors.claimType} />
          <ul className="choice-list">
            {data.types.map((type) => (
              <li key={type.value}>
                <label>
                  <input type="radio" name="claimType" value={type.value} defaultChecked={values.claimType === type.value} />
                  <span className="choice-text">
                    {type.label}
                    <span className="muted small">{type.hint}</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="card stack">
          <Field
            id="incidentDate"
            name="incidentDate"
            type="date"
            label={t("wizard.incident.date")}
            max={data.today}
            min={data.coverStart ?? undefined}
            defaultValue={values.incidentDate}
            errors={errors.incidentDate}
            required
          />
          <Field
            id="incidentPlace"
            name="incidentPlace"
            label={t("wizard.incident.place")}
            hint={t("wizard.incident.placeHint")}
            maxLength={200}
            defaultValue={values.incidentPlace}
            errors={errors.incidentPlace}
            required
          />
          <div className={`field${errors.description ? " field-invalid" : ""}`}>
            <label htmlFor="description">{t("wizard.incident.description")}</label>
            <textarea
              id="description"
              name="description"
              rows={5}
              maxLength={5000}
              defaultValue={values.description}
              aria-invalid={errors.description ? true : undefined}
              aria-describedby={errors.description ? "description-error" : undefined}
              required
            />
            <ErrorText id="description-error" errors={errors.description} />
          </div>
        </div>
        <div className="actions">
          <Button type="submit">{t("wizard.saveContinue")}</Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "File a claim: what happened");
