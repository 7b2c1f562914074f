import type { TFunction } from "i18next";
import type { ClaimFamily } from "~db/schema";
import { reasonLabel } from "./office-forms";
import { CLAIM_TYPES, claimTypeLabel, claimTypesFor, isClaimType, OTHER_DOCUMENT, type ClaimDocumentNeed } from "./rules";

/**
 * The claim rules' words (claim types, their hints, the standard documents) in the reader's language,
 * through the `claims` namespace (decision 037). The English tables in rules.ts stay the source and
 * what the API and the back office's server use; a product's own document label (catalogue data,
 * written by the agency) is shown as written.
 */

const STANDARD_DOCUMENTS: ReadonlyMap<string, string> = new Map(
  [...Object.values(CLAIM_TYPES).flatMap((types) => Object.values(types).flatMap((def) => def.documents)), OTHER_DOCUMENT].map((d) => [
    d.code,
    d.label,
  ]),
);

/** A claim type's name ("Accident damage") in the reader's words; an unknown code in words as before. */
export function claimTypeText(t: TFunction, family: ClaimFamily | null, type: string): string {
  const label = claimTypeLabel(family, type);
  return family && isClaimType(family, type) ? String(t(`types.${family}.${type}.label`, { defaultValue: label })) : label;
}

/** The claim types of a family, with their one-line hints, as the wizard offers them. */
export function claimTypeChoices(t: TFunction, family: ClaimFamily | null) {
  return claimTypesFor(family).map((o) => ({
    value: o.value,
    label: String(t(`types.${family}.${o.value}.label`, { defaultValue: o.label })),
    hint: String(t(`types.${family}.${o.value}.hint`, { defaultValue: o.hint })),
  }));
}

/** A document kind: the standard ones translated, a product's own label (its code reused or new) as written. */
export function documentText<T extends ClaimDocumentNeed>(t: TFunction, kind: T): T {
  return STANDARD_DOCUMENTS.get(kind.code) === kind.label
    ? { ...kind, label: String(t(`documentKinds.${kind.code}`, { defaultValue: kind.label })) }
    : kind;
}

/** A reason code of an assessment or a decision (admin-claims `reasons.<code>`); an unknown one in words. */
export function reasonText(t: TFunction, code: string): string {
  return String(t(`reasons.${code}`, { defaultValue: reasonLabel(code) }));
}

/** How long something has waited, as the queue and the workbench show it ("2 d 4 h"), in admin-claims words. */
export function spanWords(t: TFunction, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return String(t("span.minutes", { n: minutes }));
  const hours = Math.floor(minutes / 60);
  if (hours < 72) return String(t("span.hours", { n: hours }));
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return String(rest ? t("span.daysHours", { d: days, h: rest }) : t("span.days", { n: days }));
}
