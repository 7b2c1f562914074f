import type { TenantDb } from "~db/client";
import { formatDate } from "~/lib/dates";
import { isIsoDate } from "~/modules/rating/dates";
import { formatMoney } from "~/lib/money";
import { endorsementDeltaMinor, productLifecycle } from "~/modules/policies/lifecycle";
import { describeQuoteInputs, formToRatingInput, formValuesFromInputs, remapRowErrors } from "~/modules/quotes/form";
import {
  describeInputs,
  INSTALMENTS_PER_YEAR,
  priceQuote,
  type FieldDescription,
  type FieldErrors,
  type Frequency,
} from "~/modules/rating";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { inputsInForce } from "~/modules/policies/versions.server";
import { CHANGEABLE_STATUSES } from "./rules.server";

/**
 * A change of cover mid-term (an endorsement, issue 13 item 4, decisions 027 and 031): new rating
 * inputs from a change date, re-rated by the product's own rating declaration, and the premium for
 * the rest of the term pro-rata (`endorsementDeltaMinor`): positive is due now, negative returned.
 *
 * Re-rating uses the product's rules of today on the quote's own date (ages and bands as when the
 * policy was bought), so a change prices only what changed in the inputs. The premium is before
 * levies, as `policies.annual_premium_minor` is (decision 031).
 */

export type ChangeActor = "customer" | "staff";

export type ChangeTenant = Pick<TenantInfo, "id" | "currency" | "locale" | "timeZone" | "levies">;

export interface PolicyForChange {
  id: string;
  userId: string;
  orderId: string;
  status: string;
  policyNumber: string | null;
  productName: string;
  rating: unknown;
  startDate: string;
  endDate: string;
  frequency: Frequency;
  annualPremiumMinor: number;
  currency: string;
  quoteDate: string;
  inputs: Record<string, unknown>;
  /** The effective date of the latest version in force: a change cannot take effect before it. */
  inForceSince: string;
  /** A change still waiting for its additional premium: no other change until it is paid or voided. */
  pendingVersion: { id: string; version: number } | null;
  /** Every rating input, and those this actor may change. */
  fields: FieldDescription[];
  changeable: string[];
}

/**
 * The policy as a change sees it, or undefined when it does not exist for this actor (a customer
 * sees only their own policies: another's answers as not found).
 */
export async function policyForChange(
  db: TenantDb,
  tenant: ChangeTenant,
  policyId: string,
  who: { actor: ChangeActor; userId: string },
): Promise<PolicyForChange | undefined> {
  let query = db
    .selectFrom("policies")
    .innerJoin("products", "products.id", "policies.product_id")
    .innerJoin("quotes", "quotes.id", "policies.quote_id")
    .select([
      "policies.id",
      "policies.user_id",
      "policies.order_id",
      "policies.status",
      "policies.policy_number",
      "policies.start_date",
      "policies.end_date",
      "policies.frequency",
      "policies.annual_premium_minor",
      "policies.currency",
      "products.name as product_name",
      "products.rating",
      "products.lifecycle",
      "quotes.breakdown",
    ])
    .where("policies.id", "=", policyId);
  if (who.actor === "customer") query = query.where("policies.user_id", "=", who.userId);
  const row = await query.executeTakeFirst();
  if (!row || !row.start_date || !row.end_date) return undefined;
  const versions = await db
    .selectFrom("policy_versions")
    .select(["id", "version", "status", "effective_date"])
    .where("policy_id", "=", policyId)
    .where("status", "in", ["applied", "pending"])
    .orderBy("version", "desc")
    .execute();
  const applied = versions.find((v) => v.status === "applied");
  const pending = versions.find((v) => v.status === "pending");
  const quoteDate = (row.breakdown as { quoteDate?: string } | null)?.quoteDate ?? row.start_date;
  const fields = describeInputs(row.rating, { currency: tenant.currency, locale: tenant.locale, quoteDate });
  const endorsable = productLifecycle(row.lifecycle).endorsableInputs;
  return {
    id: row.id,
    userId: row.user_id,
    orderId: row.order_id,
    status: row.status,
    policyNumber: row.policy_number,
    productName: row.product_name,
    rating: row.rating,
    startDate: row.start_date,
    endDate: row.end_date,
    frequency: row.frequency,
    annualPremiumMinor: Number(row.annual_premium_minor),
    currency: row.currency,
    quoteDate,
    inputs: await inputsInForce(db, policyId),
    inForceSince: applied?.effective_date ?? row.start_date,
    pendingVersion: pending ? { id: pending.id, version: pending.version } : null,
    fields,
    changeable: fields.map((f) => f.name).filter((name) => who.actor === "staff" || endorsable.includes(name)),
  };
}

/** The change form's values: the inputs in force, as the quote form shows them (money in major units). */
export function changeFormValues(policy: PolicyForChange): Record<string, unknown> {
  return formValuesFromInputs(policy.fields, policy.inputs, policy.currency);
}

export interface ChangeLine {
  label: string;
  from: string;
  to: string;
}

export interface PricedChange {
  effectiveDate: string;
  inputs: Record<string, unknown>;
  oldAnnualMinor: number;
  newAnnualMinor: number;
  /** Premium for the rest of the term: positive due now, negative returned. */
  deltaMinor: number;
  changes: ChangeLine[];
  /** What changed, in the customer's words, for the version and the notice. */
  summary: string;
}

export type PriceChangeResult = { ok: true; change: PricedChange } | { ok: false; errors: FieldErrors };

/** Why this policy cannot be changed now, or null. */
export function whyNotChangeable(policy: PolicyForChange): string | null {
  if (!(CHANGEABLE_STATUSES as readonly string[]).includes(policy.status))
    return "Only a policy in force can be changed. This one is not active.";
  if (policy.pendingVersion)
    return `Version ${policy.pendingVersion.version} of this policy is waiting for its additional premium: pay it (or ask us to withdraw it) before another change.`;
  if (policy.changeable.length === 0) return "Nothing on this policy can be changed online. Contact us to change your cover.";
  return null;
}

/**
 * Price a change: the date (within the cover, not before the version in force; a customer's not
 * before today), the new inputs validated by the product's own rating declaration (only those the
 * actor may change are taken from the form), the re-rated annual premium and the delta. Pure
 * apart from what `policy` carries.
 */
export function priceChange(
  policy: PolicyForChange,
  tenant: ChangeTenant,
  form: { effectiveDate: string; raw: unknown },
  who: { actor: ChangeActor; today: string },
): PriceChangeResult {
  const refused = whyNotChangeable(policy);
  if (refused) return { ok: false, errors: { form: [refused] } };
  const day = (d: string) => formatDate(d, tenant.locale, "UTC");
  const date = form.effectiveDate;
  if (!isIsoDate(date)) return { ok: false, errors: { effectiveDate: ["Enter the date the change takes effect, like 2026-12-31."] } };
  if (date < policy.startDate)
    return { ok: false, errors: { effectiveDate: [`The change cannot take effect before the cover starts (${day(policy.startDate)}).`] } };
  if (date > policy.endDate)
    return { ok: false, errors: { effectiveDate: [`The change cannot take effect after the cover ends (${day(policy.endDate)}).`] } };
  if (date < policy.inForceSince)
    return {
      ok: false,
      errors: { effectiveDate: [`The change cannot take effect before the last change to this policy (${day(policy.inForceSince)}).`] },
    };
  if (who.actor === "customer" && date < who.today)
    return { ok: false, errors: { effectiveDate: ["A change cannot be backdated: choose today or a later date."] } };

  const personsFields = policy.fields.filter((f) => f.control === "persons").map((f) => ({ name: f.name, roles: f.roles ?? [] }));
  const { data, rows } = formToRatingInput(form.raw, personsFields);
  // Only what this actor may change comes from the form; everything else stays as in force. A
  // checkbox the form leaves out is unticked; any other input left out keeps its value.
  const merged: Record<string, unknown> = { ...policy.inputs };
  for (const field of policy.fields) {
    if (policy.changeable.includes(field.name) && (field.name in data || field.control === "checkbox"))
      merged[field.name] = data[field.name];
  }
  const priced = priceQuote(policy.rating, merged, {
    currency: tenant.currency,
    locale: tenant.locale,
    quoteDate: policy.quoteDate,
    levies: tenant.levies,
  });
  if (!priced.ok) return { ok: false, errors: remapRowErrors(priced.errors, rows) };
  const { quote } = priced;
  const option = quote.frequencies.find((f) => f.frequency === policy.frequency);
  if (!option)
    return { ok: false, errors: { form: ["This product no longer offers the policy's payment frequency. Contact us to change it."] } };
  const newAnnualMinor = option.instalmentPremium * INSTALMENTS_PER_YEAR[policy.frequency];

  const money = (minor: number) => formatMoney(minor, policy.currency, tenant.locale);
  const before = new Map(describeQuoteInputs(policy.fields, policy.inputs, money).map((l) => [l.label, l.value]));
  const after = new Map(describeQuoteInputs(policy.fields, quote.input, money).map((l) => [l.label, l.value]));
  const changes: ChangeLine[] = [];
  for (const field of policy.fields) {
    const from = before.get(field.label) ?? "None";
    const to = after.get(field.label) ?? "None";
    if (from !== to) changes.push({ label: field.label, from, to });
  }
  if (changes.length === 0) return { ok: false, errors: { form: ["Nothing changed: change at least one detail of your cover."] } };
  const deltaMinor = endorsementDeltaMinor(
    policy.annualPremiumMinor,
    newAnnualMinor,
    { start: policy.startDate, end: policy.endDate },
    date,
  );
  return {
    ok: true,
    change: {
      effectiveDate: date,
      inputs: quote.input,
      oldAnnualMinor: policy.annualPremiumMinor,
      newAnnualMinor,
      deltaMinor,
      changes,
      summary: changes.map((c) => `${c.label} ${c.from} → ${c.to}`).join("; "),
    },
  };
}

/** The first day a customer may choose: today, or the cover's start when it starts later. */
export function earliestChangeDate(policy: Pick<PolicyForChange, "startDate" | "inForceSince">, today: string): string {
  return [today, policy.startDate, policy.inForceSince].sort().at(-1)!;
}
