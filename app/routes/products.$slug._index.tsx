import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CompareToggle } from "~/components/catalogue/compare-toggle";
import { ProductCard } from "~/components/catalogue/product-card";
import { Stars } from "~/components/catalogue/stars";
import { QuoteForm } from "~/components/quote-form";
import { formatDate } from "~/lib/dates";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { compareHref, reviewsText, waitingText } from "~/modules/catalogue/compare";
import { readCompareSelection } from "~/modules/catalogue/compare.server";
import { pricingContextFor } from "~/modules/catalogue/context.server";
import { describeSample, frequencyChoices, frequencyPrices, samplePrice } from "~/modules/catalogue/pricing";
import { productBySlug, productFaqs, productReviews, relatedProducts } from "~/modules/catalogue/product.server";
import { describeInputs } from "~/modules/rating";
import { requireTenant } from "~/modules/tenancy/resolve.server";
import { lineText } from "~/lib/text";

/*
 * /products/:slug. Named `$slug._index` rather than `$slug` so that /products/:slug/quote (the
 * quote engineer's page) is not nested inside this one as a layout child.
 */
const paramsSchema = z.object({
  slug: lineText()
    .max(100)
    .regex(/^[a-z0-9][a-z0-9-]*$/),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const [found, compare] = await Promise.all([
    withTenant(tenant.id, async (db) => {
      const product = await productBySlug(db, parsed.data.slug);
      if (!product) return null;
      const ctx = pricingContextFor(tenant);
      return {
        ctx,
        product,
        faqs: await productFaqs(db, product.id),
        reviews: await productReviews(db, product.id),
        related: await relatedProducts(db, product, ctx),
      };
    }),
    readCompareSelection(request),
  ]);
  // Unknown, inactive, or another agency's: the same 404.
  if (!found) throw new Response("Not found", { status: 404 });
  const { ctx, product, faqs, reviews, related } = found;
  const sample = samplePrice(product.rating, product.sampleInput, ctx);
  const inCompare = compare.includes(product.slug);
  const { rating, sampleInput: _sampleInput, id: _id, ...shown } = product;
  return json({
    product: shown,
    rating,
    quoteDate: ctx.quoteDate,
    fields: describeInputs(rating, ctx),
    frequencies: frequencyChoices(rating),
    prices: sample ? frequencyPrices(sample) : [],
    sampleText: sample ? describeSample(rating, sample, ctx) : "",
    faqs,
    reviews: reviews.map((r) => ({ ...r, createdAt: formatDate(r.createdAt, tenant.locale, tenant.timeZone) })),
    related,
    compare: { slugs: compare, inCompare, href: compareHref(compare) },
    quoteValidityDays: ctx.quoteValidityDays,
    currency: tenant.currency,
    locale: tenant.locale,
  });
}

export default function ProductPage() {
  const data = useLoaderData<typeof loader>();
  const { product, currency, locale } = data;
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const hasDuties = data.prices.some((p) => p.firstInstalment !== p.instalment && p.frequency !== "annual");
  return (
    <article className="product-page" data-product={product.slug}>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link to="/products">Insurance</Link> <span aria-hidden="true">›</span>{" "}
        <Link to={`/products?category=${product.category.slug}`}>{product.category.name}</Link> <span aria-hidden="true">›</span>{" "}
        <span aria-current="page">{product.name}</span>
      </nav>

      <header className="product-header card">
        <p className="eyebrow">
          {product.category.name} · insured by {product.insurer.name}
        </p>
        <h1>{product.name}</h1>
        <Stars average={product.reviewAverage} count={product.reviewCount} />
        <p className="product-summary">{product.summary}</p>
        <p className="product-price">
          From <strong>{money(product.startingPrice)}</strong> a year
        </p>
        <div className="actions product-actions">
          <a href="#quote" className="btn btn-primary">
            Get a quote
          </a>
          <a href="#quote" className="btn btn-secondary">
            Add to cart
          </a>
          <CompareToggle slug={product.slug} name={product.name} selected={data.compare.inCompare} />
          {data.compare.slugs.length > 0 ? (
            <Link to={data.compare.href} className="header-link">
              See the comparison ({data.compare.slugs.length})
            </Link>
          ) : null}
        </div>
        <p className="muted small">Tell us about what to cover below: we price it and add it to your cart.</p>
      </header>

      <div className="product-columns">
        <div className="stack">
          {product.features.length ? (
            <section className="card" aria-labelledby="features-title">
              <h2 id="features-title">Key features</h2>
              <ul className="ticks">
                {product.features.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </section>
          ) : null}

          {product.description ? (
            <section className="card" aria-labelledby="about-title">
              <h2 id="about-title">About this cover</h2>
              <p>{product.description}</p>
            </section>
          ) : null}

          <section className="card" aria-labelledby="coverage-title">
            <h2 id="coverage-title">Coverage</h2>
            {product.coverage.length ? (
              <dl className="details-list coverage-list">
                {product.coverage.map((c) => (
                  <div key={c.label}>
                    <dt>{c.label}</dt>
                    <dd>{c.value}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
            <dl className="details-list">
              <div>
                <dt>Maximum cover</dt>
                <dd>{product.maxCover === null ? "See the coverage above" : money(product.maxCover)}</dd>
              </div>
              <div>
                <dt>Waiting period</dt>
                <dd>{waitingText(product.waitingPeriodDays)}</dd>
              </div>
              <div>
                <dt>Underwriting</dt>
                <dd>
                  {product.requiresUnderwriting ? "Required: the insurer reviews your application before cover starts" : "Not required"}
                </dd>
              </div>
            </dl>
          </section>

          <section className="card covered" aria-labelledby="covered-title">
            <h2 id="covered-title">What is and is not covered</h2>
            <div className="grid two">
              <div>
                <h3>Covered</h3>
                {product.inclusions.length ? (
                  <ul className="ticks">
                    {product.inclusions.map((i) => (
                      <li key={i}>{i}</li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">See the coverage above.</p>
                )}
              </div>
              <div>
                <h3>Not covered</h3>
                {product.exclusions.length ? (
                  <ul className="crosses">
                    {product.exclusions.map((e) => (
                      <li key={e}>{e}</li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">No exclusions are listed; the policy wording has the full terms.</p>
                )}
              </div>
            </div>
          </section>

          <section className="card" aria-labelledby="prices-title">
            <h2 id="prices-title">Prices per payment frequency</h2>
            {data.prices.length ? (
              <>
                {data.sampleText ? <p className="muted">Typical price for: {data.sampleText}.</p> : null}
                <div className="table-wrap">
                  <table className="data prices-table">
                    <thead>
                      <tr>
                        <th scope="col">How you pay</th>
                        <th scope="col">Each instalment</th>
                        {hasDuties ? <th scope="col">First instalment</th> : null}
                        <th scope="col">Total over a year</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.prices.map((p) => (
                        <tr key={p.frequency}>
                          <th scope="row" data-label="How you pay">
                            {p.label}
                          </th>
                          <td data-label="Each instalment">
                            {money(p.instalment)} {p.per}
                          </td>
                          {hasDuties ? <td data-label="First instalment">{money(p.firstInstalment)}</td> : null}
                          <td data-label="Total over a year">{money(p.yearTotal)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {hasDuties ? <p className="muted small">The first instalment also carries stamp duty, charged once per policy.</p> : null}
                <p className="muted small">Your own price depends on your details: get a quote for the exact figure.</p>
              </>
            ) : (
              <p className="muted">Get a quote below for your price.</p>
            )}
          </section>
        </div>

        <section id="quote" className="card quote-panel" aria-labelledby="quote-title">
          <h2 id="quote-title">Get a quote</h2>
          <p className="muted">Your price, with every line of it, in a moment. A quote holds for {data.quoteValidityDays} days.</p>
          <QuoteForm
            productSlug={product.slug}
            fields={data.fields}
            currency={currency}
            locale={locale}
            frequencies={data.frequencies}
            rating={data.rating}
            quoteDate={data.quoteDate}
          />
        </section>
      </div>

      <section className="card" aria-labelledby="reviews-title">
        <h2 id="reviews-title">Customer reviews</h2>
        <p>
          <Stars average={product.reviewAverage} count={product.reviewCount} />
        </p>
        {data.reviews.length ? (
          <ul className="reviews">
            {data.reviews.map((r) => (
              <li key={r.id} className="review">
                <p>
                  <span className="stars" aria-hidden="true">
                    {"★".repeat(r.rating)}
                    {"☆".repeat(5 - r.rating)}
                  </span>
                  <span className="visually-hidden">{r.rating} out of 5</span> <strong>{r.title}</strong>
                </p>
                {r.body ? <p>{r.body}</p> : null}
                <p className="muted small">
                  {r.author}, {r.createdAt}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No reviews yet. Customers who hold a policy on this product can review it from their account.</p>
        )}
        {product.reviewCount > data.reviews.length ? (
          <p className="muted small">Showing the latest {reviewsText(data.reviews.length)}.</p>
        ) : null}
      </section>

      {data.related.length ? (
        <section aria-labelledby="related-title" className="related">
          <h2 id="related-title">Related products</h2>
          <div className="product-grid">
            {data.related.map((p) => (
              <ProductCard key={p.slug} product={p} locale={locale} inCompare={data.compare.slugs.includes(p.slug)} />
            ))}
          </div>
        </section>
      ) : null}

      {data.faqs.length ? (
        <section className="card" aria-labelledby="faq-title">
          <h2 id="faq-title">Questions and answers</h2>
          {data.faqs.map((f) => (
            <details key={f.question} className="faq">
              <summary>{f.question}</summary>
              <p>{f.answer}</p>
            </details>
          ))}
        </section>
      ) : null}
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const tags = pageTitle(matches, data?.product.name ?? "Product");
  return data ? [...tags, { name: "description", content: data.product.summary }] : tags;
};
