import { NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useRootData } from "~/root";

/** The account area's own navigation: the same tabs on every account page. */
export function AccountNav() {
  const member = useRootData()?.user?.member ?? false;
  const { t } = useTranslation("account");
  return (
    <nav className="subnav account-nav" aria-label={t("nav.label")}>
      <NavLink to="/account" end>
        {t("nav.overview")}
      </NavLink>
      <NavLink to="/account/policies">{t("nav.policies")}</NavLink>
      <NavLink to="/account/payments">{t("nav.payments")}</NavLink>
      <NavLink to="/account/payment-methods">{t("nav.paymentMethods")}</NavLink>
      <NavLink to="/account/claims">{t("nav.claims")}</NavLink>
      {member ? <NavLink to="/account/benefits">{t("nav.benefits")}</NavLink> : null}
      <NavLink to="/account/documents">{t("nav.documents")}</NavLink>
      <NavLink to="/account/profile">{t("nav.profile")}</NavLink>
      <NavLink to="/account/security">{t("nav.security")}</NavLink>
      <NavLink to="/account/privacy">{t("nav.privacy")}</NavLink>
    </nav>
  );
}
