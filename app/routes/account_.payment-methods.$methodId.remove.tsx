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
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

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
  const t = await serverT(tenant.language, "account");
  return json({
    title: t("removeMethod.pageTitle"),
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
  const { t } = useTranslation("account");
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("removeMethod.title", { card: data.label })}</h1>
          {data.expires ? <p className="muted">{t("removeMethod.expires", { date: data.expires })}</p> : null}
        </div>
      </div>
      <AccountNav />
      <section className="card stack" aria-labelledby="remove-title">
        <h2 id="remove-title">{t("removeMethod.heading")}</h2>
        <p>{t("removeMethod.intro")}</p>
        {data.policies.length > 0 ? (
          <Alert tone="warning" title={t("removeMethod.paysPolicies")}>
            <ul>
              {data.policies.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
            {t("removeMethod.turnsOff")}
          </Alert>
        ) : null}
        <Form method="post" className="actions">
          <Button type="submit" variant="danger" busy={navigation.state === "submitting"}>
            {t("removeMethod.submit")}
          </Button>
          <Link to="/account/payment-methods">{t("removeMethod.keep")}</Link>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Remove a payment method");
