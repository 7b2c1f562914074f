import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { Honeypot } from "~/components/honeypot";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { pageTitle } from "~/lib/meta";
import { filledByRobot, typedEmail } from "~/modules/abuse/honeypot";
import { clientOf, countRequest, keepRetryAfter, refusedWith } from "~/modules/abuse/rate-limit.server";
import { requestPasswordReset } from "~/modules/auth/accounts.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { emailSchema } from "~/modules/auth/schemas";
import { originOf, requireTenant } from "~/modules/tenancy/resolve.server";
import { readForm } from "~/lib/forms";
import { Trans, useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

const forgotSchema = z.object({ email: emailSchema });

export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const t = await serverT(tenant.language, "auth");
  return json({ title: t("forgot.title") });
}

/** The answer is the same whether or not the address has an account here. */
export async function action({ request }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: forgotSchema });
  const counted = await countRequest("password_reset", tenant.id, clientOf(request));
  if (counted.limited) return refusedWith(counted, (message) => ({ sent: null, reply: submission.reply({ formErrors: [message] }) }));
  // A robot is answered as if it had worked, and nothing is sent.
  if (filledByRobot(form)) return json({ sent: typedEmail(form), reply: submission.reply({ resetForm: true }) });
  if (submission.status !== "success") return json({ sent: null, reply: submission.reply() }, { status: 400 });
  await withTenant(tenant.id, (db) =>
    requestPasswordReset(db, tenant, submission.value.email, { ip: clientInfo(request).ip, origin: originOf(request) }),
  );
  return json({ sent: submission.value.email, reply: submission.reply({ resetForm: true }) });
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useForm({
    lastResult: actionData?.reply,
    constraint: getZodConstraint(forgotSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotSchema }),
  });
  if (actionData?.sent) {
    return (
      <section className="narrow">
        <h1>{t("checkEmail.title")}</h1>
        <Alert tone="success" title={t("forgot.sentTitle")}>
          <Trans t={t} i18nKey="forgot.sentBody" values={{ email: actionData.sent }} components={{ strong: <strong /> }} />
        </Alert>
        <p className="muted">
          <Trans t={t} i18nKey="forgot.nothing" components={{ retry: <Link to="/forgot-password" /> }} />
        </p>
        <p>
          <Link to="/login">{t("backToSignIn")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>{t("forgot.title")}</h1>
      <p className="muted">{t("forgot.intro")}</p>
      <div className="card">
        <Form method="post" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <Honeypot />
          <Field label={t("email")} {...inputProps(fields.email, { type: "email" })} autoComplete="email" />
          <div className="actions">
            <Button type="submit" busy={navigation.state === "submitting"}>
              {t("forgot.submit")}
            </Button>
            <Link to="/login">{t("backToSignIn")}</Link>
          </div>
        </Form>
      </div>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Reset your password");

export const headers = keepRetryAfter;
