import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { TwoFactorSignInForm } from "~/components/account/two-factor-sign-in";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { keepRetryAfter, retryAfterHeaders } from "~/modules/abuse/rate-limit.server";
import { optionalUser } from "~/modules/auth/guards.server";
import { signInCodeSchema } from "~/modules/auth/two-factor-schemas";
import { userCodeStep } from "~/modules/auth/two-factor-sign-in.server";
import { clearPending, readPending } from "~/modules/auth/two-factor-pending.server";
import { requireTenant } from "~/modules/tenancy/resolve.server";

/**
 * /login/two-factor — the code after a right password (decision 033). Only a live pending sign-in
 * for this very agency opens it; without one, back to the password.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  if (await optionalUser(request)) throw redirect("/account");
  if (!(await readPending("user", request, tenant.id))) {
    throw redirect("/login", { headers: { "Set-Cookie": await clearPending("user") } });
  }
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = signInCodeSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return json({ errors: parsed.error.flatten().fieldErrors.code ?? [] }, { status: 400 });
  const step = await userCodeStep(request, parsed.data.code);
  switch (step.kind) {
    case "expired":
      return redirect("/login?expired=1", { headers: { "Set-Cookie": step.clear } });
    case "refused":
      return json({ errors: [step.message] }, step.limited ? { status: 429, headers: retryAfterHeaders(step.limited) } : { status: 400 });
    case "signed_in":
      return redirect(step.redirectTo, { headers: step.headers });
  }
}

export default function LoginTwoFactor() {
  const reply = useActionData<typeof action>();
  return <TwoFactorSignInForm errors={reply?.errors} startAgain="/login" />;
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Enter your code");

export const headers = keepRetryAfter;
