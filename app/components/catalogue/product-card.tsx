import { Link } from "@remix-run/react";
import { formatMoney } from "~/lib/money";
import { PER_FREQUENCY } from "~/modules/catalogue/listing-options";
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
        <span className="muted">From</span> <strong>{money(product.startingPrice)}</strong> <span className="muted">a year</span>
        {product.instalment ? (
          <span className="product-card-instalment">
            {" "}
            or <strong>{money(product.instalment.amount)}</strong> {PER_FREQUENCY[product.instalment.frequency as Frequency]}
          </span>
        ) : null}
      </p>
      <div className="product-card-actions">
        <Link to={`/products/${product.slug}#quote`} className="btn btn-primary btn-small">
          Get a quote<span className="visually-hidden"> for {product.name}</span>
        </Link>
        <CompareToggle slug={product.slug} name={product.name} selected={inCompare} />
      </div>
    </article>
  );
}
