import { NavLink } from "@remix-run/react";
import { useRootData } from "~/root";

/** The account area's own navigation: the same tabs on every account page. */
export function AccountNav() {
  const member = useRootData()?.user?.member ?? false;
  return (
    <nav className="subnav account-nav" aria-label="Your account">
      <NavLink to="/account" end>
        Overview
      </NavLink>
      <NavLink to="/account/policies">My policies</NavLink>
      <NavLink to="/account/payments">Payments</NavLink>
      <NavLink to="/account/payment-methods">Payment methods</NavLink>
      <NavLink to="/account/claims">My claims</NavLink>
      {member ? <NavLink to="/account/benefits">My benefits</NavLink> : null}
      <NavLink to="/account/documents">Documents</NavLink>
      <NavLink to="/account/profile">Profile</NavLink>
      <NavLink to="/account/security">Security</NavLink>
      <NavLink to="/account/privacy">Privacy</NavLink>
    </nav>
  );
}
