import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { requireUser } from "~/modules/auth/guards.server";
import { quoteDateIn } from "~/modules/rating";
import { renewalPage, renewFormSchema } from "~/modules/renewals/page.server";
import { setAutoRenew, startRenewal } from "~/modules/renewals/renewals.server";
import { useTranslation } from "react-i18next";
import { sentenceIn, serverT } from "~/modules/i18n/i18n.server";

/**
 * /account/policies/:policyId/renew — the renewal offer's link (signing in first comes back here):
 * the new price and what changed, one button to the checkout's payment step, and auto-renew.
 */
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Renew");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const policyId = uuidParam(params, "policyId");
  const page = await withTenant(tenant.id, (db) => renewalPage(db, tenant, user.id, policyId, quoteDateIn(tenant.timeZone)));
  if (!page) throw new Response("Not found", { status: 404 });
  const t = await serverT(tenant.language, "policy");
  const { refusal, policy } = page;
  return json({
    ...page,
    title: t("renew.pageTitle", { name: policy.policyNumber ?? policy.productName }),
    // The reasons a renewal is refused, in the reader's words; one worked out with figures stays as the module wrote it.
    refusal: refusal && {
      ...refusal,
      message: t(`renew.refusal.${refusal.code}`, {
        product: policy.productName,
        date: refusal.opensOn,
        days: refusal.days,
        defaultValue: refusal.message,
      }),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const policyId = uuidParam(params, "policyId");
  const submission = parseWithZod(await readForm(request), { schema: renewFormSchema });
  if (submission.status !== "success")
    return json({ error: (await serverT(tenant.language, "policy"))("renew.chooseIntent") }, { status: 400 });
  const today = quoteDateIn(tenant.timeZone);
  if (submission.value.intent === "auto_renew") {
    const on = submission.value.on === "on";
    const saved = await withTenant(tenant.id, (db) => setAutoRenew(db, { policyId, userId: user.id, on }));
    if (!saved.ok) return json({ error: await sentenceIn(tenant.language, saved.message) }, { status: 400 });
    return redirect(`/account/policies/${policyId}/renew`);
  }
  const started = await withTenant(tenant.id, (db) => startRenewal(db, tenant, { policyId, userId: user.id, today }));
  if (!started.ok) {
    if (started.code === "not_found") throw new Response("Not found", { status: 404 });
    return json({ error: await sentenceIn(tenant.language, started.message) }, { status: 400 });
  }
  return redirect(`/checkout/${started.orderId}/pay`);
}

export default function RenewPolicy() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { policy, renewal, refusal, autoRenew } = data;
  const { t } = useTranslation("policy");
  return (
    <div className="account stack">
      <div className="page-head">
        <p>
          <Link to={`/account/policies/${policy.id}`}>← {t("renew.back", { name: policy.policyNumber ?? t("renew.thePolicy") })}</Link>
        </p>
        <h1>{t("renew.title", { product: policy.productName })}</h1>
        {policy.endDate ? <p className="muted">{t("renew.endsOn", { number: policy.policyNumber, date: policy.endDate })}</p> : null}
      </div>
      <AccountNav />
      {actionData?.error ? <Alert tone="error">{actionData.error}</Alert> : null}
      {refusal ? (
        <Alert tone={refusal.code === "already_renewed" ? "info" : "warning"} title={t("renew.refused")}>
          {refusal.message}
          {policy.renewedById ? (
            <>
              {" "}
              <Link to={`/account/policies/${policy.renewedById}`}>{t("renew.seeRenewal")}</Link>
            </>
          ) : null}
        </Alert>
      ) : null}
      {renewal ? (
        <section className="card stack" aria-labelledby="renewal-price">
          <h2 id="renewal-price">{t("renew.yourRenewal")}</h2>
          <dl className="details-list">
            <dt>{t("renew.coverFrom")}</dt>
            <dd>{renewal.startDate}</dd>
            <dt>{t("renew.payment")}</dt>
            <dd>
              {renewal.instalments > 1
                ? t("renew.dueNowThen", {
                    frequency: t(`renew.frequency.${renewal.frequency}`),
                    amount: renewal.dueNow,
                    count: renewal.instalments - 1,
                    instalment: renewal.instalment,
                  })
                : t("renew.dueNow", { frequency: t(`renew.frequency.${renewal.frequency}`), amount: renewal.dueNow })}
            </dd>
            <dt>{t("renew.annualPremium")}</dt>
            <dd>
              {renewal.annualPremium} <span className="muted">({t("renew.thisTerm", { amount: renewal.oldAnnualPremium })})</span>
            </dd>
            <dt>{t("renew.quote")}</dt>
            <dd>{renewal.quoteReference}</dd>
          </dl>
          <h3>{t("renew.whatChanged")}</h3>
          {renewal.changes.length ? (
            <ul data-testid="renewal-changes">
              {renewal.changes.map((c) => (
                <li key={c.why}>
                  {c.why}: {c.before} → {c.after}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t("renew.nothingChanged")}</p>
          )}
          <Form method="post">
            <input type="hidden" name="intent" value="renew" />
            <Button type="submit" busy={busy}>
              {t("renew.accept", { amount: renewal.dueNow })}
            </Button>
          </Form>
          <p className="muted small">{t("renew.takesYouToPayment")}</p>
        </section>
      ) : null}
      {autoRenew && !policy.renewedById ? (
        <section className="card stack" aria-labelledby="auto-renew-title">
          <h2 id="auto-renew-title">{t("renew.autoRenew")}</h2>
          <p>{autoRenew.on ? t("renew.autoRenewOn") : t("renew.autoRenewOff")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="auto_renew" />
            <input type="hidden" name="on" value={autoRenew.on ? "off" : "on"} />
            <Button type="submit" variant="secondary" busy={busy}>
              {autoRenew.on ? t("renew.turnOff") : t("renew.turnOn")}
            </Button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
