import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { TwoFactorSettings } from "~/components/account/two-factor-settings";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requireUser } from "~/modules/auth/guards.server";
import { parseTwoFactorForm, type TwoFactorReply } from "~/modules/auth/two-factor-schemas";
import { noticesOf, settingsOf, startEnrolment } from "~/modules/auth/two-factor.server";
import {
  newRecoveryCodesFor,
  TWO_FACTOR_PAGE,
  turnOffTwoFactor,
  turnOnTwoFactor,
  userFactorStore,
} from "~/modules/auth/two-factor-users.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * /account/two-factor — two-factor sign-in for any signed-in account of the agency: customers,
 * and staff (whom the agency may require to set it up before anything else opens; decision 033).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request, { enrolling: true });
  const settings = await withTenant(tenant.id, (db) =>
    settingsOf(userFactorStore(db, tenant.id, user.id), { issuer: tenant.name, account: user.email }),
  );
  const t = await serverT(tenant.language, "account");
  return json({
    title: t("twoFactor.title"),
    view: { ...settings, ...noticesOf(request, user.mustEnrolTwoFactor), path: TWO_FACTOR_PAGE, issuer: tenant.name },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requireUser(request, { enrolling: true });
  const parsed = parseTwoFactorForm(await readForm(request));
  if (!parsed.ok) return json(parsed.reply, { status: 400 });
  const form = parsed.data;
  const ctx = { ip: clientInfo(request).ip, origin: originOf(request) };
  const reply = await withTenant(tenant.id, async (db): Promise<TwoFactorReply | null> => {
    switch (form.intent) {
      case "start": {
        const result = await startEnrolment(userFactorStore(db, tenant.id, user.id));
        return result.ok ? null : { intent: form.intent, errors: result.errors };
      }
      case "confirm": {
        const result = await turnOnTwoFactor(db, tenant, user, form.code, ctx);
        return result.ok ? { intent: form.intent, recoveryCodes: result.recoveryCodes } : { intent: form.intent, errors: result.errors };
      }
      case "regenerate": {
        const result = await newRecoveryCodesFor(db, tenant.id, user.id, form.code, ctx);
        return result.ok ? { intent: form.intent, recoveryCodes: result.recoveryCodes } : { intent: form.intent, errors: result.errors };
      }
      case "disable": {
        const result = await turnOffTwoFactor(db, tenant, user, form, ctx);
        return result.ok ? null : { intent: form.intent, errors: result.errors };
      }
    }
  });
  if (reply === null) return redirect(form.intent === "disable" ? `${TWO_FACTOR_PAGE}?off=1` : TWO_FACTOR_PAGE);
  return json(reply, { status: reply.errors ? 400 : 200 });
}

export default function AccountTwoFactor() {
  const { view } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("account");
  return (
    <section className="stack">
      <h1>{t("twoFactor.title")}</h1>
      <AccountNav />
      <TwoFactorSettings view={view} reply={reply} />
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Two-factor sign-in");
