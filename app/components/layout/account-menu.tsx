import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

/**
 * The signed-in customer's menu in the storefront header: a disclosure (details/summary), so it
 * opens and signs out without JavaScript and adds nothing to the page's script. With JavaScript
 * it also closes on Escape (focus back on its button), on a click elsewhere and after navigating.
 */
export function AccountMenu({ name, email, links }: { name: string; email: string; links: { to: string; label: string }[] }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  const { t } = useTranslation();
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [location]);
  useEffect(() => {
    const close = (event: MouseEvent | KeyboardEvent) => {
      const menu = ref.current;
      if (!menu?.open) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== "Escape") return;
        menu.open = false;
        menu.querySelector("summary")?.focus();
      } else if (!menu.contains(event.target as Node)) {
        menu.open = false;
      }
    };
    document.addEventListener("click", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("click", close);
      document.removeEventListener("keydown", close);
    };
  }, []);
  return (
    <details className="account-menu" ref={ref}>
      <summary className="menu-trigger" aria-label={t("accountMenu")}>
        <span className="avatar" aria-hidden>
          {initials(name)}
        </span>
      </summary>
      <div className="menu-content">
        <p className="menu-label">
          <span className="menu-name">{name}</span>
          <span className="menu-email">{email}</span>
        </p>
        <hr className="menu-separator" />
        <ul className="menu-list">
          {links.map((link) => (
            <li key={link.to} className="menu-item">
              <Link to={link.to}>{link.label}</Link>
            </li>
          ))}
        </ul>
        <hr className="menu-separator" />
        <Form method="post" action="/logout" className="menu-item">
          <button type="submit">{t("signOut")}</button>
        </Form>
      </div>
    </details>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join("");
}
