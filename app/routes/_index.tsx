import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ProductCard } from "~/components/catalogue/product-card";
import { withTenant } from "~/lib/db.server";
import { readCompareSelection } from "~/modules/catalogue/compare.server";
import { pricingContextFor } from "~/modules/catalogue/context.server";
import { storefrontHome } from "~/modules/catalogue/home.server";
import { siteOf } from "~/modules/tenancy/resolve.server";
import { useRootData } from "~/root";

/** The bare host is Covera's own site; an agency's host is its storefront. */
export async function loader({ request }: LoaderFunctionArgs) {
  const site = await siteOf(request);
  if (site.kind !== "tenant") return json({ kind: site.kind, home: null, compare: [] as string[] });
  const [home, compare] = await Promise.all([
    withTenant(site.tenant.id, async (db) => storefrontHome(db, pricingContextFor(site.tenant))),
    readCompareSelection(request),
  ]);
  return json({ kind: site.kind, home, compare });
}

export default function Home() {
  const { kind } = useLoaderData<typeof loader>();
  return kind === "tenant" ? <StorefrontHome /> : <PlatformHome />;
}

function StorefrontHome() {
  const data = useRootData();
  const { home, compare } = useLoaderData<typeof loader>();
  if (data?.site.kind !== "tenant" || !home) return null;
  const { tenant } = data.site;
  const { figures } = home;
  return (
    <>
      <section className="hero home-hero">
        <h1>{tenant.name}</h1>
        {tenant.branding.tagline ? <p>{tenant.branding.tagline}</p> : null}
        <Form method="get" action="/products" className="hero-search" role="search">
          <label htmlFor="home-q">What would you like to insure?</label>
          <div className="hero-search-row">
            <input id="home-q" type="search" name="q" placeholder="e.g. car, family health, travel" />
            <button type="submit" className="btn btn-secondary">
              Search
            </button>
          </div>
        </Form>
        <p className="hero-links">
          <Link to="/products">Browse all insurance</Link>
          {data.user ? null : (
            <>
              {" · "}
              <Link to="/register">Create your account</Link>
            </>
          )}
        </p>
      </section>

      {home.categories.length ? (
        <section aria-labelledby="categories-title" className="home-section">
          <h2 id="categories-title">Insurance for every part of life</h2>
          <ul className="category-cards">
            {home.categories.map((c) => (
              <li key={c.slug}>
                <Link to={`/products?category=${c.slug}`} className="category-card card" data-category={c.slug}>
                  <strong>{c.name}</strong>
                  <span className="muted">{c.count === 1 ? "1 product" : `${c.count} products`}</span>
                  {c.description ? <span className="small">{c.description}</span> : null}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {home.featured.length ? (
        <section aria-labelledby="featured-title" className="home-section">
          <h2 id="featured-title">Featured cover</h2>
          <div className="product-grid">
            {home.featured.map((p) => (
              <ProductCard key={p.slug} product={p} locale={tenant.locale} inCompare={compare.includes(p.slug)} />
            ))}
          </div>
        </section>
      ) : null}

      <section aria-labelledby="figures-title" className="home-section">
        <h2 id="figures-title">Why customers choose {tenant.name}</h2>
        <dl className="stat-grid trust-figures">
          <div className="stat">
            <dt className="stat-label">Insurers to compare</dt>
            <dd className="stat-value" data-figure="insurers">
              {figures.insurers}
            </dd>
          </div>
          <div className="stat">
            <dt className="stat-label">Products online</dt>
            <dd className="stat-value" data-figure="products">
              {figures.products}
            </dd>
          </div>
          <div className="stat">
            <dt className="stat-label">Customers served</dt>
            <dd className="stat-value" data-figure="customers">
              {figures.customers}
            </dd>
          </div>
          <div className="stat">
            <dt className="stat-label">Average review</dt>
            <dd className="stat-value" data-figure="rating">
              {figures.averageRating === null ? (
                "No reviews yet"
              ) : (
                <>
                  {figures.averageRating.toFixed(1)} out of 5
                  <span className="stat-note"> from {figures.reviews === 1 ? "1 review" : `${figures.reviews} reviews`}</span>
                </>
              )}
            </dd>
          </div>
        </dl>
      </section>

      <section className="home-section" aria-labelledby="how-title">
        <h2 id="how-title">How it works</h2>
        <div className="grid three">
          <div className="card">
            <h3>1. Tell us what to cover</h3>
            <p className="muted">Your car, your family&apos;s health, your home or your travels.</p>
          </div>
          <div className="card">
            <h3>2. Compare real prices</h3>
            <p className="muted">
              Priced quotes from the insurers {tenant.name} works with, in {tenant.currency}, with every line of the price shown.
            </p>
          </div>
          <div className="card">
            <h3>3. Buy and manage online</h3>
            <p className="muted">Pay, download certificates and follow claims from your account.</p>
          </div>
        </div>
      </section>
      <section className="card home-section" aria-label="Contact">
        <h2>Talk to us</h2>
        <p>
          {tenant.contact.phone ? <>Call {tenant.contact.phone}. </> : null}
          {tenant.contact.email ? <>Email {tenant.contact.email}. </> : null}
          {tenant.contact.address ? <>Visit {tenant.contact.address}.</> : null}
        </p>
      </section>
    </>
  );
}

function PlatformHome() {
  const data = useRootData();
  return (
    <section className="narrow stack" style={{ maxWidth: 640 }}>
      <h1>Covera</h1>
      <p>
        The platform insurance agencies run their business on: branded storefronts, back offices, agent networks and payments, one agency
        per host.
      </p>
      <p>
        <Link to={data?.operator ? "/console" : "/console/login"} className="btn btn-primary">
          {data?.operator ? "Open the operator console" : "Operator sign in"}
        </Link>
      </p>
    </section>
  );
}
