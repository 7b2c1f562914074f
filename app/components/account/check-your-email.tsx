import { useTranslation } from "react-i18next";
import { Link } from "@remix-run/react";
import { Alert } from "~/components/ui/alert";

/**
 * The one answer to a registration (storefront or referral link), whether or not the address
 * already had an account: the page must not tell anyone who is a customer, so the email does.
 */
export function CheckYourEmail({ email, agency, signIn }: { email: string; agency: string; signIn: string }) {
  const { t } = useTranslation("auth");
  return (
    <section className="narrow">
      <h1>{t("checkEmail.title")}</h1>
      <Alert tone="success" title={t("checkEmail.sentTo", { email })}>
        {t("checkEmail.body", { agency })}
      </Alert>
      <p className="muted">{t("checkEmail.nothing")}</p>
      <p>
        <Link to={signIn} className="btn btn-primary">
          {t("signIn")}
        </Link>
      </p>
    </section>
  );
}
