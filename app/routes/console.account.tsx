import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { withPlatform } from "~/lib/db.server";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { pageTitle } from "~/lib/meta";
import { clientInfo } from "~/modules/auth/guards.server";
import { PASSWORD_RULES_HINT } from "~/modules/auth/schemas";
import { changeOperatorPassword, requireOperator } from "~/modules/platform/operators.server";
import { operatorPasswordSchema } from "~/modules/platform/schemas";
import { readForm } from "~/lib/forms";

// The schema is `operatorPasswordSchema`: current password, a new one that meets the rules, typed twice.

export async function loader({ request }: LoaderFunctionArgs) {
  const operator = await requireOperator(request);
  return json({ operator: { name: operator.name, email: operator.email } });
}

export async function action({ request }: ActionFunctionArgs) {
  const operator = await requireOperator(request);
  const submission = parseWithZod(await readForm(request), { schema: operatorPasswordSchema });
  const hidden = { hideFields: ["currentPassword", "newPassword", "confirmPassword"] };
  if (submission.status !== "success") return json(submission.reply(hidden), { status: 400 });
  const result = await withPlatform((db) =>
    changeOperatorPassword(
      db,
      {
        operatorId: operator.id,
        currentPassword: submission.value.currentPassword,
        newPassword: submission.value.newPassword,
        keepSessionIdHash: operator.sessionIdHash,
      },
      clientInfo(request),
    ),
  );
  if (!result.ok) return json(submission.reply({ ...hidden, fieldErrors: result.errors }), { status: 400 });
  return redirect("/console/account?notice=password");
}

export default function ConsoleAccount() {
  const { operator } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(operatorPasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: operatorPasswordSchema }),
  });
  return (
    <section className="narrow">
      <h1>Your account</h1>
      <p className="muted">
        Signed in as <strong>{operator.name}</strong> ({operator.email}).
      </p>
      {params.get("notice") === "password" ? (
        <Alert tone="success" title="Password changed">
          Your other sessions were signed out; this one stays signed in.
        </Alert>
      ) : null}
      <div className="card">
        <h2>Two-factor sign-in</h2>
        <p>
          A code from an authenticator app after your password: <Link to="/console/account/two-factor">set it up or change it</Link>.
          Whether every operator must use it: <Link to="/console/security">platform security</Link>.
        </p>
      </div>
      <div className="card">
        <h2>Change your password</h2>
        <Form method="post" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <input type="text" name="username" value={operator.email} autoComplete="username" readOnly hidden />
          <Field label="Current password" {...inputProps(fields.currentPassword, { type: "password" })} autoComplete="current-password" />
          <Field
            label="New password"
            {...inputProps(fields.newPassword, { type: "password" })}
            autoComplete="new-password"
            hint={PASSWORD_RULES_HINT}
          />
          <Field label="New password, again" {...inputProps(fields.confirmPassword, { type: "password" })} autoComplete="new-password" />
          <div className="actions">
            <Button type="submit" busy={navigation.state === "submitting"}>
              Change password
            </Button>
          </div>
        </Form>
      </div>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Your account");
