import { Form, Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { useRootData } from "~/root";

/** The platform site (bare host): Covera's own frame and the operator console navigation. */
export function PlatformShell({ children }: { children: ReactNode }) {
  const data = useRootData();
  const operator = data?.operator;
  return (
    <div className="shell platform">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-row">
          <Link to="/" className="brand">
            <img src="/favicon.svg" alt="" width={32} height={32} />
            <span>Covera</span>
          </Link>
          <nav className="header-nav" aria-label="Console">
            {operator ? (
              <>
                <NavLink to="/console" end className="header-link">
                  Agencies
                </NavLink>
                <NavLink to="/console/outbox" className="header-link">
                  Outbox
                </NavLink>
                <NavLink to="/console/audit" className="header-link">
                  Audit
                </NavLink>
                <NavLink to="/console/alerts" className="header-link">
                  Alerts
                </NavLink>
                <Form method="post" action="/console/logout">
                  <button type="submit" className="btn btn-ghost btn-small">
                    Sign out
                  </button>
                </Form>
              </>
            ) : data ? (
              <Link to="/console/login" className="header-link">
                Operator sign in
              </Link>
            ) : null}
          </nav>
        </div>
      </header>
      <main id="main" className="container main">
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">
          <p className="muted">Covera — the platform insurance agencies run their business on.</p>
        </div>
      </footer>
    </div>
  );
}
