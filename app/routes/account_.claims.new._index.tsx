import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorText, WizardHead } from "~/components/claims/wizard";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { startDraft } from "~/modules/claims/drafts.server";
import { claimablePolicies, claimsRequest, zodFieldErrors } from "~/modules/claims/page.server";
import { policyChoiceSchema } from "~/modules/claims/schemas";
import { wizardUrl } from "~/modules/claims/wizard";
import { serverT } from "~/modules/i18n/i18n.server";
import claimStyles from "~/styles/claims.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimStyles }];

const optionalId = lineText().uuid().optional().catch(undefined);

/**
 * /account/claims/new: the wizard's first step, choosing the policy. An agent sees their members'
 * policies too (`?member=<id>` narrows to one member, from the agent portal); `?policy=<id>` comes
 * from a policy's page and preselects it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, actor } = await claimsRequest(request);
  const url = new URL(request.url);
  const memberId = optionalId.parse(url.searchParams.get("member") ?? undefined);
  const chosen = optionalId.parse(url.searchParams.get("policy") ?? undefined);
  const policies = await withTenant(tenant.id, (db) => claimablePolicies(db, actor, memberId));
  const day = (value: string | null) => (value ? formatDate(value, tenant.locale, "UTC") : null);
  const [t, accountT] = await Promise.all([serverT(tenant.language, "claims"), serverT(tenant.language, "account")]);
  return json({
    title: t("wizard.title"),
    chosen: policies.some((p) => p.id === chosen) ? chosen : policies.length === 1 ? policies[0]!.id : undefined,
    policies: policies.map((p) => ({
      id: p.id,
      label: `${p.productName} · ${p.policyNumber}`,
      holder: p.holderName,
      own: p.holderUserId === actor.userId,
      category: p.categoryName,
      cover: t("wizard.policy.cover", { from: day(p.startDate), to: day(p.endDate) ?? "—" }),
      status: String(accountT(`status.policy.${p.status}`, { defaultValue: p.status })),
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, actor } = await claimsRequest(request);
  const parsed = policyChoiceSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return json({ errors: zodFieldErrors(parsed.error) }, { status: 400 });
  const started = await withTenant(tenant.id, (db) => startDraft(db, actor, parsed.data.policyId));
  if (!started.ok) return json({ errors: started.errors }, { status: 400 });
  return redirect(wizardUrl(started.draftId, "incident"));
}

export default function ChoosePolicy() {
  const { policies, chosen } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.errors as Record<string, string[]> | undefined;
  const { t } = useTranslation("claims");
  const errorText = useErrorText();
  return (
    <section className="claim-wizard stack" aria-labelledby="wizard-title">
      <WizardHead title={t("wizard.policy.title")} head={null} current="policy" />
      {policies.length === 0 ? (
        <div className="card empty-state">
          <p className="empty">{t("wizard.policy.none")}</p>
          <p>{t("wizard.policy.noneHint")}</p>
          <Link to="/account/policies">{t("wizard.policy.myPolicies")}</Link>
        </div>
      ) : (
        <Form method="post" className="stack">
          {errors?.form ? <Alert tone="error">{errorText(errors.form)}</Alert> : null}
          <fieldset className="card" aria-describedby={errors?.policyId ? "policy-error" : undefined}>
            <legend>{t("wizard.steps.policy")}</legend>
            <ErrorText id="policy-error" errors={errors?.policyId} />
            <ul className="choice-list">
              {policies.map((p) => (
                <li key={p.id}>
                  <label>
                    <input type="radio" name="policyId" value={p.id} defaultChecked={p.id === chosen} required />
                    <span className="choice-text">
                      {p.label}
                      <span className="muted small">
                        {p.own ? "" : `${p.holder} · `}
                        {p.category} · {p.cover} · {p.status}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <div className="actions">
            <Button type="submit">{t("wizard.continue")}</Button>
          </div>
        </Form>
      )}
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "File a claim");
