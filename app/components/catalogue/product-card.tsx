import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatMoney } from "~/lib/money";
import type { Frequency } from "~/modules/rating";
import { CompareToggle } from "./compare-toggle";
import { Stars } from "./stars";

export interface CardData {
  slug: string;
  name: string;
  summary: string;
  insurer: { name: string };
  category: { name: string };
  startingPrice: number;
  currency: string;
  reviewCount: number;
  reviewAverage: number | null;
  instalment: { amount: number; frequency: string } | null;
}

/** A product in a list: what it is, who insures it, what it costs a typical customer, and what to do next. */
export function ProductCard({ product, locale, inCompare }: { product: CardData; locale: string; inCompare: boolean }) {
  const { t } = useTranslation("storefront");
  const money = (minor: number) => formatMoney(minor, product.currency, locale);
  const headingId = `product-${product.slug}`;
  return (
    <article className="product-card card" data-product={product.slug} aria-labelledby={headingId}>
      <p className="product-card-meta">
        <span className="badge">{product.category.name}</span> <span className="muted">{product.insurer.name}</span>
      </p>
      <h3 id={headingId}>
        <Link to={`/products/${product.slug}`}>{product.name}</Link>
      </h3>
      <Stars average={product.reviewAverage} count={product.reviewCount} />
      <p className="product-card-summary">{product.summary}</p>
      <p className="product-card-price">
        <span className="muted">{t("card.from")}</span> <strong>{money(product.startingPrice)}</strong>{" "}
        <span className="muted">{t("card.aYear")}</span>
        {product.instalment ? (
          <span className="product-card-instalment">
            {" "}
            {t("card.or")} <strong>{money(product.instalment.amount)}</strong> {t(`per.${product.instalment.frequency as Frequency}`)}
          </span>
        ) : null}
      </p>
      <div className="product-card-actions">
        <Link to={`/products/${product.slug}#quote`} className="btn btn-primary btn-small">
          {t("card.getQuote")}
          <span className="visually-hidden">{t("card.forProduct", { name: product.name })}</span>
        </Link>
        <CompareToggle slug={product.slug} name={product.name} selected={inCompare} />
      </div>
    </article>
  );
}
