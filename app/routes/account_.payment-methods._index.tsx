// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
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
  return json({
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

const DONE: Record<string, string> = {
  removed: "The card was removed.",
  default: "Your default card is changed.",
  autodebit_on: "The policy's instalments will be charged to your card when they fall due.",
  autodebit_off: "The policy's instalments are no longer charged automatically: pay each one when it falls due.",
};

export default function PaymentMethods() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: ActionErrors = actionData?.errors ?? {};
  const busy = navigation.state === "submitting";

  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>Payment methods</h1>
          <p className="muted">Cards you saved when paying, and which policies they pay automatically.</p>
        </div>
      </div>
      <AccountNav />
      {data.done ? (
        <Alert tone="success" title={DONE[data.done]}>
          {data.autoDebitOff > 0
            ? `It paid ${data.autoDebitOff === 1 ? "a policy" : `${data.autoDebitOff} policies`} automatically: that is now off. Choose another card below, or pay each instalment yourself when it falls due.`
            : null}
        </Alert>
      ) : null}
      {errors.form ? <Alert tone="error">{errors.form.join(" ")}</Alert> : null}

      <section className="card stack" aria-labelledby="saved-cards">
        <h2 id="saved-cards">Saved cards</h2>
        {data.methods.length === 0 ? (
          <p className="empty">
            You have no saved cards. When you next pay by card, tick <strong>Save this card for future payments</strong>.
          </p>
        ) : (
          <ul className="plain-list stack">
            {data.methods.map((m) => (
              <li key={m.id} className="saved-method">
                <span>
                  <strong>{m.label}</strong>
                  {m.expires ? <span className="muted"> · expires {m.expires}</span> : null}
                  {m.isDefault ? <span className="badge"> Default</span> : null}
                </span>
                <span className="actions">
                  {!m.isDefault ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="default" />
                      <input type="hidden" name="methodId" value={m.id} />
                      <Button type="submit" variant="secondary" busy={busy} aria-label={`Make ${m.label} the default`}>
                        Make default
                      </Button>
                    </Form>
                  ) : null}
                  <Link to={`/account/payment-methods/${m.id}/remove`} aria-label={`Remove ${m.label}`}>
                    Remove
                  </Link>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card stack" aria-labelledby="autodebit">
        <h2 id="autodebit">Pay instalments automatically</h2>
        {data.policies.length === 0 ? (
          <p className="empty">None of your policies has instalments left to pay.</p>
        ) : data.methods.length === 0 ? (
          <p className="muted">Save a card first: then choose here which policies it pays.</p>
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
                      <option value="">Off: I pay each instalment myself</option>
                      {data.methods.map((m) => (
                        <option key={m.id} value={m.id}>
                          Charge {m.label}
                        </option>
                      ))}
                    </select>
                    <Button type="submit" variant="secondary" busy={busy}>
                      Save
                    </Button>
                    {mine && errors.methodId ? (
                      <p className="field-error" role="alert">
                        {errors.methodId.join(" ")}
                      </p>
                    ) : null}
                  </Form>
                </li>
              );
            })}
          </ul>
        )}
        <p className="muted small">
          When an instalment falls due we charge the card you chose. If the charge does not go through we email you a link to pay it
          yourself, and the usual grace period applies.
        </p>
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Payment methods");
