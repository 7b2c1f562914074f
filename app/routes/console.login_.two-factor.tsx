import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { TwoFactorSignInForm } from "~/components/account/two-factor-sign-in";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { keepRetryAfter, retryAfterHeaders } from "~/modules/abuse/rate-limit.server";
import { signInCodeSchema } from "~/modules/auth/two-factor-schemas";
import { operatorCodeStep } from "~/modules/auth/two-factor-sign-in.server";
import { clearPending, readPending } from "~/modules/auth/two-factor-pending.server";
import { optionalOperator } from "~/modules/platform/operators.server";
import { requirePlatformSite } from "~/modules/tenancy/resolve.server";

/** /console/login/two-factor — an operator's code after a right password (decision 033). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformSite(request);
  if (await optionalOperator(request)) throw redirect("/console");
  if (!(await readPending("operator", request, "platform"))) {
    throw redirect("/console/login", { headers: { "Set-Cookie": await clearPending("operator") } });
  }
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  await requirePlatformSite(request);
  const parsed = signInCodeSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return json({ errors: parsed.error.flatten().fieldErrors.code ?? [] }, { status: 400 });
  const step = await operatorCodeStep(request, parsed.data.code);
  switch (step.kind) {
    case "expired":
      return redirect("/console/login", { headers: { "Set-Cookie": step.clear } });
    case "refused":
      return json({ errors: [step.message] }, step.limited ? { status: 429, headers: retryAfterHeaders(step.limited) } : { status: 400 });
    case "signed_in":
      return redirect(step.redirectTo, { headers: step.headers });
  }
}

export default function ConsoleLoginTwoFactor() {
  const reply = useActionData<typeof action>();
  return <TwoFactorSignInForm errors={reply?.errors} startAgain="/console/login" />;
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Enter your code");

export const headers = keepRetryAfter;
