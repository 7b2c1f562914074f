import { Link, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { currentLink, type VisibleGroup } from "./nav";

/**
 * The back office's grouped navigation. On a desktop it is a sidebar that is always shown; on a
 * phone it folds behind a "Menu" disclosure (details/summary, like the storefront's account menu),
 * which opens without JavaScript — the content security policy allows no inline script.
 */
export function BackOfficeMenu({ groups }: { groups: VisibleGroup[] }) {
  const { t } = useTranslation("admin");
  const ref = useRef<HTMLDetailsElement>(null);
  const { pathname } = useLocation();
  const current = currentLink(groups, pathname);
  // With JavaScript a link changes the page in place, so fold the phone's menu again after it.
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [pathname]);
  return (
    <details className="backoffice-menu" ref={ref}>
      <summary>
        {t("menu.toggle")}
        {current ? <span className="backoffice-menu-current"> · {t(`menu.links.${current.key}`)}</span> : null}
      </summary>
      <nav className="backoffice-nav" aria-label={t("menu.label")}>
        {groups.map((group) => (
          <div key={group.id} className="backoffice-nav-group">
            <span className="backoffice-nav-heading" id={`backoffice-nav-${group.id}`}>
              {t(`menu.groups.${group.id}`)}
            </span>
            <ul aria-labelledby={`backoffice-nav-${group.id}`}>
              {group.links.map((link) => (
                <li key={link.to}>
                  <Link to={link.to} aria-current={link.to === current?.to ? "page" : undefined}>
                    {t(`menu.links.${link.key}`)}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
    </details>
  );
}
