import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { WizardHead } from "~/components/claims/wizard";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { withStoredFiles } from "~/modules/claims/documents.server";
import { draftDocumentKinds, missingStep, submitDraft } from "~/modules/claims/drafts.server";
import { eligibilityFor } from "~/modules/claims/eligibility.server";
import { publicFacility } from "~/modules/facilities/search.server";
import { draftRequest, wizardHead } from "~/modules/claims/page.server";
import { documentLabel } from "~/modules/claims/rules";
import { claimTypeText, documentText } from "~/modules/claims/translated";
import { wizardUrl } from "~/modules/claims/wizard";
import { serverT } from "~/modules/i18n/i18n.server";
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
  const t = await serverT(tenant.language, "claims");
  const { flags, facility } = await withTenant(tenant.id, async (db) => ({
    flags: await eligibilityFor(
      db,
      tenant,
      {
        policy: loaded.policy,
        claimType: a.claimType!,
        incidentDate: a.incidentDate!,
        claimedMinor: a.claimedMinor!,
        provided: loaded.documents.map((d) => d.kind),
      },
      t,
    ),
    facility: a.facilityId ? await publicFacility(db, a.facilityId) : undefined,
  }));
  const kinds = draftDocumentKinds(loaded).map((k) => documentText(t, k));
  return json({
    title: t("wizard.review.pageTitle"),
    head: wizardHead(loaded),
    summary: {
      type: claimTypeText(t, loaded.policy.claimFamily, a.claimType!),
      date: formatDate(a.incidentDate!, tenant.locale, "UTC"),
      place: a.incidentPlace!,
      description: a.description!,
      amount: formatMoney(a.claimedMinor!, loaded.policy.currency, tenant.locale),
      facility: facility ? `${facility.name}, ${facility.city}` : a.facilityId === null ? t("wizard.amount.notListed") : null,
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
  const { t } = useTranslation("claims");
  const errorText = useErrorText();
  return (
    <section className="claim-wizard stack" aria-labelledby="wizard-title">
      <WizardHead title={t("wizard.steps.review")} head={head} current="review" />
      {messages.length ? (
        <Alert tone="error" title={t("wizard.review.notSubmitted")}>
          {errorText(messages)} {t("wizard.review.goBack")}
        </Alert>
      ) : null}
      <section className="card" aria-labelledby="review-incident">
        <h2 id="review-incident">{t("tracker.whatHappened")}</h2>
        <dl className="details-list">
          <dt>{t("wizard.review.claimFor")}</dt>
          <dd>{summary.type}</dd>
          <dt>{t("tracker.date")}</dt>
          <dd>{summary.date}</dd>
          <dt>{t("tracker.place")}</dt>
          <dd>{summary.place}</dd>
          <dt>{t("tracker.description")}</dt>
          <dd className="pre-line">{summary.description}</dd>
        </dl>
        <p className="section-actions">
          <Link to={wizardUrl(head.draftId, "incident")}>{t("wizard.review.changeIncident")}</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="review-amount">
        <h2 id="review-amount">{t("tracker.amount")}</h2>
        <dl className="details-list">
          <dt>{t("list.claimed")}</dt>
          <dd>{summary.amount}</dd>
          {summary.facility ? (
            <>
              <dt>{t("wizard.review.treatedAt")}</dt>
              <dd>{summary.facility}</dd>
            </>
          ) : null}
        </dl>
        <p className="section-actions">
          <Link to={wizardUrl(head.draftId, "amount")}>{t("wizard.review.changeAmount")}</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="review-documents">
        <h2 id="review-documents">{t("tracker.documents")}</h2>
        {summary.documents.length ? (
          <ul>
            {summary.documents.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("tracker.noDocuments")}</p>
        )}
        <p className="section-actions">
          <Link to={wizardUrl(head.draftId, "documents")}>{t("wizard.review.changeDocuments")}</Link>
        </p>
      </section>
      {flags.length ? (
        <Alert tone="warning" title={t("wizard.review.flagsTitle")}>
          <ul>
            {flags.map((f) => (
              <li key={f.code}>{f.message}</li>
            ))}
          </ul>
          {t("wizard.review.flagsNote")}
        </Alert>
      ) : null}
      <Form method="post">
        <p className="muted small">{t("wizard.review.confirm")}</p>
        <Button type="submit">{t("wizard.review.submit")}</Button>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "File a claim: review");
