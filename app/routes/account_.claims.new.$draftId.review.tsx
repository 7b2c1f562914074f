// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { WizardHead } from "~/components/claims/wizard";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { withStoredFiles } from "~/modules/claims/documents.server";
import { draftDocumentKinds, missingStep, submitDraft } from "~/modules/claims/drafts.server";
import { eligibilityFor } from "~/modules/claims/eligibility.server";
import { publicFacility } from "~/modules/facilities/search.server";
import { draftRequest, wizardHead } from "~/modules/claims/page.server";
import { claimTypeLabel, documentLabel } from "~/modules/claims/rules";
import { wizardUrl } from "~/modules/claims/wizard";
import claimStyles from "~/styles/claims.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimStyles }];

/**
 * Step 5: everything once more, what the system will note for the assessor (the same checks as at
 * filing: a claim with notes is still filed), then submit. Submitting files the claim and its
 * documents in one transaction and deletes the draft.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, loaded } = await draftRequest(request, params.draftId);
  const missing = missingStep(loaded.answers);
  if (missing) throw redirect(wizardUrl(loaded.draft.id, missing));
  const a = loaded.answers;
  const { flags, facility } = await withTenant(tenant.id, async (db) => ({
    flags: await eligibilityFor(db, tenant, {
      policy: loaded.policy,
      claimType: a.claimType!,
      incidentDate: a.incidentDate!,
      claimedMinor: a.claimedMinor!,
      provided: loaded.documents.map((d) => d.kind),
    }),
    facility: a.facilityId ? await publicFacility(db, a.facilityId) : undefined,
  }));
  const kinds = draftDocumentKinds(loaded);
  return json({
    head: wizardHead(loaded),
    summary: {
      type: claimTypeLabel(loaded.policy.claimFamily, a.claimType!),
      date: formatDate(a.incidentDate!, tenant.locale, "UTC"),
      place: a.incidentPlace!,
      description: a.description!,
      amount: formatMoney(a.claimedMinor!, loaded.policy.currency, tenant.locale),
      facility: facility ? `${facility.name}, ${facility.city}` : a.facilityId === null ? "Not at a listed hospital or clinic" : null,
      documents: loaded.documents.map((d) => `${documentLabel(kinds, d.kind)}: ${d.filename}`),
    },
    flags,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, actor, workflow, loaded } = await draftRequest(request, params.draftId);
  // Read again, locked, inside the transaction: a second click on "Submit" finds no draft.
  const result = await withStoredFiles(tenant.id, (db, ledger) => submitDraft(db, workflow, ledger, actor, loaded.draft.id));
  if (!result.ok) return json({ errors: result.errors }, { status: 400 });
  const path = result.standing.as === "agent" ? `/agent/claims/${result.claim.id}` : `/account/claims/${result.claim.id}`;
  return redirect(`${path}?done=filed`);
}

export default function ReviewStep() {
  const { head, summary, flags } = useLoaderData<typeof loader>();
  const errors = (useActionData<typeof action>()?.errors ?? {}) as Record<string, string[]>;
  const messages = Object.values(errors).flat();
  return (
    <section className="claim-wizard stack" aria-labelledby="wizard-title">
      <WizardHead title="Review and submit" head={head} current="review" />
      {messages.length ? (
        <Alert tone="error" title="The claim was not submitted">
          {messages.join(" ")} Go back to the step concerned, correct it, and submit again.
        </Alert>
      ) : null}
      <section className="card" aria-labelledby="review-incident">
        <h2 id="review-incident">What happened</h2>
        <dl className="details-list">
          <dt>Claim for</dt>
          <dd>{summary.type}</dd>
          <dt>Date</dt>
          <dd>{summary.date}</dd>
          <dt>Place</dt>
          <dd>{summary.place}</dd>
          <dt>Description</dt>
          <dd className="pre-line">{summary.description}</dd>
        </dl>
        <p className="section-actions">
          <Link to={wizardUrl(head.draftId, "incident")}>Change what happened</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="review-amount">
        <h2 id="review-amount">Amount</h2>
        <dl className="details-list">
          <dt>Claimed</dt>
          <dd>{summary.amount}</dd>
          {summary.facility ? (
            <>
              <dt>Treated at</dt>
              <dd>{summary.facility}</dd>
            </>
          ) : null}
        </dl>
        <p className="section-actions">
          <Link to={wizardUrl(head.draftId, "amount")}>Change the amount</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="review-documents">
        <h2 id="review-documents">Documents</h2>
        {summary.documents.length ? (
          <ul>
            {summary.documents.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">No documents yet.</p>
        )}
        <p className="section-actions">
          <Link to={wizardUrl(head.draftId, "documents")}>Add or remove documents</Link>
        </p>
      </section>
      {flags.length ? (
        <Alert tone="warning" title="Our assessor will look at these">
          <ul>
            {flags.map((f) => (
              <li key={f.code}>{f.message}</li>
            ))}
          </ul>
          You can still submit the claim: it will be assessed with these noted.
        </Alert>
      ) : null}
      <Form method="post">
        <p className="muted small">By submitting you confirm that what you told us is true to the best of your knowledge.</p>
        <Button type="submit">Submit the claim</Button>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "File a claim: review");
