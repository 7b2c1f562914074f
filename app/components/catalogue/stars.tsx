import { useTranslation } from "react-i18next";
import type { CSSProperties } from "react";

/**
 * A product's rating: stars drawn for the eye, the same in words for screen readers
 * ("4.5 out of 5, 12 reviews"). Nothing is invented before the first review.
 */
export function Stars({ average, count }: { average: number | null; count: number }) {
  const { t } = useTranslation("storefront");
  if (average === null || count === 0) return <span className="stars-none muted">{t("stars.none")}</span>;
  const rounded = Math.round(average * 10) / 10;
  const words = t("stars.words", { rating: rounded.toFixed(1), count });
  return (
    <span className="stars-line">
      <span className="stars" aria-hidden="true" style={{ "--stars": rounded } as CSSProperties}>
        ★★★★★
      </span>
      <span className="visually-hidden">{words}</span>
      <span aria-hidden="true" className="stars-text">
        {rounded.toFixed(1)} ({count})
      </span>
    </span>
  );
}
