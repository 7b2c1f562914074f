import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { pageTitle } from "~/lib/meta";
import { verifyEmail } from "~/modules/auth/accounts.server";
import { clientInfo, optionalUser } from "~/modules/auth/guards.server";
import { originOf, requireTenant } from "~/modules/tenancy/resolve.server";
import { lineText } from "~/lib/text";
import { Trans, useTranslation } from "react-i18next";
import type { Language } from "~db/schema";
import { serverT } from "~/modules/i18n/i18n.server";

// Tokens are 32 random bytes in base64url (43 characters); anything else cannot be one.
const querySchema = z.object({
  token: lineText()
    .regex(/^[A-Za-z0-9_-]{20,100}$/)
    .optional()
    .catch(undefined),
  verified: z.literal("1").optional().catch(undefined),
});

/**
 * The link in the confirmation email. A good token is used at once and the page redirects to
 * itself without it, so a reload does not report the spent link as invalid, and the header (read
 * by the root loader) already knows the address is confirmed.
 */
async function titleOf(language: Language) {
  return (await serverT(language, "auth"))("verifyEmail.title");
}

export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const params = new URL(request.url).searchParams;
  const query = querySchema.parse(Object.fromEntries(params));
  const user = await optionalUser(request);
  const signedIn = user ? { emailVerified: user.emailVerified, email: user.email } : null;
  const title = await titleOf(tenant.language);
  if (query.verified) return json({ state: "verified" as const, signedIn, title });
  if (query.token) {
    const result = await withTenant(tenant.id, (db) =>
      verifyEmail(db, query.token!, { ip: clientInfo(request).ip, origin: originOf(request) }),
    );
    if (result.ok) throw redirect("/verify-email?verified=1");
  }
  return json({ state: "invalid" as const, signedIn, title }, { status: params.has("token") ? 400 : 200 });
}

export default function VerifyEmail() {
  const { state, signedIn } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  if (state === "verified") {
    return (
      <section className="narrow">
        <h1>{t("verifyEmail.confirmedTitle")}</h1>
        <Alert tone="success" title={t("verifyEmail.confirmedAlert")}>
          {t("verifyEmail.confirmedBody")}
        </Alert>
        <p>
          <Link to={signedIn ? "/account" : "/login"} className="btn btn-primary">
            {signedIn ? t("goToAccount") : t("signIn")}
          </Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>{t("verifyEmail.invalidTitle")}</h1>
      <Alert tone="error">{t("verifyEmail.invalidBody")}</Alert>
      {signedIn?.emailVerified ? (
        <p>
          <Trans t={t} i18nKey="verifyEmail.alreadyConfirmed" values={{ email: signedIn.email }} components={{ strong: <strong /> }} />{" "}
          <Link to="/account">{t("goToAccount")}</Link>.
        </p>
      ) : signedIn ? (
        <div className="card stack">
          <p>{t("verifyEmail.canResend", { email: signedIn.email })}</p>
          <Form method="post" action="/account/security">
            <input type="hidden" name="intent" value="resend-verification" />
            <Button type="submit">{t("verifyEmail.resend")}</Button>
          </Form>
        </div>
      ) : (
        <p>
          <Trans
            t={t}
            i18nKey="verifyEmail.signInForNew"
            components={{ signIn: <Link to="/login?redirectTo=%2Faccount%2Fsecurity%23verify" /> }}
          />
        </p>
      )}
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Confirm your email");
