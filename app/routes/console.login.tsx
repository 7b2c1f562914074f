import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { pageTitle } from "~/lib/meta";
import { keepRetryAfter, retryAfterHeaders } from "~/modules/abuse/rate-limit.server";
import { authenticator } from "~/modules/auth/authenticator.server";
import { safeRedirect } from "~/modules/auth/guards.server";
import { signInSchema } from "~/modules/auth/schemas";
import { OPERATOR_TWO_FACTOR_SIGN_IN } from "~/modules/auth/two-factor-sign-in.server";
import { optionalOperator } from "~/modules/platform/operators.server";
import { requirePlatformSite } from "~/modules/tenancy/resolve.server";
import { readForm } from "~/lib/forms";

// The schema is the shared sign-in schema (email, password, redirectTo); the strategy parses it.

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformSite(request);
  if (await optionalOperator(request)) {
    throw redirect(consolePath(request, new URL(request.url).searchParams.get("redirectTo")));
  }
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  await requirePlatformSite(request);
  // A body that is not a form answers 400 here; remix-auth would throw on it (a 500).
  await readForm(request.clone());
  const result = await authenticator.authenticate("operator-password", request);
  if (!result.ok) return json(result.reply, result.limited ? { status: 429, headers: retryAfterHeaders(result.limited) } : { status: 400 });
  // With two-factor sign-in on, the password leads to the code form (decision 033), not into the console.
  const to = result.redirectTo === OPERATOR_TWO_FACTOR_SIGN_IN ? result.redirectTo : consolePath(request, result.redirectTo);
  return redirect(to, { headers: { "Set-Cookie": result.setCookie } });
}

/** After signing in, only a console page: never another host, never back to this form. */
function consolePath(request: Request, to: string | null): string {
  const path = safeRedirect(request, to, "/console");
  return path.startsWith("/console/") && !path.startsWith("/console/login") ? path : "/console";
}

export default function ConsoleLogin() {
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
      <h1>Operator sign in</h1>
      <p className="muted">The Covera console is for platform operators. Agency staff sign in on their agency&apos;s own address.</p>
      <div className="card">
        <Form method="post" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <Field label="Email" {...inputProps(fields.email, { type: "email" })} autoComplete="username" />
          <Field label="Password" {...inputProps(fields.password, { type: "password" })} autoComplete="current-password" />
          <div className="actions">
            <Button type="submit" busy={navigation.state === "submitting"}>
              Sign in
            </Button>
          </div>
        </Form>
      </div>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Operator sign in");

export const headers = keepRetryAfter;
