import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { useTranslation } from "react-i18next";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { SANDBOX_MANDATE_CHOICES } from "~/modules/payments/providers/sandbox.server";
import { playSandboxMandateChoice, sandboxMandate } from "~/modules/payments/sandbox.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { requireTenant } from "~/modules/tenancy/resolve.server";

/**
 * /sandbox/mandate/<ref>: plays the member's bank asking them to authorise a direct debit mandate
 * (decision 046). The answer is delivered as a signed sandbox callback, through the webhook path.
 */
const REF_PATTERN = /^sbxm_[a-f0-9]{24}$/;
const NO_STORE = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };
const choiceSchema = z.object({ choice: z.enum(SANDBOX_MANDATE_CHOICES) });

function refParam(ref: string | undefined): string {
  if (!ref || !REF_PATTERN.test(ref)) throw new Response("Not found", { status: 404 });
  return ref;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const ref = refParam(params.ref);
  const mandate = await withTenant(tenant.id, (db) => sandboxMandate(db, ref));
  if (!mandate) throw new Response("Not found", { status: 404 });
  return json(
    {
      agency: tenant.name,
      reference: mandate.reference,
      maxAmount: formatMoney(mandate.maxAmountMinor, mandate.currency, tenant.locale),
      first: mandate.first
        ? {
            amount: formatMoney(mandate.first.amountMinor, mandate.currency, tenant.locale),
            date: formatDate(mandate.first.dueDate, tenant.locale, "UTC"),
          }
        : null,
      pending: mandate.status === "pending",
      returnTo: `/account/policies/${mandate.policyId}`,
      title: (await serverT(tenant.language, "checkout"))("sandboxMandate.title"),
    },
    { headers: NO_STORE },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function action({ request, params }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const ref = refParam(params.ref);
  const mandate = await withTenant(tenant.id, (db) => sandboxMandate(db, ref));
  if (!mandate) throw new Response("Not found", { status: 404 });
  const returnTo = `/account/policies/${mandate.policyId}`;
  if (mandate.status !== "pending") return redirect(returnTo);
  const parsed = choiceSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return json({ error: "Choose what the member does." }, { status: 400 });
  const played = await playSandboxMandateChoice(tenant, ref, parsed.data.choice);
  if (!played.ok) return json({ error: played.message }, { status: 400 });
  return redirect(returnTo);
}

export default function SandboxMandate() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("choice") ?? "") : "";
  const { t } = useTranslation("checkout");
  const errorText = useErrorText();
  return (
    <section className="sandbox-page stack narrow" aria-labelledby="sandbox-title">
      <div className="sandbox-banner" role="note">
        <strong>{t("sandbox.banner")}</strong> {t("sandboxMandate.standsIn", { agency: data.agency })}
      </div>
      <h1 id="sandbox-title">{t("sandboxMandate.heading")}</h1>
      <p className="muted">{t("sandboxMandate.terms", { agency: data.agency, reference: data.reference, amount: data.maxAmount })}</p>
      {data.first ? <p>{t("sandboxMandate.firstDebit", data.first)}</p> : null}
      {!data.pending ? (
        <Alert tone="info" title={t("sandboxMandate.answered")}>
          <Link to={data.returnTo}>{t("sandboxMandate.back")}</Link>
        </Alert>
      ) : (
        <Form method="post" className="card sandbox-card">
          {actionData?.error ? <Alert tone="error">{errorText([actionData.error])}</Alert> : null}
          <div className="actions">
            <Button type="submit" name="choice" value="authorise" busy={busy === "authorise"}>
              {t("sandboxMandate.authorise")}
            </Button>
            <Button type="submit" name="choice" value="reject" variant="secondary" busy={busy === "reject"}>
              {t("sandboxMandate.reject")}
            </Button>
          </div>
        </Form>
      )}
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [
  ...pageTitle(matches, data?.title ?? "Sandbox mandate"),
  { name: "robots", content: "noindex" },
];
