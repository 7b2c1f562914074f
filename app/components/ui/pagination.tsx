import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Previous/next links that keep every other query parameter (filters stay shareable). */
export function Pagination({ page, hasMore }: { page: number; hasMore: boolean }) {
  const location = useLocation();
  const { t } = useTranslation();
  const href = (p: number) => {
    const params = new URLSearchParams(location.search);
    if (p <= 1) params.delete("page");
    else params.set("page", String(p));
    const qs = params.toString();
    return qs ? `?${qs}` : location.pathname;
  };
  if (page <= 1 && !hasMore) return null;
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev">
          {t("pagination.previous")}
        </Link>
      ) : (
        <span />
      )}
      <span>{t("pagination.page", { page })}</span>
      {hasMore ? (
        <Link to={href(page + 1)} rel="next">
          {t("pagination.next")}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

export function pageFrom(request: Request): number {
  const value = Number(new URL(request.url).searchParams.get("page") ?? "1");
  return Number.isInteger(value) && value >= 1 && value <= 10_000 ? value : 1;
}
