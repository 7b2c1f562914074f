import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo } from "~/modules/auth/guards.server";
import { createAgentSchema } from "~/modules/network/agent-schemas";
import { createAgentByAdmin } from "~/modules/network/agents.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { originOf } from "~/modules/tenancy/resolve.server";

/** /admin/agents/new — an admin adds an agent: an existing account, or a new one invited by email. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireNetworkPermission(request, "manage:agent:any");
  return json({ title: (await serverT(tenant.language, "admin-network"))("newAgent.title") });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "manage:agent:any");
  const submission = parseWithZod(await readForm(request), { schema: createAgentSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const result = await withTenant(tenant.id, (db) => createAgentByAdmin(db, tenant, submission.value, actor, originOf(request)));
  if (!result.ok) return json(submission.reply(replyErrors(result.errors)), { status: 400 });
  return redirect(`/admin/agents/${result.agentId}?notice=created`);
}

export default function NewAgent() {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("admin-network");
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { approve: true },
    constraint: getZodConstraint(createAgentSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createAgentSchema }),
  });
  const { errors: _approveErrors, ...approveProps } = inputProps(fields.approve, { type: "checkbox" });
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/agents">{t("agents.title")}</Link> / {t("newAgent.title")}
      </p>
      <h1>{t("newAgent.title")}</h1>
      <p className="muted">{t("newAgent.intro")}</p>
      <Form method="post" className="card stack form-narrow" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <Field label={t("newAgent.email")} {...inputProps(fields.email, { type: "email" })} autoComplete="off" />
        <Field label={t("newAgent.name")} hint={t("newAgent.nameHint")} {...inputProps(fields.name, { type: "text" })} autoComplete="off" />
        <Field label={t("newAgent.phone")} hint={t("newAgent.phoneHint")} {...inputProps(fields.phone, { type: "tel" })} />
        <Field
          label={t("newAgent.sponsor")}
          hint={t("newAgent.sponsorHint")}
          inputMode="numeric"
          {...inputProps(fields.sponsorNumber, { type: "text" })}
        />
        <div className="checkbox-field">
          <div className="checkbox">
            <input {...approveProps} />
            <label htmlFor={fields.approve.id}>{t("newAgent.approve")}</label>
          </div>
        </div>
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            {t("newAgent.submit")}
          </Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Add an agent");
