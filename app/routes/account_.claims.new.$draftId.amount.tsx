import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorText, WizardHead } from "~/components/claims/wizard";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { minorDigits } from "~/lib/money";
import { lineText } from "~/lib/text";
import { missingStep, saveAmount } from "~/modules/claims/drafts.server";
import { facilityPlaces } from "~/modules/facilities/directory.server";
import { publicFacility, searchFacilities } from "~/modules/facilities/search.server";
import { draftRequest, wizardHead, zodFieldErrors } from "~/modules/claims/page.server";
import { amountFormSchema, NO_FACILITY } from "~/modules/claims/schemas";
import { wizardUrl } from "~/modules/claims/wizard";
import { serverT } from "~/modules/i18n/i18n.server";
import { parseMajorToMinor, toMajorInput } from "~/modules/rating";
import claimStyles from "~/styles/claims.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimStyles }];

const search = lineText().max(100).optional().catch(undefined);
/** Treatment happens at a hospital or clinic; for a car or a house there is nothing to choose. */
const FACILITY_FAMILIES = new Set(["medical", "travel", "life"]);

/**
 * Step 3: how much, in the policy's currency, and for medical claims where the treatment was: the
 * agency's directory of hospitals and clinics is searched with a plain GET form (`?q=&state=`), so it
 * works without JavaScript; "not at a listed hospital or clinic" is always a choice.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, loaded } = await draftRequest(request, params.draftId);
  const t = await serverT(tenant.language, "claims");
  if (missingStep(loaded.answers) === "incident") throw redirect(wizardUrl(loaded.draft.id, "incident"));
  const url = new URL(request.url);
  const q = search.parse(url.searchParams.get("q") || undefined);
  const state = search.parse(url.searchParams.get("state") || undefined);
  const a = loaded.answers;
  const withFacility = FACILITY_FAMILIES.has(loaded.policy.claimFamily ?? "");
  const { facilities, states, saved } = withFacility
    ? await withTenant(tenant.id, async (db) => ({
        // Panel or not: a claim may come from any hospital or clinic of the directory.
        facilities: (await searchFacilities(db, { q, state, panelOnly: false, limit: 20 })).facilities,
        states: (await facilityPlaces(db, { activeOnly: true })).map((p) => p.state),
        saved: a.facilityId ? await publicFacility(db, a.facilityId) : undefined,
      }))
    : { facilities: [], states: [], saved: undefined };
  return json({
    title: t("wizard.amount.pageTitle"),
    head: wizardHead(loaded),
    currency: loaded.policy.currency,
    decimals: minorDigits(loaded.policy.currency),
    withFacility,
    q: q ?? "",
    state: state ?? "",
    states,
    // The saved choice stays on the list whatever the search shows.
    facilities: saved && !facilities.some((f) => f.id === saved.id) ? [saved, ...facilities] : facilities,
    values: {
      amount: a.claimedMinor ? toMajorInput(a.claimedMinor, loaded.policy.currency) : "",
      facilityId: a.facilityId === undefined ? "" : (a.facilityId ?? NO_FACILITY),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, loaded } = await draftRequest(request, params.draftId);
  const values = Object.fromEntries(await readForm(request)) as Record<string, string>;
  const parsed = amountFormSchema.safeParse({ facilityId: NO_FACILITY, ...values });
  if (!parsed.success) return json({ errors: zodFieldErrors(parsed.error), values }, { status: 400 });
  const amount = parseMajorToMinor(parsed.data.amount, loaded.policy.currency);
  if (!amount.ok)
    return json(
      {
        errors: {
          amount: [amount.reason === "negative" ? "Enter an amount more than zero." : "Enter an amount such as 12,500 or 12,500.50."],
        },
        values,
      },
      { status: 400 },
    );
  const errors = await withTenant(tenant.id, (db) =>
    saveAmount(db, tenant, loaded, {
      claimedMinor: amount.minor,
      currency: parsed.data.currency,
      facilityId: parsed.data.facilityId === NO_FACILITY ? null : parsed.data.facilityId,
    }),
  );
  if (Object.keys(errors).length) {
    const { claimedMinor, currency, ...rest } = errors;
    return json({ errors: { ...rest, amount: [...(claimedMinor ?? []), ...(currency ?? [])] }, values }, { status: 400 });
  }
  return redirect(wizardUrl(loaded.draft.id, "documents"));
}

export default function AmountStep() {
  const data = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errors = (failed?.errors ?? {}) as Record<string, string[]>;
  const values = { ...data.values, ...((failed?.values ?? {}) as Record<string, string>) };
  const amountErrors = errors.amount?.length ? errors.amount : undefined;
  const { t } = useTranslation("claims");
  const errorText = useErrorText();
  return (
    <section className="claim-wizard stack" aria-labelledby="wizard-title">
      <WizardHead title={t("wizard.amount.title")} head={data.head} current="amount" />
      {data.withFacility ? (
        <Form method="get" className="card filters" role="search" aria-label={t("wizard.amount.findFacility")}>
          <div className="field grow">
            <label htmlFor="facility-q">{t("wizard.amount.findFacility")}</label>
            <input
              id="facility-q"
              type="search"
              name="q"
              defaultValue={data.q}
              maxLength={100}
              placeholder={t("wizard.amount.nameOrTown")}
            />
          </div>
          {data.states.length ? (
            <div className="field">
              <label htmlFor="facility-state">{t("wizard.amount.region")}</label>
              <select id="facility-state" name="state" defaultValue={data.state}>
                <option value="">{t("wizard.amount.anywhere")}</option>
                {data.states.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <Button type="submit" variant="secondary">
            {t("wizard.amount.search")}
          </Button>
        </Form>
      ) : null}
      <Form method="post" className="stack" noValidate>
        {errors.form ? <Alert tone="error">{errorText(errors.form)}</Alert> : null}
        <div className="card stack">
          <input type="hidden" name="currency" value={data.currency} />
          <Field
            id="amount"
            name="amount"
            label={t("wizard.amount.amount", { currency: data.currency })}
            hint={t(data.decimals ? "wizard.amount.hintDecimals" : "wizard.amount.hintWhole", { currency: data.currency })}
            inputMode="decimal"
            autoComplete="off"
            defaultValue={values.amount}
            errors={amountErrors}
            required
          />
        </div>
        {data.withFacility ? (
          <fieldset className="card" aria-describedby={errors.facilityId ? "facility-error" : undefined}>
            <legend>{t("wizard.amount.treatedWhere")}</legend>
            <ErrorText id="facility-error" errors={errors.facilityId} />
            <ul className="choice-list">
              {data.facilities.map((f) => (
                <li key={f.id}>
                  <label>
                    <input type="radio" name="facilityId" value={f.id} defaultChecked={values.facilityId === f.id} />
                    <span className="choice-text">
                      {f.name} {f.panel ? <span className="badge badge-active">{t("wizard.amount.panel")}</span> : null}
                      <span className="muted small">
                        {f.kind === "hospital" ? t("wizard.amount.hospital") : t("wizard.amount.clinic")} · {f.city}, {f.state}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
              <li>
                <label>
                  <input
                    type="radio"
                    name="facilityId"
                    value={NO_FACILITY}
                    defaultChecked={values.facilityId === NO_FACILITY || values.facilityId === ""}
                  />
                  <span>{t("wizard.amount.notListed")}</span>
                </label>
              </li>
            </ul>
            {data.facilities.length === 0 && data.q ? <p className="muted">{t("wizard.amount.noMatch", { q: data.q })}</p> : null}
          </fieldset>
        ) : (
          <input type="hidden" name="facilityId" value={NO_FACILITY} />
        )}
        <div className="actions">
          <Button type="submit">{t("wizard.saveContinue")}</Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "File a claim: amount");
