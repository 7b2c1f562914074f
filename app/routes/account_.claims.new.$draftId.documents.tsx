import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorText, WizardHead } from "~/components/claims/wizard";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { CLAIM_FILE_ACCEPT, CLAIM_FILE_MAX_BYTES, CLAIM_FILES_PER_UPLOAD } from "~/modules/claims/documents-limits";
import { acceptFiles, readClaimUpload, withStoredFiles } from "~/modules/claims/documents.server";
import { addDraftDocuments, draftDocumentKinds, missingStep, removeDraftDocument } from "~/modules/claims/drafts.server";
import { draftRequest, wizardHead } from "~/modules/claims/page.server";
import { requiredDocuments } from "~/modules/claims/rules";
import { documentText } from "~/modules/claims/translated";
import { wizardUrl } from "~/modules/claims/wizard";
import { serverT } from "~/modules/i18n/i18n.server";
import claimStyles from "~/styles/claims.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimStyles }];

const documentId = lineText().uuid();

/**
 * Step 4: the documents this kind of claim needs (one file input per document, several photos
 * allowed), kept with the draft until the claim is submitted. Missing ones do not stop the claim:
 * it is filed and flagged, and they can be sent later from the claim's page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, loaded } = await draftRequest(request, params.draftId);
  const missing = missingStep(loaded.answers);
  if (missing) throw redirect(wizardUrl(loaded.draft.id, missing));
  const t = await serverT(tenant.language, "claims");
  const required = requiredDocuments(loaded.policy.claimFamily, loaded.answers.claimType!, loaded.policy.claimRules);
  return json({
    title: t("wizard.documents.pageTitle"),
    head: wizardHead(loaded),
    kinds: draftDocumentKinds(loaded).map((k) => ({
      ...documentText(t, k),
      required: required.some((r) => r.code === k.code),
      uploaded: loaded.documents.filter((d) => d.kind === k.code).map((d) => ({ id: d.id, filename: d.filename })),
    })),
    maxMb: CLAIM_FILE_MAX_BYTES / 1024 / 1024,
    perUpload: CLAIM_FILES_PER_UPLOAD,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, loaded } = await draftRequest(request, params.draftId);
  const here = wizardUrl(loaded.draft.id, "documents");
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const read = await readClaimUpload(request);
    if (!read.ok) return json({ errors: { form: [read.message] } as Record<string, string[]> }, { status: 413 });
    const accepted = acceptFiles(read.files, {
      kinds: draftDocumentKinds(loaded).map((k) => k.code),
      alreadyStored: loaded.documents.length,
    });
    // Good files are kept even when another one is refused: nothing chosen twice.
    if (accepted.accepted.length)
      await withStoredFiles(tenant.id, (db, ledger) => addDraftDocuments(db, ledger, tenant.id, loaded, accepted.accepted));
    if (Object.keys(accepted.errors).length) return json({ errors: accepted.errors }, { status: 400 });
    if (!read.files.length)
      return json({ errors: { form: ["Choose a file to upload first."] } as Record<string, string[]> }, { status: 400 });
    return redirect(here);
  }
  const form = await readForm(request);
  const id = documentId.safeParse(form.get("documentId"));
  if (form.get("intent") === "remove" && id.success) {
    await withStoredFiles(tenant.id, (db, ledger) => removeDraftDocument(db, ledger, loaded, id.data));
    return redirect(here);
  }
  return json({ errors: { form: ["We did not understand that request. Please try again."] } as Record<string, string[]> }, { status: 400 });
}

export default function DocumentsStep() {
  const data = useLoaderData<typeof loader>();
  const errors = (useActionData<typeof action>()?.errors ?? {}) as Record<string, string[]>;
  const { t } = useTranslation("claims");
  const errorText = useErrorText();
  return (
    <section className="claim-wizard stack" aria-labelledby="wizard-title">
      <WizardHead title={t("wizard.steps.documents")} head={data.head} current="documents" />
      <p>{t("wizard.documents.intro", { mb: data.maxMb, perUpload: data.perUpload })}</p>
      {errors.form ? <Alert tone="error">{errorText(errors.form)}</Alert> : null}
      <Form method="post" encType="multipart/form-data" className="stack">
        <div className="card stack">
          {data.kinds.map((k) => {
            const field = `doc_${k.code}`;
            return (
              <div key={k.code} className={`field${errors[field] ? " field-invalid" : ""}`}>
                <label htmlFor={field}>
                  {k.label}
                  {k.required ? "" : ` ${t("wizard.documents.optional")}`}
                </label>
                <input
                  id={field}
                  name={field}
                  type="file"
                  accept={CLAIM_FILE_ACCEPT}
                  multiple
                  aria-invalid={errors[field] ? true : undefined}
                  aria-describedby={errors[field] ? `${field}-error` : undefined}
                />
                <ErrorText id={`${field}-error`} errors={errors[field]} />
                {k.uploaded.length ? (
                  <p className="small">{t("wizard.documents.uploaded", { files: k.uploaded.map((u) => u.filename).join(", ") })}</p>
                ) : null}
              </div>
            );
          })}
        </div>
        <div className="actions">
          <Button type="submit" variant="secondary">
            {t("tracker.upload")}
          </Button>
        </div>
      </Form>
      {data.kinds.some((k) => k.uploaded.length) ? (
        <section className="card" aria-labelledby="uploaded-title">
          <h2 id="uploaded-title">{t("wizard.documents.soFar")}</h2>
          <ul className="claim-documents">
            {data.kinds.flatMap((k) =>
              k.uploaded.map((u) => (
                <li key={u.id}>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="documentId" value={u.id} />
                    {k.label}: {u.filename}{" "}
                    <Button type="submit" variant="secondary" aria-label={t("wizard.documents.removeFile", { file: u.filename })}>
                      {t("wizard.documents.remove")}
                    </Button>
                  </Form>
                </li>
              )),
            )}
          </ul>
        </section>
      ) : null}
      <p className="actions">
        <Link to={wizardUrl(data.head.draftId, "review")} className="btn btn-primary">
          {t("wizard.documents.toReview")}
        </Link>
      </p>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "File a claim: documents");
