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

const forgotSchema = z.object({ email: emailSchema });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireTenant(request);
  return json({});
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
  const [form, fields] = useForm({
    lastResult: actionData?.reply,
    constraint: getZodConstraint(forgotSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotSchema }),
  });
  if (actionData?.sent) {
    return (
      <section className="narrow">
        <h1>Check your email</h1>
        <Alert tone="success" title="If an account exists for this address, we have sent a link to reset the password.">
          We sent it to <strong>{actionData.sent}</strong>. The link works once, for 60 minutes.
        </Alert>
        <p className="muted">
          Nothing after a few minutes? Check your spam folder, make sure you used the address you signed up with, or{" "}
          <Link to="/forgot-password">try again</Link>.
        </p>
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>Reset your password</h1>
      <p className="muted">Enter the email address of your account and we will send you a link to choose a new password.</p>
      <div className="card">
        <Form method="post" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <Honeypot />
          <Field label="Email" {...inputProps(fields.email, { type: "email" })} autoComplete="email" />
          <div className="actions">
            <Button type="submit" busy={navigation.state === "submitting"}>
              Send reset link
            </Button>
            <Link to="/login">Back to sign in</Link>
          </div>
        </Form>
      </div>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Reset your password");

export const headers = keepRetryAfter;
