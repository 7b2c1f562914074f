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

export async function loader({ request }: LoaderFunctionArgs) {
  await requireTenant(request);
  if (await optionalUser(request)) throw redirect("/account");
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  // A body that is not a form answers 400 here; remix-auth would throw on it (a 500).
  await readForm(request.clone());
  const result = await authenticator.authenticate("tenant-password", request);
  if (!result.ok) return json(result.reply, result.limited ? { status: 429, headers: retryAfterHeaders(result.limited) } : { status: 400 });
  const headers = new Headers({ "Set-Cookie": result.setCookie });
  if (result.clearCart) headers.append("Set-Cookie", result.clearCart);
  return redirect(result.redirectTo, { headers });
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(signInSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signInSchema }),
  });
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      {params.get("reset") === "1" ? (
        <Alert tone="success" title="Your password has been changed.">
          Sign in with your new password. For your safety, every device that was signed in has been signed out.
        </Alert>
      ) : params.get("expired") === "1" ? (
        <Alert tone="warning" title="That took too long.">
          For your safety, enter your password again, then the code from your app.
        </Alert>
      ) : params.get("invited") === "1" ? (
        <Alert tone="success" title="Your password is set.">
          Sign in to get started.
        </Alert>
      ) : null}
      <div className="card">
        <Form method="post" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <Field label="Email" {...inputProps(fields.email, { type: "email" })} autoComplete="email" />
          <Field label="Password" {...inputProps(fields.password, { type: "password" })} autoComplete="current-password" />
          <div className="actions">
            <Button type="submit" busy={navigation.state === "submitting"}>
              Sign in
            </Button>
            <Link to="/forgot-password">Forgot your password?</Link>
          </div>
        </Form>
      </div>
      <p style={{ marginTop: 16 }}>
        New here? <Link to="/register">Create an account</Link>
      </p>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Sign in");

export const headers = keepRetryAfter;
