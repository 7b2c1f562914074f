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
import { compareHref } from "~/modules/catalogue/compare";
import { Trans, useTranslation } from "react-i18next";
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
  const { t } = useTranslation("storefront");
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const waiting = (days: number) => (days === 0 ? t("none") : t("days", { count: days }));
  const hasDuties = data.prices.some((p) => p.firstInstalment !== p.instalment && p.frequency !== "annual");
  return (
    <article className="product-page" data-product={product.slug}>
      <nav aria-label={t("product.breadcrumb")} className="breadcrumbs">
        <Link to="/products">{t("product.insurance")}</Link> <span aria-hidden="true">›</span>{" "}
        <Link to={`/products?category=${product.category.slug}`}>{product.category.name}</Link> <span aria-hidden="true">›</span>{" "}
        <span aria-current="page">{product.name}</span>
      </nav>

      <header className="product-header card">
        <p className="eyebrow">{t("product.insuredBy", { category: product.category.name, insurer: product.insurer.name })}</p>
        <h1>{product.name}</h1>
        <Stars average={product.reviewAverage} count={product.reviewCount} />
        <p className="product-summary">{product.summary}</p>
        <p className="product-price">
          <Trans t={t} i18nKey="product.from" values={{ price: money(product.startingPrice) }} components={{ strong: <strong /> }} />
        </p>
        <div className="actions product-actions">
          <a href="#quote" className="btn btn-primary">
            {t("product.getQuote")}
          </a>
          <a href="#quote" className="btn btn-secondary">
            {t("product.addToCart")}
          </a>
          <CompareToggle slug={product.slug} name={product.name} selected={data.compare.inCompare} />
          {data.compare.slugs.length > 0 ? (
            <Link to={data.compare.href} className="header-link">
              {t("product.seeComparison", { count: data.compare.slugs.length })}
            </Link>
          ) : null}
        </div>
        <p className="muted small">{t("product.tellUs")}</p>
      </header>

      <div className="product-columns">
        <div className="stack">
          {product.features.length ? (
            <section className="card" aria-labelledby="features-title">
              <h2 id="features-title">{t("product.features")}</h2>
              <ul className="ticks">
                {product.features.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </section>
          ) : null}

          {product.description ? (
            <section className="card" aria-labelledby="about-title">
              <h2 id="about-title">{t("product.about")}</h2>
              <p>{product.description}</p>
            </section>
          ) : null}

          <section className="card" aria-labelledby="coverage-title">
            <h2 id="coverage-title">{t("product.coverage")}</h2>
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
                <dt>{t("product.maxCover")}</dt>
                <dd>{product.maxCover === null ? t("product.seeCoverage") : money(product.maxCover)}</dd>
              </div>
              <div>
                <dt>{t("product.waiting")}</dt>
                <dd>{waiting(product.waitingPeriodDays)}</dd>
              </div>
              <div>
                <dt>{t("product.underwriting")}</dt>
                <dd>{product.requiresUnderwriting ? t("product.underwritingRequired") : t("product.notRequired")}</dd>
              </div>
            </dl>
          </section>

          <section className="card covered" aria-labelledby="covered-title">
            <h2 id="covered-title">{t("product.coveredTitle")}</h2>
            <div className="grid two">
              <div>
                <h3>{t("product.covered")}</h3>
                {product.inclusions.length ? (
                  <ul className="ticks">
                    {product.inclusions.map((i) => (
                      <li key={i}>{i}</li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">{t("product.seeCoverageAbove")}</p>
                )}
              </div>
              <div>
                <h3>{t("product.notCovered")}</h3>
                {product.exclusions.length ? (
                  <ul className="crosses">
                    {product.exclusions.map((e) => (
                      <li key={e}>{e}</li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">{t("product.noExclusions")}</p>
                )}
              </div>
            </div>
          </section>

          <section className="card" aria-labelledby="prices-title">
            <h2 id="prices-title">{t("product.pricesTitle")}</h2>
            {data.prices.length ? (
              <>
                {data.sampleText ? <p className="muted">{t("product.typical", { sample: data.sampleText })}</p> : null}
                <div className="table-wrap">
                  <table className="data prices-table">
                    <thead>
                      <tr>
                        <th scope="col">{t("product.howYouPay")}</th>
                        <th scope="col">{t("product.eachInstalment")}</th>
                        {hasDuties ? <th scope="col">{t("product.firstInstalment")}</th> : null}
                        <th scope="col">{t("product.yearTotal")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.prices.map((p) => (
                        <tr key={p.frequency}>
                          <th scope="row" data-label={t("product.howYouPay")}>
                            {t(`frequency.${p.frequency}`)}
                          </th>
                          <td data-label={t("product.eachInstalment")}>
                            {money(p.instalment)} {t(`per.${p.frequency}`)}
                          </td>
                          {hasDuties ? <td data-label={t("product.firstInstalment")}>{money(p.firstInstalment)}</td> : null}
                          <td data-label={t("product.yearTotal")}>{money(p.yearTotal)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {hasDuties ? <p className="muted small">{t("product.stampDuty")}</p> : null}
                <p className="muted small">{t("product.ownPrice")}</p>
              </>
            ) : (
              <p className="muted">{t("product.quoteBelow")}</p>
            )}
          </section>
        </div>

        <section id="quote" className="card quote-panel" aria-labelledby="quote-title">
          <h2 id="quote-title">{t("product.getQuote")}</h2>
          <p className="muted">{t("product.quoteIntro", { count: data.quoteValidityDays })}</p>
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
        <h2 id="reviews-title">{t("product.reviews")}</h2>
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
                  <span className="visually-hidden">{t("product.outOfFive", { rating: r.rating })}</span> <strong>{r.title}</strong>
                </p>
                {r.body ? <p>{r.body}</p> : null}
                <p className="muted small">
                  {r.author}, {r.createdAt}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("product.noReviews")}</p>
        )}
        {product.reviewCount > data.reviews.length ? (
          <p className="muted small">{t("product.latest", { count: data.reviews.length })}</p>
        ) : null}
      </section>

      {data.related.length ? (
        <section aria-labelledby="related-title" className="related">
          <h2 id="related-title">{t("product.related")}</h2>
          <div className="product-grid">
            {data.related.map((p) => (
              <ProductCard key={p.slug} product={p} locale={locale} inCompare={data.compare.slugs.includes(p.slug)} />
            ))}
          </div>
        </section>
      ) : null}

      {data.faqs.length ? (
        <section className="card" aria-labelledby="faq-title">
          <h2 id="faq-title">{t("product.faq")}</h2>
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
