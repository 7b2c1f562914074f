import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { SelectField, selectProps, TextareaField, textareaProps } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, useErrorText } from "~/components/ui/field";
import {
  approveSchema,
  assessmentSchema,
  assignSchema,
  noteSchema,
  rejectSchema,
  requestDocumentsSchema,
  reviewDocumentSchema,
} from "~/modules/claims/office-forms";

/**
 * The assessor's and approvers' forms on a claim's workbench. Each is a plain POST with an
 * `intent` (works without JavaScript); the server answers a refused one with its field errors
 * (`ActionReply`), which only the form it came from shows. Forms that change the claim carry the
 * revision the page showed, so a form left open while someone else acted is refused, not applied.
 */

export interface ActionReply {
  intent: string;
  /** The document a review was about (several review forms share the intent). */
  target?: string;
  /** Field errors of the form that was sent. */
  reply?: SubmissionResult<string[]>;
  /** A refusal of the step itself (someone else acted first, four-eyes …), shown above the page. */
  message?: string;
}

type Choice = { value: string; label: string };

function replyFor(reply: ActionReply | undefined, intent: string, target?: string) {
  return reply && reply.intent === intent && reply.target === target ? reply.reply : undefined;
}

function useBusy(intent: string, target?: string) {
  const navigation = useNavigation();
  return (
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    (target === undefined || navigation.formData?.get("documentId") === target)
  );
}

/** A checkbox list's posted values as a set (one value arrives as a string, several as a list). */
function initialSet(value: unknown): Set<string> {
  return new Set([value ?? []].flat().filter((v): v is string => typeof v === "string"));
}

/** A form's submit button, busy while this form (this intent) is being sent. */
function Submit({
  intent,
  target,
  variant = "primary",
  children,
}: {
  intent: string;
  target?: string;
  variant?: "primary" | "secondary" | "danger";
  children: ReactNode;
}) {
  const busy = useBusy(intent, target);
  return (
    <div className="actions">
      <Button type="submit" name="intent" value={intent} variant={variant} busy={busy}>
        {children}
      </Button>
    </div>
  );
}

/** A group's errors (radios, checkboxes), announced as a field's are. */
function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  const errorText = useErrorText();
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={`${id}-error`} role="alert">
      {errorText(errors)}
    </p>
  );
}

function Revision({ revision }: { revision: number }) {
  return <input type="hidden" name="revision" value={revision} />;
}

/** A one-button step (start the review, reassign by round-robin): only the revision goes with it. */
export function StepButton({
  intent,
  revision,
  label,
  variant = "primary",
  children,
}: {
  intent: string;
  revision: number;
  label: string;
  variant?: "primary" | "secondary";
  children?: ReactNode;
}) {
  return (
    <Form method="post" className="stack">
      {children}
      <Revision revision={revision} />
      <Submit intent={intent} variant={variant}>
        {label}
      </Submit>
    </Form>
  );
}

export function AssignForm({
  revision,
  choices,
  current,
  last,
}: {
  revision: number;
  choices: Choice[];
  current: string | null;
  last: ActionReply | undefined;
}) {
  const [form, fields] = useForm({
    id: "assign",
    lastResult: replyFor(last, "assign"),
    defaultValue: { assessorId: current ?? "" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: assignSchema }),
  });
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormErrors errors={form.errors} />
      <Revision revision={revision} />
      <SelectField
        label={t("workflow.assessor")}
        placeholder={t("forms.chooseSomeone")}
        choices={choices}
        {...selectProps(fields.assessorId)}
      />
      <Submit intent="assign" variant="secondary">
        {t("forms.assign")}
      </Submit>
    </Form>
  );
}

export function NoteForm({ last }: { last: ActionReply | undefined }) {
  const [form, fields] = useForm({
    id: "note",
    lastResult: replyFor(last, "note"),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: noteSchema }),
  });
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormErrors errors={form.errors} />
      <TextareaField label={t("forms.noteLabel")} hint={t("forms.noteHint")} rows={3} {...textareaProps(fields.body)} />
      <Submit intent="note" variant="secondary">
        {t("forms.addNote")}
      </Submit>
    </Form>
  );
}

export function ReviewDocumentForm({ documentId, last }: { documentId: string; last: ActionReply | undefined }) {
  const [form, fields] = useForm({
    id: `review-${documentId}`,
    lastResult: replyFor(last, "review_document", documentId),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: reviewDocumentSchema }),
  });
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)}>
      <FormErrors errors={form.errors} />
      <input type="hidden" name="documentId" value={documentId} />
      <fieldset className="verdicts" aria-describedby={fields.verdict.errors ? `${fields.verdict.id}-error` : undefined}>
        <legend className="visually-hidden">{t("forms.verdict")}</legend>
        <label>
          <input type="radio" name={fields.verdict.name} value="verified" defaultChecked={fields.verdict.initialValue === "verified"} />{" "}
          {t("documentStatus.verified")}
        </label>
        <label>
          <input type="radio" name={fields.verdict.name} value="rejected" defaultChecked={fields.verdict.initialValue === "rejected"} />{" "}
          {t("documentStatus.rejected")}
        </label>
      </fieldset>
      <FieldErrors id={fields.verdict.id} errors={fields.verdict.errors} />
      <TextareaField label={t("forms.note")} hint={t("forms.verdictNoteHint")} rows={2} {...textareaProps(fields.note)} />
      <Submit intent="review_document" target={documentId} variant="secondary">
        {t("forms.saveReview")}
      </Submit>
    </Form>
  );
}

export function RequestDocumentsForm({ revision, known, last }: { revision: number; known: Choice[]; last: ActionReply | undefined }) {
  const documents = known.map((k) => ({ code: k.value, label: k.label }));
  const [form, fields] = useForm({
    id: "request-documents",
    lastResult: replyFor(last, "request_documents"),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: requestDocumentsSchema(documents) }),
  });
  const ticked = initialSet(fields.documents.initialValue);
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormErrors errors={form.errors} />
      <Revision revision={revision} />
      <TextareaField label={t("forms.messageLabel")} hint={t("forms.messageHint")} rows={3} {...textareaProps(fields.message)} />
      {known.length ? (
        <CheckboxGroup
          legend={t("workbench.documents")}
          name={fields.documents.name}
          id={fields.documents.id}
          choices={known}
          checked={ticked}
          errors={fields.documents.errors}
        />
      ) : (
        <FieldErrors id={fields.documents.id} errors={fields.documents.errors} />
      )}
      <TextareaField
        label={t("forms.otherDocuments")}
        hint={t("forms.otherDocumentsHint")}
        rows={2}
        {...textareaProps(fields.otherDocuments)}
      />
      <Submit intent="request_documents" variant="secondary">
        {t("forms.sendRequest")}
      </Submit>
    </Form>
  );
}

/** A list of checkboxes under one legend, with the group's errors. */
function CheckboxGroup({
  legend,
  name,
  id,
  choices,
  checked,
  errors,
}: {
  legend: string;
  name: string;
  id: string;
  choices: Choice[];
  checked: Set<string>;
  errors?: string[];
}) {
  return (
    <>
      <fieldset className="reason-list" aria-describedby={errors ? `${id}-error` : undefined}>
        <legend>{legend}</legend>
        {choices.map((c) => (
          <label key={c.value} className="checkbox">
            <input type="checkbox" name={name} value={c.value} defaultChecked={checked.has(c.value)} /> {c.label}
          </label>
        ))}
      </fieldset>
      <FieldErrors id={id} errors={errors} />
    </>
  );
}

export function AssessmentForm({
  revision,
  currency,
  claimedMinor,
  defaults,
  reasons,
  last,
}: {
  revision: number;
  currency: string;
  claimedMinor: number;
  defaults: { approvedAmount: string; excess: string };
  reasons: { partial: Choice[]; rejection: Choice[] };
  last: ActionReply | undefined;
}) {
  const [form, fields] = useForm({
    id: "assess",
    lastResult: replyFor(last, "assess"),
    defaultValue: { ...defaults, recommendation: "approve" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: assessmentSchema(currency, claimedMinor) }),
  });
  const checked = initialSet(fields.reasonCodes.initialValue);
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormErrors errors={form.errors} />
      <Revision revision={revision} />
      <fieldset className="reason-list" aria-describedby={fields.recommendation.errors ? `${fields.recommendation.id}-error` : undefined}>
        <legend>{t("workbench.recommendation")}</legend>
        <label>
          <input
            type="radio"
            name={fields.recommendation.name}
            value="approve"
            defaultChecked={fields.recommendation.initialValue !== "reject"}
          />{" "}
          {t("forms.approveInPart")}
        </label>
        <label>
          <input
            type="radio"
            name={fields.recommendation.name}
            value="reject"
            defaultChecked={fields.recommendation.initialValue === "reject"}
          />{" "}
          {t("workbench.reject")}
        </label>
      </fieldset>
      <FieldErrors id={fields.recommendation.id} errors={fields.recommendation.errors} />
      <div className="grid two">
        <Field
          label={t("forms.approvedAmount", { currency })}
          hint={t("forms.approvedAmountHint")}
          inputMode="decimal"
          errors={fields.approvedAmount.errors}
          {...getInputProps(fields.approvedAmount, { type: "text" })}
        />
        <Field
          label={t("forms.excess", { currency })}
          hint={t("forms.excessHint")}
          inputMode="decimal"
          errors={fields.excess.errors}
          {...getInputProps(fields.excess, { type: "text" })}
        />
      </div>
      <CheckboxGroup
        legend={t("forms.partialReasons")}
        name={fields.reasonCodes.name}
        id={fields.reasonCodes.id}
        choices={reasons.partial}
        checked={checked}
      />
      <CheckboxGroup
        legend={t("forms.rejectionReasons")}
        name={fields.reasonCodes.name}
        id={fields.reasonCodes.id}
        choices={reasons.rejection}
        checked={checked}
        errors={fields.reasonCodes.errors}
      />
      <TextareaField label={t("forms.assessmentNotes")} hint={t("forms.assessmentNotesHint")} rows={3} {...textareaProps(fields.notes)} />
      <Submit intent="assess">{t("forms.completeAssessment")}</Submit>
    </Form>
  );
}

export function ApproveForm({
  revision,
  label,
  last,
  children,
}: {
  revision: number;
  label: string;
  last: ActionReply | undefined;
  children?: ReactNode;
}) {
  const [form, fields] = useForm({
    id: "approve",
    lastResult: replyFor(last, "approve"),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: approveSchema }),
  });
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      {children}
      <FormErrors errors={form.errors} />
      <Revision revision={revision} />
      <TextareaField label={t("forms.noteToClaimant")} rows={2} {...textareaProps(fields.note)} />
      <Submit intent="approve">{label}</Submit>
    </Form>
  );
}

export function RejectForm({
  revision,
  reasons,
  preset,
  last,
}: {
  revision: number;
  reasons: Choice[];
  preset: string[];
  last: ActionReply | undefined;
}) {
  const [form, fields] = useForm({
    id: "reject",
    lastResult: replyFor(last, "reject"),
    defaultValue: { reasonCodes: preset },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: rejectSchema }),
  });
  const checked = initialSet(fields.reasonCodes.initialValue);
  const { t } = useTranslation("admin-claims");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormErrors errors={form.errors} />
      <Revision revision={revision} />
      <CheckboxGroup
        legend={t("workbench.reasons")}
        name={fields.reasonCodes.name}
        id={fields.reasonCodes.id}
        choices={reasons}
        checked={checked}
        errors={fields.reasonCodes.errors}
      />
      <TextareaField label={t("forms.rejectWhy")} hint={t("forms.rejectWhyHint")} rows={3} {...textareaProps(fields.note)} />
      <Submit intent="reject" variant="danger">
        {t("forms.rejectClaim")}
      </Submit>
    </Form>
  );
}
