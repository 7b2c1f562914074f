import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { CheckYourEmail } from "~/components/account/check-your-email";
import { Honeypot } from "~/components/honeypot";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConsentField, Field, inputProps } from "~/components/ui/field";
import { readForm } from "~/lib/forms";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";
import { lineText, secretText } from "~/lib/text";
import { pageTitle } from "~/lib/meta";
import { filledByRobot, typedEmail } from "~/modules/abuse/honeypot";
import { clientOf, countRequest, keepRetryAfter, refusedWith } from "~/modules/abuse/rate-limit.server";
import { registerCustomer } from "~/modules/auth/accounts.server";
import { clientInfo, optionalUser } from "~/modules/auth/guards.server";
import { emailSchema, newPasswordSchema } from "~/modules/auth/schemas";
import { originOf, requireTenant } from "~/modules/tenancy/resolve.server";

const registerSchema = z
  .object({
    name: lineText("Enter your full name").min(2, "Enter your full name").max(120, "Use at most 120 characters"),
    email: emailSchema,
    phone: lineText()
      .regex(/^\+?[0-9][0-9 ()-]{6,19}$/, "Enter a phone number in digits, for example +254 712 345 678")
      .optional(),
    password: newPasswordSchema,
    confirmPassword: secretText("Enter your password again"),
    acceptTerms: z.boolean({ required_error: "Accept the terms to create your account" }),
  })
  .refine((value) => value.password === value.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords do not match",
  });

const HIDDEN = ["password", "confirmPassword"];
const WELCOME_SIGN_IN = `/login?redirectTo=${encodeURIComponent("/account?welcome=1")}`;

export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  if (await optionalUser(request)) throw redirect("/account");
  const t = await serverT(tenant.language, "auth");
  return json({ agency: tenant.name, title: t("register.title") });
}

/**
 * Every well-formed registration gets the same answer, "check your email", and no session: signing
 * a new customer straight in would tell anyone which addresses already have an account here. The
 * anonymous cart stays in its cookie and joins the account at the first sign-in.
 */
export async function action({ request }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: registerSchema });
  const counted = await countRequest("register", tenant.id, clientOf(request));
  if (counted.limited)
    return refusedWith(counted, (message) => ({ sent: null, reply: submission.reply({ formErrors: [message], hideFields: HIDDEN }) }));
  // A robot is answered as if it had worked, and nothing is written.
  if (filledByRobot(form)) return json({ sent: typedEmail(form), reply: null });
  if (submission.status !== "success") return json({ sent: null, reply: submission.reply({ hideFields: HIDDEN }) }, { status: 400 });
  const { name, email, phone, password } = submission.value;
  await withTenant(tenant.id, (db) =>
    registerCustomer(
      db,
      tenant,
      { name, email, phone, password, language: tenant.language },
      { ip: clientInfo(request).ip, origin: originOf(request) },
    ),
  );
  return json({ sent: email, reply: null });
}

export default function Register() {
  const { agency } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useForm({
    lastResult: actionData?.reply,
    constraint: getZodConstraint(registerSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: registerSchema }),
  });
  if (actionData?.sent) return <CheckYourEmail email={actionData.sent} agency={agency} signIn={WELCOME_SIGN_IN} />;
  return (
    <section className="narrow">
      <h1>{t("register.title")}</h1>
      <p className="muted">{t("register.intro", { agency })}</p>
      <div className="card">
        <Form method="post" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <Honeypot />
          <Field label={t("register.name")} {...inputProps(fields.name, { type: "text" })} autoComplete="name" />
          <Field label={t("email")} {...inputProps(fields.email, { type: "email" })} autoComplete="email" />
          <Field
            label={
              <>
                {t("register.phone")} <span className="muted">{t("register.optional")}</span>
              </>
            }
            {...inputProps(fields.phone, { type: "tel" })}
            autoComplete="tel"
            hint={t("register.phoneHint")}
          />
          <Field
            label={t("password")}
            {...inputProps(fields.password, { type: "password" })}
            autoComplete="new-password"
            hint={t("passwordRules")}
          />
          <Field
            label={t("register.confirmPassword")}
            {...inputProps(fields.confirmPassword, { type: "password" })}
            autoComplete="new-password"
          />
          <ConsentField {...inputProps(fields.acceptTerms, { type: "checkbox" })} label={t("register.terms", { agency })} />
          <div className="actions">
            <Button type="submit" busy={navigation.state === "submitting"}>
              {t("register.submit")}
            </Button>
          </div>
        </Form>
      </div>
      <p className="after-card">
        {t("register.haveAccount")} <Link to="/login">{t("signIn")}</Link>
      </p>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Create your account");

export const headers = keepRetryAfter;
