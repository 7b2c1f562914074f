import { parse } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, type Params } from "@remix-run/react";
import { z } from "zod";
import { QuoteForm } from "~/components/quote-form";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { filledByRobot, ROBOT_REFUSAL } from "~/modules/abuse/honeypot";
import { clientOf, countRequest, keepRetryAfter, refusedWith } from "~/modules/abuse/rate-limit.server";
import { optionalUser } from "~/modules/auth/guards.server";
import { addToCart, cartOwner, replaceCartItem } from "~/modules/cart/cart.server";
import { setCartCookie } from "~/modules/cart/cookie.server";
import { formValuesFromInputs } from "~/modules/quotes/form";
import { createQuote, findQuotableProduct, getQuote } from "~/modules/quotes/quotes.server";
import { tellQuoteSaved } from "~/modules/quotes/saved-notice.server";
import { FREQUENCIES, FREQUENCY_LABELS, describeInputs, parseRating, quoteDateIn } from "~/modules/rating";
import { originOf, requireTenant } from "~/modules/tenancy/resolve.server";
import { lineText } from "~/lib/text";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

const paramsSchema = z.object({
  slug: lineText()
    .max(120)
    .regex(/^[a-z0-9][a-z0-9-]*$/),
});
const uuid = lineText().uuid();

/** A malformed slug answers 404 like an unknown one. */
function slugFrom(params: Params): string {
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data.slug;
}

/** The quote form back as it was sent, with a message above the fields. */
function formReply(formData: FormData, message: string) {
  return parse<unknown, string[]>(formData, { resolve: () => ({}) }).reply({ formErrors: [message] });
}

/** An optional id from the query or the form: anything but a uuid is ignored. */
function optionalId(value: unknown): string | null {
  const parsed = uuid.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const slug = slugFrom(params);
  const search = new URL(request.url).searchParams;
  const from = optionalId(search.get("from"));
  const found = await withTenant(tenant.id, async (db) => {
    const product = await findQuotableProduct(db, slug);
    if (!product) return null;
    const previous = from ? await getQuote(db, from) : undefined;
    // "Change options" prefills from a quote for this very product only.
    return { product, previous: previous?.productId === product.id ? previous : undefined };
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { product, previous } = found;
  const quoteDate = quoteDateIn(tenant.timeZone);
  const fields = describeInputs(product.rating, { currency: tenant.currency, locale: tenant.locale, quoteDate });
  const rating = parseRating(product.rating);
  return json({
    product: { slug: product.slug, name: product.name, insurerName: product.insurerName },
    fields,
    rating: product.rating,
    quoteDate,
    frequencies: FREQUENCIES.filter((f) => rating.frequencies[f]).map((f) => ({ value: f, label: FREQUENCY_LABELS[f] })),
    defaultValues: previous
      ? { ...formValuesFromInputs(fields, previous.inputs, tenant.currency), frequency: previous.frequency }
      : undefined,
    previousReference: previous?.reference ?? null,
    replaceItemId: optionalId(search.get("replace")),
    currency: tenant.currency,
    locale: tenant.locale,
    title: (await serverT(tenant.language, "storefront"))("quotePage.title", { name: product.name }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const slug = slugFrom(params);
  const user = await optionalUser(request);
  const formData = await readForm(request);
  const counted = await countRequest("quote", tenant.id, clientOf(request, user?.id));
  if (counted.limited) return refusedWith(counted, (message) => formReply(formData, message));
  // A robot is refused quietly (nothing says why) and nothing is written.
  if (filledByRobot(formData)) return json(formReply(formData, ROBOT_REFUSAL), { status: 400 });
  const replace = optionalId(formData.get("replace"));
  const frequency = formData.get("frequency");
  const owner = await cartOwner(request, user?.id ?? null);
  // "Add to cart" prices and adds in one step; "Get my quote" shows the quote first.
  const toCart = formData.get("intent") === "cart" && !replace;
  const result = await withTenant(tenant.id, async (db) => {
    const created = await createQuote(db, tenant, {
      productSlug: slug,
      input: formData,
      frequency: typeof frequency === "string" ? frequency : null,
      userId: user?.id ?? null,
    });
    if (!created.ok) return { created, swapped: null, added: null };
    if (user && !toCart) await tellQuoteSaved(db, tenant, created.quote, user.id, originOf(request));
    if (toCart) return { created, swapped: null, added: await addToCart(db, owner, created.quote.id) };
    if (!replace) return { created, swapped: null, added: null };
    return { created, swapped: await replaceCartItem(db, owner, replace, created.quote.id), added: null };
  });
  const { created, swapped, added } = result;
  if (!created.ok) {
    if (created.code === "not_found") throw new Response("Not found", { status: 404 });
    const submission = parse<unknown, string[]>(formData, { resolve: () => ({}) });
    return json(submission.reply(replyErrors(created.errors)), { status: 400 });
  }
  if (swapped?.ok) return redirect("/cart");
  if (added?.ok) {
    // A new anonymous cart is remembered by its cookie; a signed-in customer's needs none.
    const headers = new Headers();
    if (added.created && !user) headers.append("Set-Cookie", await setCartCookie(added.cartId));
    return redirect("/cart", { headers });
  }
  // Not swapped (the item left the cart meanwhile, or the cart already holds this cover): the quote stands on its own.
  return redirect(`/quotes/${created.quote.id}`);
}

export default function GetQuote() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("storefront");
  return (
    <section className="quote-page stack">
      <p>
        <Link to={`/products/${data.product.slug}`}>← {data.product.name}</Link>
      </p>
      <div>
        <h1>{t("quotePage.title", { name: data.product.name })}</h1>
        <p className="muted">
          {t("quotePage.insuredBy", { insurer: data.product.insurerName })}{" "}
          {data.previousReference ? t("quotePage.startingFrom", { reference: data.previousReference }) : t("quotePage.workedOut")}
        </p>
      </div>
      <div className="card">
        <QuoteForm
          productSlug={data.product.slug}
          fields={data.fields}
          currency={data.currency}
          locale={data.locale}
          frequencies={data.frequencies}
          defaultValues={data.defaultValues}
          lastResult={lastResult}
          replaceItemId={data.replaceItemId ?? undefined}
          rating={data.rating}
          quoteDate={data.quoteDate}
        />
      </div>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Get a quote");

export const headers = keepRetryAfter;
