import { Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { currencyName } from "~/lib/money";
import { useRootData } from "~/root";
import { AccountMenu } from "./account-menu";

/** An agency's storefront frame: its name, logo, colours and contacts; nothing of any other. */
export function StorefrontShell({ children }: { children: ReactNode }) {
  const data = useRootData();
  if (data?.site.kind !== "tenant") return <>{children}</>;
  const { tenant } = data.site;
  const user = data.user;
  const backOffice = user?.permissions.includes("read:backoffice:any");
  // Agents of an agency that runs a network have their own portal.
  const agentPortal = tenant.features.agentNetwork && user?.permissions.includes("read:network:own");
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-row">
          <Link to="/" className="brand" aria-label={`${tenant.name} home`}>
            {tenant.branding.logoUrl ? <img src={tenant.branding.logoUrl} alt="" width={36} height={36} /> : null}
            <span>{tenant.name}</span>
          </Link>
          <nav className="header-nav store-nav" aria-label="Main">
            <NavLink to="/products" className="header-link">
              Insurance
            </NavLink>
            <NavLink to="/compare" className="header-link">
              Compare{data.compareCount ? ` (${data.compareCount})` : ""}
            </NavLink>
          </nav>
          <nav className="header-nav" aria-label="Account">
            <Link
              to="/cart"
              className="header-link cart-link"
              aria-label={`Cart, ${data.cartCount} ${data.cartCount === 1 ? "item" : "items"}`}
            >
              Cart ({data.cartCount})
            </Link>
            {agentPortal ? (
              <NavLink to="/agent" className="header-link hide-sm">
                Agent portal
              </NavLink>
            ) : null}
            {backOffice ? (
              <NavLink to="/admin" className="header-link hide-sm">
                Back office
              </NavLink>
            ) : null}
            {user ? (
              <AccountMenu
                name={user.name}
                email={user.email}
                links={[
                  { to: "/account", label: "My account" },
                  { to: "/account/policies", label: "My policies" },
                  { to: "/account/payments", label: "Payments" },
                  ...(agentPortal ? [{ to: "/agent", label: "Agent portal" }] : []),
                  ...(backOffice ? [{ to: "/admin", label: "Back office" }] : []),
                ]}
              />
            ) : (
              <>
                <Link to="/login" className="header-link">
                  Sign in
                </Link>
                <Link to="/register" className="btn btn-primary btn-small">
                  Create account
                </Link>
              </>
            )}
          </nav>
        </div>
      </header>
      {user && !user.emailVerified ? (
        <div className="banner" role="status">
          <div className="container">
            Please confirm your email address: we sent a link to {user.email}. <Link to="/account/security#verify">Send it again</Link>
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
            <nav aria-label="Footer">
              <Link to="/facilities">Panel hospitals and clinics</Link>
            </nav>
          </div>
          <address>
            {tenant.contact.address ? <p>{tenant.contact.address}</p> : null}
            {tenant.contact.phone ? (
              <p>
                Phone: <a href={`tel:${tenant.contact.phone.replace(/\s/g, "")}`}>{tenant.contact.phone}</a>
              </p>
            ) : null}
            {tenant.contact.email ? (
              <p>
                Email: <a href={`mailto:${tenant.contact.email}`}>{tenant.contact.email}</a>
              </p>
            ) : null}
          </address>
          <div className="muted">
            <p>
              Prices in {currencyName(tenant.currency, tenant.locale)} ({tenant.currency})
            </p>
            <p>Times shown in {tenant.timeZone.replace("_", " ")}</p>
          </div>
        </div>
      </footer>
    </div>
  );
}
