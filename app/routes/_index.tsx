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
import { useTranslation } from "react-i18next";

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
  const { t } = useTranslation("storefront");
  if (data?.site.kind !== "tenant" || !home) return null;
  const { tenant } = data.site;
  const { figures } = home;
  return (
    <>
      <section className="hero home-hero">
        <h1>{tenant.name}</h1>
        {tenant.branding.tagline ? <p>{tenant.branding.tagline}</p> : null}
        <Form method="get" action="/products" className="hero-search" role="search">
          <label htmlFor="home-q">{t("home.searchLabel")}</label>
          <div className="hero-search-row">
            <input id="home-q" type="search" name="q" placeholder={t("home.searchPlaceholder")} />
            <button type="submit" className="btn btn-secondary">
              {t("home.search")}
            </button>
          </div>
        </Form>
        <p className="hero-links">
          <Link to="/products">{t("home.browseAll")}</Link>
          {data.user ? null : (
            <>
              {" · "}
              <Link to="/register">{t("home.createAccount")}</Link>
            </>
          )}
        </p>
      </section>

      {home.categories.length ? (
        <section aria-labelledby="categories-title" className="home-section">
          <h2 id="categories-title">{t("home.categoriesTitle")}</h2>
          <ul className="category-cards">
            {home.categories.map((c) => (
              <li key={c.slug}>
                <Link to={`/products?category=${c.slug}`} className="category-card card" data-category={c.slug}>
                  <strong>{c.name}</strong>
                  <span className="muted">{t("home.productCount", { count: c.count })}</span>
                  {c.description ? <span className="small">{c.description}</span> : null}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {home.featured.length ? (
        <section aria-labelledby="featured-title" className="home-section">
          <h2 id="featured-title">{t("home.featuredTitle")}</h2>
          <div className="product-grid">
            {home.featured.map((p) => (
              <ProductCard key={p.slug} product={p} locale={tenant.locale} inCompare={compare.includes(p.slug)} />
            ))}
          </div>
        </section>
      ) : null}

      <section aria-labelledby="figures-title" className="home-section">
        <h2 id="figures-title">{t("home.whyTitle", { name: tenant.name })}</h2>
        <dl className="stat-grid trust-figures">
          <div className="stat">
            <dt className="stat-label">{t("home.insurers")}</dt>
            <dd className="stat-value" data-figure="insurers">
              {figures.insurers}
            </dd>
          </div>
          <div className="stat">
            <dt className="stat-label">{t("home.products")}</dt>
            <dd className="stat-value" data-figure="products">
              {figures.products}
            </dd>
          </div>
          <div className="stat">
            <dt className="stat-label">{t("home.customers")}</dt>
            <dd className="stat-value" data-figure="customers">
              {figures.customers}
            </dd>
          </div>
          <div className="stat">
            <dt className="stat-label">{t("home.averageReview")}</dt>
            <dd className="stat-value" data-figure="rating">
              {figures.averageRating === null ? (
                t("stars.none")
              ) : (
                <>
                  {t("home.outOfFive", {
                    rating: figures.averageRating.toLocaleString(tenant.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
                  })}
                  <span className="stat-note"> {t("home.fromReviews", { count: figures.reviews })}</span>
                </>
              )}
            </dd>
          </div>
        </dl>
      </section>

      <section className="home-section" aria-labelledby="how-title">
        <h2 id="how-title">{t("home.howTitle")}</h2>
        <div className="grid three">
          <div className="card">
            <h3>{t("home.step1Title")}</h3>
            <p className="muted">{t("home.step1Body")}</p>
          </div>
          <div className="card">
            <h3>{t("home.step2Title")}</h3>
            <p className="muted">{t("home.step2Body", { name: tenant.name, currency: tenant.currency })}</p>
          </div>
          <div className="card">
            <h3>{t("home.step3Title")}</h3>
            <p className="muted">{t("home.step3Body")}</p>
          </div>
        </div>
      </section>
      <section className="card home-section" aria-label={t("home.contactLabel")}>
        <h2>{t("home.talkTitle")}</h2>
        <p>
          {tenant.contact.phone ? <>{t("home.call", { phone: tenant.contact.phone })} </> : null}
          {tenant.contact.email ? <>{t("home.email", { email: tenant.contact.email })} </> : null}
          {tenant.contact.address ? <>{t("home.visit", { address: tenant.contact.address })}</> : null}
        </p>
      </section>
    </>
  );
}

function PlatformHome() {
  const data = useRootData();
  const { t } = useTranslation("storefront");
  return (
    <section className="narrow stack" style={{ maxWidth: 640 }}>
      <h1>Covera</h1>
      <p>{t("platform.intro")}</p>
      <p>
        <Link to={data?.operator ? "/console" : "/console/login"} className="btn btn-primary">
          {data?.operator ? t("platform.console") : t("platform.signIn")}
        </Link>
      </p>
    </section>
  );
}
