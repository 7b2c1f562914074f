import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SelectField } from "~/components/console/fields";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { fieldErrors } from "~/modules/rating";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { reinstateFormSchema } from "~/modules/endorsements/form";
import { serverT } from "~/modules/i18n/i18n.server";
import { reinstatementCheck, reinstatePolicy } from "~/modules/endorsements/reinstatement.server";
import { quoteDateIn } from "~/modules/rating";

/**
 * Staff reinstate a lapsed policy (issue 13 item 5): within the tenant's window, once the arrears
 * are paid — staff record the money received for them here.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "reinstate:policy:any");
  const policyId = uuidParam(params, "policyId");
  const today = quoteDateIn(tenant.timeZone);
  const found = await withTenant(tenant.id, async (db) => {
    const policy = await db
      .selectFrom("policies")
      .select(["id", "policy_number", "currency", "lapsed_on"])
      .where("id", "=", policyId)
      .executeTakeFirst();
    return policy ? { policy, check: await reinstatementCheck(db, tenant.id, policyId, today) } : null;
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { policy, check } = found;
  const money = (minor: number) => formatMoney(minor, policy.currency, tenant.locale);
  const t = await serverT(tenant.language, "admin");
  return json({
    title: t("reinstate.title"),
    policy: {
      id: policy.id,
      number: policy.policy_number,
      lapsedOn: policy.lapsed_on ? formatDate(policy.lapsed_on, tenant.locale, "UTC") : null,
    },
    refused: check.ok ? null : check.message,
    window: check.ok ? t("reinstate.window", { days: check.daysSinceLapse, limit: check.reinstatementDays }) : null,
    arrears: check.ok
      ? check.arrears.instalments.map((i) => ({
          id: i.id,
          sequence: i.sequence,
          dueDate: formatDate(i.dueDate, tenant.locale, "UTC"),
          amount: money(i.amountMinor),
        }))
      : [],
    total: check.ok ? money(check.arrears.totalMinor) : null,
    owed: check.ok && check.arrears.totalMinor > 0,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "reinstate:policy:any");
  const policyId = uuidParam(params, "policyId");
  const form = Object.fromEntries(await readForm(request));
  const parsed = reinstateFormSchema.safeParse(form);
  if (!parsed.success) return json({ errors: fieldErrors(parsed.error.issues) }, { status: 400 });
  const { reason, method, reference } = parsed.data;
  const result = await withTenant(tenant.id, (db) =>
    reinstatePolicy(
      db,
      tenant.id,
      policyId,
      { today: quoteDateIn(tenant.timeZone), userId: user.id, reason, payment: method && reference ? { method, reference } : null },
      { userId: user.id, ...clientInfo(request) },
    ),
  );
  if (!result.ok) {
    if (result.notFound) throw new Response("Not found", { status: 404 });
    return json({ errors: { [result.field ?? "form"]: [result.message] } }, { status: 400 });
  }
  return redirect(`/admin/policies/${policyId}`);
}

export default function ReinstatePolicy() {
  const data = useLoaderData<typeof loader>();
  const errors = (useActionData<typeof action>() as { errors?: Record<string, string[]> } | undefined)?.errors ?? {};
  const { t } = useTranslation("admin");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/policies">{t("policies.title")}</Link> <span aria-hidden>/</span>{" "}
        <Link to={`/admin/policies/${data.policy.id}`}>{data.policy.number}</Link> <span aria-hidden>/</span>{" "}
        <span aria-current="page">{t("reinstate.crumb")}</span>
      </p>
      <h1>{t("reinstate.heading", { policy: data.policy.number })}</h1>
      {data.refused ? (
        <Alert tone="error" title={t("reinstate.refused")}>
          {data.refused}
        </Alert>
      ) : (
        <Form method="post" className="stack">
          {errors.form ? <Alert tone="error">{errors.form.join(" ")}</Alert> : null}
          <p>{t("reinstate.lapsed", { date: data.policy.lapsedOn, window: data.window })}</p>
          <section className="card" aria-labelledby="arrears-title">
            <h2 id="arrears-title">{t("reinstate.arrears", { total: data.total })}</h2>
            {data.arrears.length === 0 ? (
              <p className="muted">{t("reinstate.nothingOverdue")}</p>
            ) : (
              <ul>
                {data.arrears.map((a) => (
                  <li key={a.id}>{t("reinstate.instalment", { sequence: a.sequence, date: a.dueDate, amount: a.amount })}</li>
                ))}
              </ul>
            )}
            {data.owed ? (
              <>
                <p className="muted">{t("reinstate.record")}</p>
                <SelectField
                  id="reinstate-method"
                  name="method"
                  label={t("reinstate.receivedBy")}
                  choices={[
                    { value: "bank_transfer", label: t("reinstate.bankTransfer") },
                    { value: "cash", label: t("reinstate.cash") },
                  ]}
                  errors={errors.method}
                />
                <Field id="reinstate-reference" name="reference" label={t("reinstate.reference")} errors={errors.reference} />
              </>
            ) : null}
          </section>
          <Field id="reinstate-reason" name="reason" label={t("reinstate.reason")} required errors={errors.reason} />
          <div className="actions">
            <Button type="submit">{t("reinstate.submit")}</Button>
          </div>
        </Form>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Reinstate policy");
