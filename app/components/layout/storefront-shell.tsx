import { Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { currencyName } from "~/lib/money";
import { useRootData } from "~/root";
import { AccountMenu } from "./account-menu";
import { LanguageSwitcher } from "./language-switcher";
import { NotificationBell } from "./notification-bell";

/** An agency's storefront frame: its name, logo, colours and contacts; nothing of any other. */
export function StorefrontShell({ children }: { children: ReactNode }) {
  const data = useRootData();
  const { t } = useTranslation();
  if (data?.site.kind !== "tenant") return <>{children}</>;
  const { tenant } = data.site;
  const user = data.user;
  const backOffice = user?.permissions.includes("read:backoffice:any");
  // Agents of an agency that runs a network have their own portal.
  const agentPortal = tenant.features.agentNetwork && user?.permissions.includes("read:network:own");
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="site-header">
        <div className="container header-row">
          <Link to="/" className="brand" aria-label={t("home", { name: tenant.name })}>
            {tenant.branding.logoUrl ? <img src={tenant.branding.logoUrl} alt="" width={36} height={36} /> : null}
            <span>{tenant.name}</span>
          </Link>
          <nav className="header-nav store-nav" aria-label={t("nav.main")}>
            <NavLink to="/products" className="header-link">
              {t("nav.insurance")}
            </NavLink>
            <NavLink to="/compare" className="header-link">
              {data.compareCount ? t("nav.compareCount", { count: data.compareCount }) : t("nav.compare")}
            </NavLink>
          </nav>
          <nav className="header-nav" aria-label={t("nav.account")}>
            <LanguageSwitcher />
            <Link to="/cart" className="header-link cart-link" aria-label={t("nav.cartLabel", { count: data.cartCount })}>
              {t("nav.cart", { count: data.cartCount })}
            </Link>
            {agentPortal ? (
              <NavLink to="/agent" className="header-link hide-sm">
                {t("nav.agentPortal")}
              </NavLink>
            ) : null}
            {backOffice ? (
              <NavLink to="/admin" className="header-link hide-sm">
                {t("nav.backOffice")}
              </NavLink>
            ) : null}
            {/* Customers, members, agents and staff all see this header (the back office and the
                agent portal render inside it), so the bell is here once for all of them. */}
            {user ? <NotificationBell unread={user.unreadNotifications} /> : null}
            {user ? (
              <AccountMenu
                name={user.name}
                email={user.email}
                links={[
                  { to: "/account", label: t("nav.myAccount") },
                  { to: "/account/policies", label: t("nav.myPolicies") },
                  { to: "/account/payments", label: t("nav.payments") },
                  ...(agentPortal ? [{ to: "/agent", label: t("nav.agentPortal") }] : []),
                  ...(backOffice ? [{ to: "/admin", label: t("nav.backOffice") }] : []),
                ]}
              />
            ) : (
              <>
                <Link to="/login" className="header-link">
                  {t("nav.signIn")}
                </Link>
                <Link to="/register" className="btn btn-primary btn-small">
                  {t("nav.createAccount")}
                </Link>
              </>
            )}
          </nav>
        </div>
      </header>
      {user && !user.emailVerified ? (
        <div className="banner" role="status">
          <div className="container">
            {t("verifyBanner", { email: user.email })} <Link to="/account/security#verify">{t("sendAgain")}</Link>
          </div>
        </div>
      ) : null}
      <main id="main" className="container main">
        {children}
      </main>
      <footer className="site-footer">
        <div className="container footer-grid">
          <div>
            <strong>{tenant.name}</strong>
            {tenant.branding.tagline ? <p>{tenant.branding.tagline}</p> : null}
            {tenant.contact.licence ? <p className="muted">{tenant.contact.licence}</p> : null}
            <nav aria-label={t("nav.footer")}>
              <Link to="/facilities">{t("nav.facilities")}</Link>
            </nav>
          </div>
          <address>
            {tenant.contact.address ? <p>{tenant.contact.address}</p> : null}
            {tenant.contact.phone ? (
              <p>
                {t("footer.phone")} <a href={`tel:${tenant.contact.phone.replace(/\s/g, "")}`}>{tenant.contact.phone}</a>
              </p>
            ) : null}
            {tenant.contact.email ? (
              <p>
                {t("footer.email")} <a href={`mailto:${tenant.contact.email}`}>{tenant.contact.email}</a>
              </p>
            ) : null}
          </address>
          <div className="muted">
            <p>{t("footer.prices", { currency: currencyName(tenant.currency, tenant.locale), code: tenant.currency })}</p>
            <p>{t("footer.times", { zone: tenant.timeZone.replace("_", " ") })}</p>
          </div>
        </div>
      </footer>
    </div>
  );
}
