// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { POLICY_STATUS } from "~/components/account/status";
import { ErrorText, WizardHead } from "~/components/claims/wizard";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { startDraft } from "~/modules/claims/drafts.server";
import { claimablePolicies, claimsRequest, zodFieldErrors } from "~/modules/claims/page.server";
import { policyChoiceSchema } from "~/modules/claims/schemas";
import { wizardUrl } from "~/modules/claims/wizard";
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
  return json({
    chosen: policies.some((p) => p.id === chosen) ? chosen : policies.length === 1 ? policies[0]!.id : undefined,
    policies: policies.map((p) => ({
      id: p.id,
      label: `${p.productName} · ${p.policyNumber}`,
      holder: p.holderName,
      own: p.holderUserId === actor.userId,
      category: p.categoryName,
      cover: `${day(p.startDate)} to ${day(p.endDate) ?? "—"}`,
      status: POLICY_STATUS[p.status as keyof typeof POLICY_STATUS]?.label ?? p.status,
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
  return (
    <section className="claim-wizard stack" aria-labelledby="wizard-title">
      <WizardHead title="Which policy are you claiming on?" head={null} current="policy" />
      {policies.length === 0 ? (
        <div className="card empty-state">
          <p className="empty">There is no policy to claim on yet.</p>
          <p>Claims are made on issued policies. When your cover starts, you can file a claim here.</p>
          <Link to="/account/policies">Go to my policies</Link>
        </div>
      ) : (
        <Form method="post" className="stack">
          {errors?.form ? <Alert tone="error">{errors.form.join(" ")}</Alert> : null}
          <fieldset className="card" aria-describedby={errors?.policyId ? "policy-error" : undefined}>
            <legend>Policy</legend>
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
                        {p.category} · cover {p.cover} · {p.status}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <div className="actions">
            <Button type="submit">Continue</Button>
          </div>
        </Form>
      )}
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "File a claim");
