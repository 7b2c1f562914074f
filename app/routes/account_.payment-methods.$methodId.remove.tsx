// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { requireUser } from "~/modules/auth/guards.server";
import { autoDebitPolicies, listSavedMethods, removeSavedMethod } from "~/modules/payments/saved-methods.server";

/**
 * /account/payment-methods/<id>/remove: the confirmation a removal asks for (a page of its own, so
 * it works without JavaScript), naming the policies it would stop paying automatically.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const methodId = uuidParam(params, "methodId");
  const found = await withTenant(tenant.id, async (db) => ({
    method: (await listSavedMethods(db, user.id)).find((m) => m.id === methodId),
    policies: (await autoDebitPolicies(db, user.id)).filter((p) => p.methodId === methodId),
  }));
  if (!found.method) throw new Response("Not found", { status: 404 });
  return json({
    label: found.method.label,
    expires: found.method.expires,
    policies: found.policies.map((p) => `${p.productName}, ${p.policyNumber}`),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const methodId = uuidParam(params, "methodId");
  const removed = await withTenant(tenant.id, (db) => removeSavedMethod(db, user.id, methodId));
  if (!removed.ok) throw new Response("Not found", { status: 404 });
  return redirect(`/account/payment-methods?done=removed&off=${removed.autoDebitOff.length}`);
}

export default function RemovePaymentMethod() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>Remove {data.label}?</h1>
          {data.expires ? <p className="muted">Expires {data.expires}</p> : null}
        </div>
      </div>
      <AccountNav />
      <section className="card stack" aria-labelledby="remove-title">
        <h2 id="remove-title">Remove this card</h2>
        <p>We will no longer keep this card, and nothing more will be charged to it.</p>
        {data.policies.length > 0 ? (
          <Alert tone="warning" title="It pays these policies automatically">
            <ul>
              {data.policies.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
            Removing it turns that off: you then pay each instalment yourself, or choose another card.
          </Alert>
        ) : null}
        <Form method="post" className="actions">
          <Button type="submit" variant="danger" busy={navigation.state === "submitting"}>
            Remove the card
          </Button>
          <Link to="/account/payment-methods">Keep it</Link>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Remove a payment method");
