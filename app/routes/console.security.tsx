import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { RequireTwoFactorForm } from "~/components/account/two-factor-settings";
import { withPlatform } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo } from "~/modules/auth/guards.server";
import { requireTwoFactorSchema } from "~/modules/auth/two-factor-schemas";
import { platformSecuritySettings, savePlatformSecuritySettings } from "~/modules/auth/two-factor-operators.server";
import { requireOperator } from "~/modules/platform/operators.server";

/** /console/security — whether every operator must sign in with two factors (decision 033). */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Security");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOperator(request);
  return json({ settings: await withPlatform((db) => platformSecuritySettings(db)) });
}

export async function action({ request }: ActionFunctionArgs) {
  const operator = await requireOperator(request);
  const parsed = requireTwoFactorSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("This form could not be read. Reload the page and send it again.", { status: 400 });
  await withPlatform((db) =>
    savePlatformSecuritySettings(
      db,
      { requireTwoFactorForOperators: parsed.data.required === "on" },
      { operatorId: operator.id, ip: clientInfo(request).ip },
    ),
  );
  return redirect("/console/security?saved=1");
}

export default function ConsoleSecurity() {
  const { settings } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <section className="narrow stack">
      <p>
        <Link to="/console">← Agencies</Link>
      </p>
      <h1>Security</h1>
      <RequireTwoFactorForm
        checked={settings.requireTwoFactorForOperators}
        saved={params.get("saved") === "1"}
        label="Require two-factor sign-in for operators"
        hint="Every operator must set up an authenticator app before they can open anything else in the console. Set up your own first, on your account page."
      />
    </section>
  );
}
