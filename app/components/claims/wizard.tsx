import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ClaimDraftStep } from "~db/schema";
import { useErrorText } from "~/components/ui/field";
import { WIZARD_STEPS, wizardUrl } from "~/modules/claims/wizard";

/**
 * The claim wizard's head: the title, the policy claimed on, and its five steps (choosing the policy,
 * then the draft's four). Steps already reached are links back: the draft keeps what was entered.
 */
export function WizardHead({
  title,
  head,
  current,
}: {
  title: string;
  head: { draftId: string; reached: ClaimDraftStep; policyLabel: string } | null;
  current: ClaimDraftStep | "policy";
}) {
  const { t } = useTranslation("claims");
  const reachedIndex = head ? WIZARD_STEPS.indexOf(head.reached) : -1;
  const steps = ["policy", ...WIZARD_STEPS] as const;
  return (
    <header>
      <p className="eyebrow">
        {t("wizard.fileClaim")}
        {head ? ` · ${head.policyLabel}` : ""}
      </p>
      <h1 id="wizard-title">{title}</h1>
      <nav aria-label={t("wizard.steps.label")} className="claim-wizard-progress">
        <ol>
          {steps.map((step, i) => {
            const index = step === "policy" ? -1 : WIZARD_STEPS.indexOf(step);
            const isCurrent = step === current;
            const reachable = head !== null && step !== "policy" && index <= reachedIndex;
            const state = isCurrent
              ? "current"
              : step === "policy"
                ? head
                  ? "done"
                  : "upcoming"
                : index < reachedIndex
                  ? "done"
                  : "upcoming";
            const body = (
              <>
                <span aria-hidden="true">{state === "done" ? "✓" : i + 1}</span>{" "}
                <span className="step-label">{t(`wizard.steps.${step}`)}</span>
                <span className="visually-hidden">
                  {isCurrent ? ` ${t("wizard.thisStep")}` : state === "done" ? ` ${t("progress.done")}` : ""}
                </span>
              </>
            );
            return (
              <li key={step} className={`is-${state}`} aria-current={isCurrent ? "step" : undefined}>
                {reachable && !isCurrent && head ? (
                  <Link to={wizardUrl(head.draftId, step as ClaimDraftStep)}>{body}</Link>
                ) : (
                  <span>{body}</span>
                )}
              </li>
            );
          })}
        </ol>
      </nav>
    </header>
  );
}

/** A field's error line, announced with the field (server-rendered: works without JavaScript). */
export function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  const errorText = useErrorText();
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {errorText(errors)}
    </p>
  );
}
