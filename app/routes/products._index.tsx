import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import { ProductCard } from "~/components/catalogue/product-card";
import { Button } from "~/components/ui/button";
import { Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { readCompareSelection } from "~/modules/catalogue/compare.server";
import { SORTS } from "~/modules/catalogue/listing-options";
import { Trans, useTranslation } from "react-i18next";
import { useErrorText } from "~/components/ui/field";
import { serverT } from "~/modules/i18n/i18n.server";
import { listingPage } from "~/modules/catalogue/listing.server";
import { requireTenant } from "~/modules/tenancy/resolve.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const [page, compare] = await Promise.all([
    withTenant(tenant.id, (db) => listingPage(db, tenant, new URL(request.url).searchParams)),
    readCompareSelection(request),
  ]);
  const t = await serverT(tenant.language, "storefront");
  const title = page.form.q ? t("listing.matching", { q: page.form.q }) : t("listing.title");
  return json({ ...page, compare, locale: tenant.locale, currency: tenant.currency, title });
}

export default function Products() {
  const { form, errors, filtered, chips, facets, listing, compare, locale, currency } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { t } = useTranslation("storefront");
  const errorText = useErrorText();
  const submit = useSubmit();
  const location = useLocation();
  // Wide screens show the filters beside the results; phones keep them folded until asked for.
  const [wide, setWide] = useState(false);
  useEffect(() => setWide(window.matchMedia("(min-width: 900px)").matches), []);
  const autoSubmit = (event: FormEvent<HTMLFormElement>) => {
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    if (target.type === "checkbox" || target.tagName === "SELECT") submit(event.currentTarget, { preventScrollReset: true });
  };
  const first = (listing.page - 1) * listing.pageSize + 1;
  const last = first + listing.results.length - 1;
  const busy = navigation.state === "loading" && navigation.location.pathname === "/products";
  const options = SORTS.filter((s) => s !== "relevance" || form.q);

  return (
    <div className="listing">
      <div className="page-head">
        <div>
          <h1>{form.q ? t("listing.matching", { q: form.q }) : t("listing.title")}</h1>
          <p className="muted" aria-live="polite" data-testid="result-count">
            {t("listing.count", { count: listing.total })}
            {filtered ? t("listing.match") : t("listing.toChoose")}
            {listing.results.length ? t("listing.showing", { first, last, page: listing.page, pages: listing.pages }) : "."}
          </p>
        </div>
      </div>

      {/* The results sit outside the GET form: each card has its own compare form, and forms cannot nest. */}
      <div className="listing-layout">
        <Form
          // Fields start from the URL: a new search (a chip removed, the back button) starts them afresh.
          key={location.search}
          method="get"
          action="/products"
          className="listing-form"
          onChange={autoSubmit}
          aria-label={t("listing.formLabel")}
        >
          <div className="listing-search" role="search">
            <div className={`field grow${errors.q ? " field-invalid" : ""}`}>
              <label htmlFor="listing-q">{t("listing.search")}</label>
              <input id="listing-q" type="search" name="q" defaultValue={form.q} placeholder={t("listing.searchPlaceholder")} />
              {errors.q ? <p className="field-error">{errorText(errors.q)}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="listing-sort">{t("listing.sortBy")}</label>
              <select id="listing-sort" name="sort" defaultValue={form.sort}>
                {options.map((s) => (
                  <option key={s} value={s}>
                    {t(`sort.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <Button type="submit" busy={busy}>
              {t("listing.search")}
            </Button>
          </div>

          {chips.length ? (
            <div className="chips" aria-label={t("listing.activeFilters")}>
              <ul>
                {chips.map((chip) => (
                  <li key={`${chip.kind}-${chip.label}`}>
                    <Link to={chip.removeHref} className="chip" preventScrollReset>
                      <span className="visually-hidden">{chip.kind}: </span>
                      {chip.label}
                      <span aria-hidden="true"> ×</span>
                      <span className="visually-hidden">{t("listing.removeFilter")}</span>
                    </Link>
                  </li>
                ))}
              </ul>
              <Link to="/products" className="chips-clear">
                {t("listing.clearAll")}
              </Link>
            </div>
          ) : null}

          <details className="filters-panel" open={wide || undefined}>
            <summary>
              {t("listing.filters")}
              {chips.length ? ` (${chips.length})` : ""}
            </summary>
            <div className="filters-panel-body">
              <fieldset>
                <legend>{t("listing.typeOfCover")}</legend>
                {facets.categories.map((c) => (
                  <div className="checkbox" key={c.slug}>
                    <input
                      type="checkbox"
                      id={`cat-${c.slug}`}
                      name="category"
                      value={c.slug}
                      defaultChecked={form.categories.includes(c.slug)}
                    />
                    <label htmlFor={`cat-${c.slug}`}>
                      {c.name} <span className="muted">({c.count})</span>
                    </label>
                  </div>
                ))}
                {errors.category ? <p className="field-error">{errorText(errors.category)}</p> : null}
              </fieldset>
              <fieldset>
                <legend>{t("listing.insurer")}</legend>
                {facets.insurers.map((i) => (
                  <div className="checkbox" key={i.slug}>
                    <input
                      type="checkbox"
                      id={`ins-${i.slug}`}
                      name="insurer"
                      value={i.slug}
                      defaultChecked={form.insurers.includes(i.slug)}
                    />
                    <label htmlFor={`ins-${i.slug}`}>
                      {i.name} <span className="muted">({i.count})</span>
                    </label>
                  </div>
                ))}
                {errors.insurer ? <p className="field-error">{errorText(errors.insurer)}</p> : null}
              </fieldset>
              <fieldset>
                <legend>{t("listing.priceYear", { currency })}</legend>
                <PriceField id="listing-min" name="minPrice" label={t("listing.from")} value={form.minPrice} errors={errors.minPrice} />
                <PriceField id="listing-max" name="maxPrice" label={t("listing.upTo")} value={form.maxPrice} errors={errors.maxPrice} />
              </fieldset>
              <Button type="submit" variant="secondary">
                {t("listing.apply")}
              </Button>
            </div>
          </details>
        </Form>

        <section className="listing-results" aria-label={t("listing.products")}>
          {listing.results.length === 0 ? (
            <div className="card empty">
              {filtered ? (
                <p>
                  <Trans t={t} i18nKey="listing.nothing" components={{ all: <Link to="/products" /> }} />
                </p>
              ) : listing.page > 1 ? (
                <p>
                  <Trans t={t} i18nKey="listing.noPage" values={{ page: listing.page }} components={{ first: <Link to="/products" /> }} />
                </p>
              ) : (
                <p>{t("listing.none")}</p>
              )}
            </div>
          ) : (
            <div className="product-grid">
              {listing.results.map((product) => (
                <ProductCard key={product.slug} product={product} locale={locale} inCompare={compare.includes(product.slug)} />
              ))}
            </div>
          )}
          <Pagination page={listing.page} hasMore={listing.page < listing.pages} />
        </section>
      </div>
    </div>
  );
}

function PriceField({ id, name, label, value, errors }: { id: string; name: string; label: string; value: string; errors?: string[] }) {
  const invalid = Boolean(errors?.length);
  const errorText = useErrorText();
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        inputMode="decimal"
        defaultValue={value}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
      />
      {invalid ? (
        <p className="field-error" id={`${id}-error`}>
          {errorText(errors)}
        </p>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Insurance");
