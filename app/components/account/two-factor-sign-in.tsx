import { useTranslation } from "react-i18next";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";

/** The second step of signing in (decision 033), on a storefront and in the console. */
export function TwoFactorSignInForm({ errors, startAgain }: { errors?: string[]; startAgain: string }) {
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("auth");
  return (
    <section className="narrow">
      <h1>{t("twoFactor.title")}</h1>
      <div className="card">
        <Form method="post" className="stack">
          <p>{t("twoFactor.intro")}</p>
          <Field
            id="code"
            name="code"
            label={t("twoFactor.code")}
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            errors={errors}
            hint={t("twoFactor.hint")}
          />
          <div className="actions">
            <Button type="submit" busy={busy}>
              {t("signIn")}
            </Button>
            <Link to={startAgain}>{t("twoFactor.startAgain")}</Link>
          </div>
        </Form>
      </div>
    </section>
  );
}
