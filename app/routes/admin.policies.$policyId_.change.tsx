import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ChangeCoverForm, type ChangePreviewView } from "~/components/policy/change-cover-form";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { requirePermission } from "~/modules/auth/guards.server";
import { changeFormValues, policyForChange, whyNotChangeable } from "~/modules/endorsements/change.server";
import { handleChangeForm } from "~/modules/endorsements/form.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { quoteDateIn } from "~/modules/rating";

/** Staff change a policy's cover mid-term (issue 13 item 4): any rating input, any day within the cover. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "endorse:policy:any");
  const policyId = uuidParam(params, "policyId");
  const policy = await withTenant(tenant.id, (db) => policyForChange(db, tenant, policyId, { actor: "staff", userId: user.id }));
  if (!policy) throw new Response("Not found", { status: 404 });
  const t = await serverT(tenant.language, "admin");
  return json({
    title: t("changeCover.title"),
    policy: {
      id: policy.id,
      number: policy.policyNumber,
      productName: policy.productName,
      annualPremium: formatMoney(policy.annualPremiumMinor, policy.currency, tenant.locale),
    },
    refused: whyNotChangeable(policy),
    fields: policy.fields,
    values: changeFormValues(policy),
    currency: policy.currency,
    locale: tenant.locale,
    today: [quoteDateIn(tenant.timeZone), policy.inForceSince].sort().at(-1)!,
    minDate: policy.inForceSince,
    maxDate: policy.endDate,
  });
}

type ActionData = { errors?: Record<string, string[]>; values?: Record<string, unknown>; preview?: ChangePreviewView; notice?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "endorse:policy:any");
  const policyId = uuidParam(params, "policyId");
  const formData = await readForm(request);
  const result = await handleChangeForm(tenant, policyId, formData, {
    actor: "staff",
    userId: user.id,
    today: quoteDateIn(tenant.timeZone),
  });
  switch (result.kind) {
    case "not_found":
      throw new Response("Not found", { status: 404 });
    case "invalid":
      return json<ActionData>({ errors: result.errors, values: result.values }, { status: 400 });
    case "priced":
      return json<ActionData>({ preview: result.preview, values: result.values, notice: result.notice });
    case "confirmed":
      return redirect(`/admin/policies/${policyId}`);
  }
}

export default function AdminChangeCover() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { t } = useTranslation("admin");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/policies">{t("policies.title")}</Link> <span aria-hidden>/</span>{" "}
        <Link to={`/admin/policies/${data.policy.id}`}>{data.policy.number}</Link> <span aria-hidden>/</span>{" "}
        <span aria-current="page">{t("changeCover.title")}</span>
      </p>
      <h1>{t("changeCover.title")}</h1>
      <p className="muted">{t("changeCover.intro", { product: data.policy.productName, premium: data.policy.annualPremium })}</p>
      {data.refused ? (
        <Alert tone="info" title={t("changeCover.refused")}>
          {data.refused}
        </Alert>
      ) : (
        <>
          {actionData?.notice ? <Alert tone="warning">{actionData.notice}</Alert> : null}
          <ChangeCoverForm
            fields={data.fields}
            values={actionData?.values ?? data.values}
            errors={actionData?.errors ?? {}}
            currency={data.currency}
            locale={data.locale}
            effectiveDate={String(actionData?.values?.effectiveDate ?? data.today)}
            minDate={data.minDate}
            maxDate={data.maxDate}
            preview={actionData?.preview ?? null}
            staff
          />
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Change cover");
