// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorText, WizardHead } from "~/components/claims/wizard";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { saveIncident } from "~/modules/claims/drafts.server";
import { draftRequest, wizardHead, zodFieldErrors } from "~/modules/claims/page.server";
import { claimTypesFor } from "~/modules/claims/rules";
import { incidentSchema } from "~/modules/claims/schemas";
import { wizardUrl } from "~/modules/claims/wizard";
import claimStyles from "~/styles/claims.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimStyles }];

/** Step 2: what happened, when and where. The date may be neither ahead of today nor before the cover. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { loaded, today } = await draftRequest(request, params.draftId);
  const a = loaded.answers;
  return json({
    head: wizardHead(loaded),
    types: claimTypesFor(loaded.policy.claimFamily),
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
  return (
    <section className="claim-wizard stack" aria-labelledby="wizard-title">
      <WizardHead title="What happened?" head={data.head} current="incident" />
      <Form method="post" className="stack" noValidate>
        <fieldset className="card" aria-describedby={errors.claimType ? "claimType-error" : undefined}>
          <legend>What are you claiming for?</legend>
          <ErrorText id="claimType-error" errors={errors.claimType} />
          <ul className="choice-list">
            {data.types.map((t) => (
              <li key={t.value}>
                <label>
                  <input type="radio" name="claimType" value={t.value} defaultChecked={values.claimType === t.value} />
                  <span className="choice-text">
                    {t.label}
                    <span className="muted small">{t.hint}</span>
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
            label="Date of the incident"
            max={data.today}
            min={data.coverStart ?? undefined}
            defaultValue={values.incidentDate}
            errors={errors.incidentDate}
            required
          />
          <Field
            id="incidentPlace"
            name="incidentPlace"
            label="Where did it happen?"
            hint="A town and a road or a landmark is enough."
            maxLength={200}
            defaultValue={values.incidentPlace}
            errors={errors.incidentPlace}
            required
          />
          <div className={`field${errors.description ? " field-invalid" : ""}`}>
            <label htmlFor="description">Tell us what happened</label>
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
          <Button type="submit">Save and continue</Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "File a claim: what happened");
