import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { requireUser } from "~/modules/auth/guards.server";
import { paymentMethodsActionSchema } from "~/modules/payments/saved-methods-forms";
import { autoDebitPolicies, listSavedMethods, makeDefaultMethod, setAutoDebit } from "~/modules/payments/saved-methods.server";
import paymentMethodsStyles from "~/styles/payment-methods.css";
import { Trans, useTranslation } from "react-i18next";
import { useErrorText } from "~/components/ui/field";
import { serverT } from "~/modules/i18n/i18n.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: paymentMethodsStyles }];

/**
 * /account/payment-methods (decision 029): the cards a customer saved at checkout — make one the
 * default, remove one (its own confirmation page) — and, per policy paid by instalments, whether
 * its instalments are charged to a saved card when they fall due.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const { methods, policies } = await withTenant(tenant.id, async (db) => ({
    methods: await listSavedMethods(db, user.id),
    policies: await autoDebitPolicies(db, user.id),
  }));
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  const off = Number(url.searchParams.get("off") ?? "0");
  const t = await serverT(tenant.language, "account");
  return json({
    title: t("paymentMethods.title"),
    methods: methods.map((m) => ({ id: m.id, label: m.label, expires: m.expires, isDefault: m.isDefault })),
    policies,
    done: done === "removed" || done === "default" || done === "autodebit_on" || done === "autodebit_off" ? done : null,
    autoDebitOff: Number.isInteger(off) && off > 0 && off < 1000 ? off : 0,
  });
}

type ActionErrors = { form?: string[]; policyId?: string[]; methodId?: string[] };

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const form = Object.fromEntries(await readForm(request));
  const parsed = paymentMethodsActionSchema.safeParse(form);
  if (!parsed.success) {
    const errors = parsed.error.flatten().fieldErrors as ActionErrors;
    const policyId: string | null = typeof form.policyId === "string" ? form.policyId : null;
    return json(
      { errors: { form: errors.policyId || errors.methodId ? undefined : ["Reload the page and try again."], ...errors }, policyId },
      { status: 400 },
    );
  }
  const input = parsed.data;
  if (input.intent === "default") {
    const ok = await withTenant(tenant.id, (db) => makeDefaultMethod(db, user.id, input.methodId));
    if (!ok) throw new Response("Not found", { status: 404 });
    return redirect("/account/payment-methods?done=default");
  }
  const changed = await withTenant(tenant.id, (db) => setAutoDebit(db, user.id, input.policyId, input.methodId || null));
  // Another customer's policy or card answers as one that does not exist.
  if (!changed.ok) throw new Response("Not found", { status: 404 });
  return redirect(`/account/payment-methods?done=${changed.on ? "autodebit_on" : "autodebit_off"}`);
}

export default function PaymentMethods() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: ActionErrors = actionData?.errors ?? {};
  const busy = navigation.state === "submitting";
  const { t } = useTranslation("account");
  const errorText = useErrorText();

  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("paymentMethods.title")}</h1>
          <p className="muted">{t("paymentMethods.intro")}</p>
        </div>
      </div>
      <AccountNav />
      {data.done ? (
        <Alert tone="success" title={t(`paymentMethods.done.${data.done}`)}>
          {data.autoDebitOff === 1
            ? t("paymentMethods.autoDebitOffOne")
            : data.autoDebitOff > 1
              ? t("paymentMethods.autoDebitOffMany", { count: data.autoDebitOff })
              : null}
        </Alert>
      ) : null}
      {errors.form ? <Alert tone="error">{errorText(errors.form)}</Alert> : null}

      <section className="card stack" aria-labelledby="saved-cards">
        <h2 id="saved-cards">{t("paymentMethods.savedCards")}</h2>
        {data.methods.length === 0 ? (
          <p className="empty">
            <Trans t={t} i18nKey="paymentMethods.noCards" components={{ strong: <strong /> }} />
          </p>
        ) : (
          <ul className="plain-list stack">
            {data.methods.map((m) => (
              <li key={m.id} className="saved-method">
                <span>
                  <strong>{m.label}</strong>
                  {m.expires ? <span className="muted"> · {t("paymentMethods.expires", { date: m.expires })}</span> : null}
                  {m.isDefault ? <span className="badge"> {t("paymentMethods.default")}</span> : null}
                </span>
                <span className="actions">
                  {!m.isDefault ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="default" />
                      <input type="hidden" name="methodId" value={m.id} />
                      <Button
                        type="submit"
                        variant="secondary"
                        busy={busy}
                        aria-label={t("paymentMethods.makeDefaultLabel", { card: m.label })}
                      >
                        {t("paymentMethods.makeDefault")}
                      </Button>
                    </Form>
                  ) : null}
                  <Link to={`/account/payment-methods/${m.id}/remove`} aria-label={t("paymentMethods.removeLabel", { card: m.label })}>
                    {t("paymentMethods.remove")}
                  </Link>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card stack" aria-labelledby="autodebit">
        <h2 id="autodebit">{t("paymentMethods.autoDebit")}</h2>
        {data.policies.length === 0 ? (
          <p className="empty">{t("paymentMethods.noInstalments")}</p>
        ) : data.methods.length === 0 ? (
          <p className="muted">{t("paymentMethods.saveFirst")}</p>
        ) : (
          <ul className="plain-list stack">
            {data.policies.map((p) => {
              const mine = actionData?.policyId === p.id;
              return (
                <li key={p.id}>
                  <Form method="post" className="autodebit-form">
                    <input type="hidden" name="intent" value="autodebit" />
                    <input type="hidden" name="policyId" value={p.id} />
                    <label htmlFor={`autodebit-${p.id}`}>
                      {p.productName}, {p.policyNumber}
                    </label>
                    <select id={`autodebit-${p.id}`} name="methodId" defaultValue={p.methodId ?? ""}>
                      <option value="">{t("paymentMethods.off")}</option>
                      {data.methods.map((m) => (
                        <option key={m.id} value={m.id}>
                          {t("paymentMethods.charge", { card: m.label })}
                        </option>
                      ))}
                    </select>
                    <Button type="submit" variant="secondary" busy={busy}>
                      {t("paymentMethods.save")}
                    </Button>
                    {mine && errors.methodId ? (
                      <p className="field-error" role="alert">
                        {errorText(errors.methodId)}
                      </p>
                    ) : null}
                  </Form>
                </li>
              );
            })}
          </ul>
        )}
        <p className="muted small">{t("paymentMethods.howItWorks")}</p>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Payment methods");
