import { withTenant } from "~db/client";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import type { ChangePreviewView } from "~/components/policy/change-cover-form";
import { fieldErrors, toPlainObject } from "~/modules/rating";
import { confirmChange } from "./confirm.server";
import { policyForChange, priceChange, type ChangeActor, type ChangeTenant, type PricedChange } from "./change.server";
import { CHANGE_FORM_KEYS, changeFormSchema } from "./form";

/**
 * The change-of-cover form's POST, shared by the customer's page and the back office's: price
 * (show what it costs), or confirm (re-price under the policy's lock and write the version). A
 * confirmation whose price moved since it was shown is priced again, not confirmed.
 */
export type ChangeFormResult =
  | { kind: "not_found" }
  | { kind: "invalid"; errors: Record<string, string[]>; values: Record<string, unknown> }
  | { kind: "priced"; preview: ChangePreviewView; values: Record<string, unknown>; notice?: string }
  | { kind: "confirmed"; version: number; outcome: "applied" | "pending" };

export async function handleChangeForm(
  tenant: ChangeTenant,
  policyId: string,
  formData: FormData,
  who: { actor: ChangeActor; userId: string; today: string },
): Promise<ChangeFormResult> {
  const values = toPlainObject(formData) ?? {};
  const raw: Record<string, unknown> = { ...values };
  for (const key of CHANGE_FORM_KEYS) delete raw[key];
  const parsed = changeFormSchema.safeParse(Object.fromEntries(CHANGE_FORM_KEYS.map((k) => [k, values[k] === "" ? undefined : values[k]])));
  if (!parsed.success) return { kind: "invalid", errors: fieldErrors(parsed.error.issues), values };
  const form = { effectiveDate: parsed.data.effectiveDate, raw, reason: who.actor === "staff" ? (parsed.data.reason ?? null) : null };

  const priced = await withTenant(tenant.id, async (db) => {
    const policy = await policyForChange(db, tenant, policyId, who);
    return policy ? priceChange(policy, tenant, form, who) : null;
  });
  if (!priced) return { kind: "not_found" };
  if (!priced.ok) return { kind: "invalid", errors: priced.errors, values };
  const preview = previewOf(priced.change, tenant);
  if (parsed.data.intent === "price") return { kind: "priced", preview, values };
  if (parsed.data.quotedDeltaMinor !== priced.change.deltaMinor)
    return {
      kind: "priced",
      preview,
      values,
      notice: "The price of this change moved since you saw it: check the new price and confirm again.",
    };

  const done = await withTenant(tenant.id, (db) => confirmChange(db, tenant, policyId, form, who));
  if (!done.ok) return done.notFound ? { kind: "not_found" } : { kind: "invalid", errors: done.errors, values };
  return { kind: "confirmed", version: done.version, outcome: done.outcome };
}

export function previewOf(change: PricedChange, tenant: Pick<ChangeTenant, "currency" | "locale">): ChangePreviewView {
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  return {
    effectiveDate: formatDate(change.effectiveDate, tenant.locale, "UTC"),
    changes: change.changes,
    oldAnnual: money(change.oldAnnualMinor),
    newAnnual: money(change.newAnnualMinor),
    deltaMinor: change.deltaMinor,
    deltaAmount: money(Math.abs(change.deltaMinor)),
  };
}
