import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { TwoFactorSettings } from "~/components/account/two-factor-settings";
import { withPlatform } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo } from "~/modules/auth/guards.server";
import { parseTwoFactorForm, type TwoFactorReply } from "~/modules/auth/two-factor-schemas";
import { noticesOf, settingsOf, startEnrolment } from "~/modules/auth/two-factor.server";
import {
  newOperatorRecoveryCodes,
  OPERATOR_TWO_FACTOR_PAGE,
  operatorFactorStore,
  turnOffOperatorTwoFactor,
  turnOnOperatorTwoFactor,
} from "~/modules/auth/two-factor-operators.server";
import { requireOperator } from "~/modules/platform/operators.server";

const ISSUER = "Covera console";

/** /console/account/two-factor — an operator's own two-factor sign-in (decision 033). */
export async function loader({ request }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, { enrolling: true });
  const settings = await withPlatform((db) =>
    settingsOf(operatorFactorStore(db, operator.id), { issuer: ISSUER, account: operator.email }),
  );
  return json({
    view: { ...settings, ...noticesOf(request, operator.mustEnrolTwoFactor), path: OPERATOR_TWO_FACTOR_PAGE, issuer: ISSUER },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const operator = await requireOperator(request, { enrolling: true });
  const parsed = parseTwoFactorForm(await readForm(request));
  if (!parsed.ok) return json(parsed.reply, { status: 400 });
  const form = parsed.data;
  const client = clientInfo(request);
  const reply = await withPlatform(async (db): Promise<TwoFactorReply | null> => {
    switch (form.intent) {
      case "start": {
        const result = await startEnrolment(operatorFactorStore(db, operator.id));
        return result.ok ? null : { intent: form.intent, errors: result.errors };
      }
      case "confirm": {
        const result = await turnOnOperatorTwoFactor(db, operator.id, form.code, client);
        return result.ok ? { intent: form.intent, recoveryCodes: result.recoveryCodes } : { intent: form.intent, errors: result.errors };
      }
      case "regenerate": {
        const result = await newOperatorRecoveryCodes(db, operator.id, form.code, client);
        return result.ok ? { intent: form.intent, recoveryCodes: result.recoveryCodes } : { intent: form.intent, errors: result.errors };
      }
      case "disable": {
        const result = await turnOffOperatorTwoFactor(db, operator.id, form, client);
        return result.ok ? null : { intent: form.intent, errors: result.errors };
      }
    }
  });
  if (reply === null) return redirect(form.intent === "disable" ? `${OPERATOR_TWO_FACTOR_PAGE}?off=1` : OPERATOR_TWO_FACTOR_PAGE);
  return json(reply, { status: reply.errors ? 400 : 200 });
}

export default function ConsoleTwoFactor() {
  const { view } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <section className="narrow stack">
      <p>
        <Link to="/console/account">← Your account</Link>
      </p>
      <h1>Two-factor sign-in</h1>
      <TwoFactorSettings view={view} reply={reply} />
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Two-factor sign-in");
