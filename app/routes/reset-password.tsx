import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { findLiveToken, resetPassword } from "~/modules/auth/accounts.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { newPasswordSchema } from "~/modules/auth/schemas";
import { Trans, useTranslation } from "react-i18next";
import { useErrorText } from "~/components/ui/field";
import { serverT } from "~/modules/i18n/i18n.server";
import { originOf, requireTenant } from "~/modules/tenancy/resolve.server";
import { lineText, secretText } from "~/lib/text";

// Tokens are 32 random bytes in base64url; a malformed one is simply not a live link.
const tokenSchema = lineText().regex(/^[A-Za-z0-9_-]{20,100}$/);

const resetSchema = z
  .object({
    token: secretText("This link is incomplete. Open the link from the email again."),
    password: newPasswordSchema,
    confirmPassword: secretText("Enter the new password again"),
  })
  .refine((value) => value.password === value.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords do not match",
  });

const HIDDEN = ["password", "confirmPassword"];

export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const token = tokenSchema.safeParse(new URL(request.url).searchParams.get("token"));
  const live = token.success ? await withTenant(tenant.id, (db) => findLiveToken(db, token.data, ["reset_password", "invite"])) : undefined;
  const t = await serverT(tenant.language, "auth");
  if (!live || !token.success) return json({ state: "invalid" as const, title: t("forgot.title") }, { status: 400 });
  const invite = live.purpose === "invite";
  const title = invite ? t("reset.setTitle") : t("forgot.title");
  return json({ state: "valid" as const, token: token.data, invite, email: live.email, agency: tenant.name, title });
}

export async function action({ request }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const submission = parseWithZod(await readForm(request), { schema: resetSchema });
  if (submission.status !== "success") return json(submission.reply({ hideFields: HIDDEN }), { status: 400 });
  const { token, password } = submission.value;
  if (!tokenSchema.safeParse(token).success) {
    return json(submission.reply({ formErrors: ["This link is invalid. Ask for a new one."], hideFields: HIDDEN }), { status: 400 });
  }
  const result = await withTenant(tenant.id, (db) =>
    resetPassword(db, { token, password }, { ip: clientInfo(request).ip, origin: originOf(request) }),
  );
  if (!result.ok) return json(submission.reply({ ...replyErrors(result.errors, ["token"]), hideFields: HIDDEN }), { status: 400 });
  return redirect(result.purpose === "invite" ? "/login?invited=1" : "/login?reset=1");
}

export default function ResetPassword() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  if (data.state === "invalid") {
    return (
      <section className="narrow">
        <h1>{t("reset.invalidTitle")}</h1>
        <Alert tone="error">{t("reset.invalidBody")}</Alert>
        <p>
          <Link to="/forgot-password" className="btn btn-primary">
            {t("reset.askNew")}
          </Link>
        </p>
        <p className="muted">{t("reset.invited")}</p>
      </section>
    );
  }
  return <PasswordForm token={data.token} invite={data.invite} email={data.email} agency={data.agency} />;
}

function PasswordForm({ token, invite, email, agency }: { token: string; invite: boolean; email: string; agency: string }) {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const errorText = useErrorText();
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(resetSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resetSchema }),
  });
  return (
    <section className="narrow">
      <h1>{invite ? t("reset.setTitle") : t("reset.newTitle")}</h1>
      <p className="muted">
        <Trans t={t} i18nKey={invite ? "reset.welcome" : "reset.forEmail"} values={{ agency, email }} components={{ strong: <strong /> }} />
      </p>
      <div className="card">
        <Form method="post" {...getFormProps(form)}>
          {form.errors?.length ? (
            <Alert tone="error">
              {errorText(form.errors)} <Link to="/forgot-password">{t("reset.askNew")}</Link>.
            </Alert>
          ) : null}
          <input type="hidden" name={fields.token.name} value={token} />
          <Field
            label={t("reset.newPassword")}
            {...inputProps(fields.password, { type: "password" })}
            autoComplete="new-password"
            hint={t("passwordRules")}
          />
          <Field label={t("reset.confirmNew")} {...inputProps(fields.confirmPassword, { type: "password" })} autoComplete="new-password" />
          {/* Lets password managers save the new password against the right account. */}
          <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
          <div className="actions">
            <Button type="submit" busy={navigation.state === "submitting"}>
              {invite ? t("reset.setSubmit") : t("reset.changeSubmit")}
            </Button>
          </div>
        </Form>
      </div>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Reset your password");
