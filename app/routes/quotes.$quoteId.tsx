import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Fragment } from "react";
import { z } from "zod";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { clientOf, countRequest, keepRetryAfter, refusedWith } from "~/modules/abuse/rate-limit.server";
import { optionalUser } from "~/modules/auth/guards.server";
import { addToCart, cartHoldsQuote, cartOwner } from "~/modules/cart/cart.server";
import { setCartCookie } from "~/modules/cart/cookie.server";
import { describeQuoteInputs } from "~/modules/quotes/form";
import { getQuote, requote } from "~/modules/quotes/quotes.server";
import { describeInputs } from "~/modules/rating";
import { requireTenant } from "~/modules/tenancy/resolve.server";
import { readForm } from "~/lib/forms";
import { useTranslation } from "react-i18next";
import { useErrorText } from "~/components/ui/field";
import { serverT } from "~/modules/i18n/i18n.server";

const intentSchema = z.object({ intent: z.enum(["add", "refresh"]) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const quoteId = uuidParam(params, "quoteId");
  const user = await optionalUser(request);
  const owner = await cartOwner(request, user?.id ?? null);
  const found = await withTenant(tenant.id, async (db) => {
    const quote = await getQuote(db, quoteId);
    if (!quote) return null;
    const product = await db.selectFrom("products").select("rating").where("id", "=", quote.productId).executeTakeFirstOrThrow();
    return { quote, rating: product.rating, inCart: await cartHoldsQuote(db, owner, quote.id) };
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { quote, rating, inCart } = found;
  const money = (minor: number) => formatMoney(minor, quote.currency, tenant.locale);
  const fields = describeInputs(rating, { currency: quote.currency, locale: tenant.locale, quoteDate: quote.breakdown.quoteDate });
  return json({
    quote: {
      id: quote.id,
      reference: quote.reference,
      productSlug: quote.productSlug,
      productName: quote.productName,
      productActive: quote.productActive,
      insurerName: quote.insurerName,
      currency: quote.currency,
      frequency: quote.frequency,
      lines: quote.breakdown.lines,
      levies: quote.breakdown.levies,
      basePremium: quote.breakdown.basePremium,
      totalLevies: quote.breakdown.totalLevies,
      total: quote.breakdown.total,
      frequencies: quote.breakdown.frequencies,
      payable: quote.payable,
      expired: quote.expired,
      validUntil: formatDate(quote.validUntil, tenant.locale, tenant.timeZone),
      validUntilIso: quote.validUntil.toISOString(),
      quotedOn: formatDate(quote.createdAt, tenant.locale, tenant.timeZone),
    },
    details: describeQuoteInputs(fields, quote.inputs, money),
    inCart,
    locale: tenant.locale,
    title: (await serverT(tenant.language, "storefront"))("quote.title", { reference: quote.reference, name: quote.productName }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const quoteId = uuidParam(params, "quoteId");
  const user = await optionalUser(request);
  const parsed = intentSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return json({ error: "Choose what to do with this quote." }, { status: 400 });

  if (parsed.data.intent === "refresh") {
    // A renewed quote is a new quote: it counts like the quote form's (decision 012).
    const counted = await countRequest("quote", tenant.id, clientOf(request, user?.id));
    if (counted.limited) return refusedWith(counted, (error) => ({ error }));
    const result = await withTenant(tenant.id, async (db) => {
      const quote = await getQuote(db, quoteId);
      return quote ? requote(db, tenant, quote, { userId: user?.id ?? null }) : null;
    });
    if (!result) throw new Response("Not found", { status: 404 });
    if (!result.ok)
      return json(
        {
          error:
            result.code === "not_found"
              ? "This product is no longer offered, so the quote cannot be renewed."
              : "These details no longer price: change the options to get a fresh quote.",
        },
        { status: 400 },
      );
    return redirect(`/quotes/${result.quote.id}`);
  }

  const owner = await cartOwner(request, user?.id ?? null);
  const added = await withTenant(tenant.id, (db) => addToCart(db, owner, quoteId));
  if (!added.ok) {
    if (added.code === "not_found") throw new Response("Not found", { status: 404 });
    return json({ error: added.message }, { status: added.code === "duplicate" ? 409 : 400 });
  }
  // A new anonymous cart is remembered by its cookie; a signed-in customer's needs none.
  const headers = new Headers();
  if (added.created && !user) headers.append("Set-Cookie", await setCartCookie(added.cartId));
  return redirect("/cart", { headers });
}

export default function QuotePage() {
  const { quote, details, inCart, locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const money = (minor: number) => formatMoney(minor, quote.currency, locale);
  const changeOptions = `/products/${quote.productSlug}/quote?from=${quote.id}`;
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const { t } = useTranslation("storefront");
  const errorText = useErrorText();
  return (
    <article className="quote-page stack" aria-labelledby="quote-title">
      <div className="page-head">
        <div>
          <p className="eyebrow">{t("quote.eyebrow", { reference: quote.reference })}</p>
          <h1 id="quote-title">{quote.productName}</h1>
          <p className="muted">{t("quote.insuredBy", { insurer: quote.insurerName, date: quote.quotedOn })}</p>
        </div>
      </div>

      {actionData?.error ? <Alert tone="error">{errorText([actionData.error])}</Alert> : null}
      {quote.expired ? (
        <Alert tone="warning" title={t("quote.expiredOn", { date: quote.validUntil })}>
          {t("quote.expiredBody")}
          <Form method="post" className="actions quote-refresh">
            <Button type="submit" name="intent" value="refresh" busy={busy("refresh")} disabled={!quote.productActive}>
              {t("quote.fresh")}
            </Button>
            <Link to={changeOptions}>{t("quote.change")}</Link>
          </Form>
        </Alert>
      ) : (
        <p className="quote-validity">
          {t("quote.validUntil")} <time dateTime={quote.validUntilIso}>{quote.validUntil}</time>
        </p>
      )}

      <section className="card" aria-labelledby="breakdown-title">
        <h2 id="breakdown-title">{t("quote.yourPrice")}</h2>
        <table className="breakdown">
          <thead>
            <tr>
              <th scope="col">{t("quote.item")}</th>
              <th scope="col" className="num">
                {t("quote.amount")}
              </th>
            </tr>
          </thead>
          <tbody>
            {quote.lines.map((line) => (
              <tr key={line.code}>
                <td data-label={t("quote.item")}>{line.label}</td>
                <td data-label={t("quote.amount")} className="num">
                  {money(line.amount)}
                </td>
              </tr>
            ))}
            <tr className="subtotal">
              <th scope="row">{t("quote.premium")}</th>
              <td data-label={t("quote.premium")} className="num">
                {money(quote.basePremium)}
              </td>
            </tr>
            {quote.levies.map((line) => (
              <tr key={line.code}>
                <td data-label={t("quote.levy")}>{line.label}</td>
                <td data-label={t("quote.amount")} className="num">
                  {money(line.amount)}
                </td>
              </tr>
            ))}
            <tr className="total">
              <th scope="row">{t("quote.total")}</th>
              <td data-label={t("quote.totalShort")} className="num">
                {money(quote.total)}
              </td>
            </tr>
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="instalments-title">
        <h2 id="instalments-title">{t("quote.waysToPay")}</h2>
        <table className="data instalments">
          <thead>
            <tr>
              <th scope="col">{t("quote.howOften")}</th>
              <th scope="col" className="num">
                {t("quote.each")}
              </th>
              <th scope="col" className="num">
                {t("quote.first")}
              </th>
              <th scope="col" className="num">
                {t("quote.overYear")}
              </th>
            </tr>
          </thead>
          <tbody>
            {quote.frequencies.map((f) => (
              <tr key={f.frequency} className={f.frequency === quote.frequency ? "chosen" : undefined}>
                <td data-label={t("quote.howOften")}>
                  {t(`frequency.${f.frequency}`, { defaultValue: f.label })}
                  {f.frequency === quote.frequency ? <span className="badge badge-active">{t("quote.yourChoice")}</span> : null}
                </td>
                <td data-label={t("quote.each")} className="num">
                  {f.instalmentsPerYear > 1 ? `${f.instalmentsPerYear} × ` : ""}
                  {money(f.instalmentAmount)}
                </td>
                <td data-label={t("quote.first")} className="num">
                  {money(f.firstInstalmentAmount)}
                </td>
                <td data-label={t("quote.overYear")} className="num">
                  {money(f.annualEquivalent)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {quote.frequencies.some((f) => f.firstInstalmentAmount !== f.instalmentAmount) ? (
          <p className="muted small">{t("quote.fixedDuties")}</p>
        ) : null}
      </section>

      {details.length ? (
        <section className="card" aria-labelledby="details-title">
          <h2 id="details-title">{t("quote.quotedFor")}</h2>
          <dl className="details-list">
            {details.map((d) => (
              <Fragment key={d.label}>
                <dt>{d.label}</dt>
                <dd>{d.value}</dd>
              </Fragment>
            ))}
          </dl>
        </section>
      ) : null}

      <div className="actions quote-actions">
        {inCart ? (
          <Link to="/cart" className="btn btn-primary">
            {t("quote.inCart")}
          </Link>
        ) : quote.expired ? null : (
          <Form method="post">
            <Button type="submit" name="intent" value="add" busy={busy("add")}>
              {t("product.addToCart")}
            </Button>
          </Form>
        )}
        {quote.productActive ? (
          <Link to={changeOptions} className="btn btn-secondary">
            {t("quote.change")}
          </Link>
        ) : null}
        <Link to={`/products/${quote.productSlug}`}>{t("quote.about", { name: quote.productName })}</Link>
      </div>
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Quote");

export const headers = keepRetryAfter;
