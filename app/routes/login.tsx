import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { pageTitle } from "~/lib/meta";
import { keepRetryAfter, retryAfterHeaders } from "~/modules/abuse/rate-limit.server";
import { authenticator } from "~/modules/auth/authenticator.server";
import { optionalUser } from "~/modules/auth/guards.server";
// Not from authenticator.server: the component uses the schema in the browser, where *.server modules are empty.
import { signInSchema } from "~/modules/auth/schemas";
import { requireTenant } from "~/modules/tenancy/resolve.server";
import { readForm } from "~/lib/forms";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  if (await optionalUser(request)) throw redirect("/account");
  const t = await serverT(tenant.language, "auth");
  return json({ title: t("login.title") });
}

export async function action({ request }: ActionFunctionArgs) {
  // A body that is not a form answers 400 here; remix-auth would throw on it (a 500).
  await readForm(request.clone());
  const result = await authenticator.authenticate("tenant-password", request);
  if (!result.ok) return json(result.reply, result.limited ? { status: 429, headers: retryAfterHeaders(result.limited) } : { status: 400 });
  const headers = new Headers({ "Set-Cookie": result.setCookie });
  if (result.clearCart) headers.append("Set-Cookie", result.clearCart);
  if (result.setLanguage) headers.append("Set-Cookie", result.setLanguage);
  return redirect(result.redirectTo, { headers });
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(signInSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signInSchema }),
  });
  return (
    <section className="narrow">
      <h1>{t("login.title")}</h1>
      {params.get("reset") === "1" ? (
        <Alert tone="success" title={t("login.resetTitle")}>
          {t("login.resetBody")}
        </Alert>
      ) : params.get("expired") === "1" ? (
        <Alert tone="warning" title={t("login.expiredTitle")}>
          {t("login.expiredBody")}
        </Alert>
      ) : params.get("invited") === "1" ? (
        <Alert tone="success" title={t("login.invitedTitle")}>
          {t("login.invitedBody")}
        </Alert>
      ) : null}
      <div className="card">
        <Form method="post" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <Field label={t("email")} {...inputProps(fields.email, { type: "email" })} autoComplete="email" />
          <Field label={t("password")} {...inputProps(fields.password, { type: "password" })} autoComplete="current-password" />
          <div className="actions">
            <Button type="submit" busy={navigation.state === "submitting"}>
              {t("signIn")}
            </Button>
            <Link to="/forgot-password">{t("login.forgot")}</Link>
          </div>
        </Form>
      </div>
      <p style={{ marginTop: 16 }}>
        {t("login.newHere")} <Link to="/register">{t("login.createAccount")}</Link>
      </p>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Sign in");

export const headers = keepRetryAfter;
