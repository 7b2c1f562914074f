import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { safeRedirect } from "~/modules/auth/guards.server";
import { compareHref, compareSelectionFrom, compareTable, MAX_COMPARE, SLUG_PATTERN, type CompareCell } from "~/modules/catalogue/compare";
import { changeSelection, readCompareSelection, writeCompareSelection } from "~/modules/catalogue/compare.server";
import { pricingContextFor } from "~/modules/catalogue/context.server";
import { productBySlug, productsBySlugs } from "~/modules/catalogue/product.server";
import { originOf, requireTenant } from "~/modules/tenancy/resolve.server";
import { lineText } from "~/lib/text";
import { readForm } from "~/lib/forms";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

const actionSchema = z.object({
  intent: z.enum(["add", "remove", "clear"]),
  slug: lineText().regex(SLUG_PATTERN).optional(),
  // A target that is not one line of text is dropped: back to the comparison.
  redirectTo: lineText().optional().catch(undefined),
});

/**
 * /compare?p=<slug>&p=<slug>&p=<slug>: the URL is the comparison (shareable); the `compare`
 * cookie remembers the choice while the visitor browses, and follows what this page shows.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const url = new URL(request.url);
  const remembered = await readCompareSelection(request);
  const asked = url.searchParams.getAll("p");
  if (!asked.length && remembered.length) throw redirect(compareHref(remembered));
  const { slugs, extra } = compareSelectionFrom(asked);
  const full = lineText().regex(SLUG_PATTERN).safeParse(url.searchParams.get("full"));
  const ctx = pricingContextFor(tenant);
  const { products, refused } = await withTenant(tenant.id, async (db) => ({
    products: await productsBySlugs(db, slugs),
    refused: full.success ? await productBySlug(db, full.data) : null,
  }));
  const shown = products.map((p) => p.slug);
  const t = await serverT(tenant.language, "storefront");
  const headers = new Headers();
  if (shown.join(",") !== remembered.join(",")) headers.append("Set-Cookie", await writeCompareSelection(shown));
  return json(
    {
      table: compareTable(products, ctx, t),
      missing: slugs.filter((s) => !shown.includes(s)),
      extra,
      refused: refused ? refused.name : null,
      shareUrl: `${originOf(request)}${compareHref(shown)}`,
      pdfHref: compareHref(shown, "/compare.pdf"),
      title: products.length ? t("compare.titleOf", { products: products.map((p) => p.name).join(t("compare.vs")) }) : t("compare.title"),
    },
    { headers },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("Choose a product to compare.", { status: 400 });
  const { intent, slug, redirectTo } = parsed.data;
  if (intent === "add") {
    // Only this agency's live products go into the selection; anything else is not found.
    const product = slug ? await withTenant(tenant.id, (db) => productBySlug(db, slug)) : null;
    if (!product) throw new Response("Not found", { status: 404 });
  }
  const current = await readCompareSelection(request);
  const change = changeSelection(current, intent, slug);
  if (change.refused) throw redirect(`${compareHref(change.slugs)}&full=${slug}`);
  const back = safeRedirect(request, redirectTo, compareHref(change.slugs));
  // Back to the comparison means the new comparison, not the URL that still names the old one.
  const to = back === "/compare" || back.startsWith("/compare?") ? compareHref(change.slugs) : back;
  return redirect(to, { headers: { "Set-Cookie": await writeCompareSelection(change.slugs) } });
}

export default function Compare() {
  const data = useLoaderData<typeof loader>();
  const { products, sections } = data.table;
  const { t } = useTranslation("storefront");
  return (
    <section className="compare-page">
      <div className="page-head">
        <div>
          <h1>{t("compare.title")}</h1>
          <p className="muted">{t("compare.intro", { max: MAX_COMPARE })}</p>
        </div>
      </div>
      {data.extra.length ? (
        <Alert tone="warning" title={t("compare.tooManyTitle", { max: MAX_COMPARE })}>
          {data.extra.length === 1 ? t("compare.leftOutOne") : t("compare.leftOutMany", { number: data.extra.length })}
        </Alert>
      ) : null}
      {data.refused ? (
        <Alert tone="warning" title={t("compare.fullTitle", { max: MAX_COMPARE })}>
          {t("compare.full", { name: data.refused })}
        </Alert>
      ) : null}
      {data.missing.length ? (
        <Alert tone="info">
          {data.missing.length === 1 ? t("compare.missingOne") : t("compare.missingMany", { number: data.missing.length })}
        </Alert>
      ) : null}

      {products.length === 0 ? (
        <div className="card empty">
          <p>{t("compare.empty", { max: MAX_COMPARE })}</p>
          <p>
            <Link to="/products" className="btn btn-primary">
              {t("compare.browse")}
            </Link>
          </p>
        </div>
      ) : (
        <>
          <div className="compare-tools">
            <a href={data.pdfHref} className="btn btn-secondary btn-small" download>
              {t("compare.download")}
            </a>
            <a href={data.shareUrl} className="btn btn-ghost btn-small" rel="bookmark">
              {t("compare.share")}
            </a>
            <label className="share-url">
              <span className="visually-hidden">{t("compare.link")}</span>
              <input readOnly value={data.shareUrl} onFocus={(e) => e.currentTarget.select()} />
            </label>
            <Form method="post" action="/compare">
              <input type="hidden" name="intent" value="clear" />
              <button type="submit" className="link-button">
                {t("compare.clear")}
              </button>
            </Form>
            {products.length < MAX_COMPARE ? <Link to="/products">{t("compare.addAnother")}</Link> : null}
          </div>
          <div className="table-wrap">
            <table className="data compare-table">
              <caption className="visually-hidden">{t("compare.caption", { products: products.map((p) => p.name).join(", ") })}</caption>
              <thead>
                <tr>
                  <td />
                  {products.map((p) => (
                    <th key={p.slug} scope="col">
                      <Link to={`/products/${p.slug}`}>{p.name}</Link>
                      <span className="muted small compare-insurer">{p.insurer}</span>
                      <Form method="post" action="/compare">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="slug" value={p.slug} />
                        <button type="submit" className="link-button small">
                          {t("compare.remove")}
                          <span className="visually-hidden"> {p.name}</span>
                        </button>
                      </Form>
                    </th>
                  ))}
                </tr>
              </thead>
              {sections.map((section) => (
                <tbody key={section.title}>
                  <tr className="compare-section">
                    <th scope="colgroup" colSpan={products.length + 1}>
                      {section.title}
                    </th>
                  </tr>
                  {section.rows.map((row) => (
                    <tr key={row.label} className={row.differs ? "differs" : undefined}>
                      <th scope="row">{row.label}</th>
                      {row.cells.map((cell, i) => (
                        <td key={products[i]!.slug} data-label={products[i]!.name} className={row.differs ? "differs" : undefined}>
                          <CellText cell={cell} />
                          {row.differs ? <span className="visually-hidden"> {t("compare.differs")}</span> : null}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              ))}
              <tfoot>
                <tr>
                  <td />
                  {products.map((p) => (
                    <td key={p.slug} data-label={p.name}>
                      <Link to={`/products/${p.slug}#quote`} className="btn btn-primary btn-small">
                        {t("card.getQuote")}
                        <span className="visually-hidden">{t("card.forProduct", { name: p.name })}</span>
                      </Link>
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function CellText({ cell }: { cell: CompareCell }) {
  if (cell.mark === "yes" && cell.symbol)
    return (
      <>
        <span aria-hidden="true" className="mark-yes">
          ✓
        </span>
        <span className="visually-hidden">{cell.text}</span>
      </>
    );
  if (cell.mark === "no" && cell.symbol)
    return (
      <>
        <span aria-hidden="true" className="mark-no">
          —
        </span>
        <span className="visually-hidden">{cell.text}</span>
      </>
    );
  return <>{cell.text}</>;
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Compare insurance");
