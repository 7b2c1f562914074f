import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { z } from "zod";
import { useHydrated } from "~/components/console/use-hydrated";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { pageTitle } from "~/lib/meta";
import { optionalUser } from "~/modules/auth/guards.server";
import { cartOwner, changeFrequency, getCart, removeFromCart } from "~/modules/cart/cart.server";
import { FREQUENCIES } from "~/modules/rating";
import { storefrontSettings } from "~/modules/catalogue/settings.server";
import { requireTenant } from "~/modules/tenancy/resolve.server";
import { lineText } from "~/lib/text";
import { readForm } from "~/lib/forms";

const itemId = lineText().uuid();
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("frequency"), itemId, frequency: z.enum(FREQUENCIES) }),
  z.object({ intent: z.literal("refresh"), itemId }),
  z.object({ intent: z.literal("remove"), itemId }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const user = await optionalUser(request);
  const owner = await cartOwner(request, user?.id ?? null);
  const { cart, bundleOffers } = await withTenant(tenant.id, async (db) => ({
    cart: await getCart(db, tenant.id, owner),
    bundleOffers: (await storefrontSettings(db, tenant.id)).bundleDiscounts.map((rule) => rule.label),
  }));
  return json({
    items: cart.items.map((item) => ({
      id: item.id,
      quoteId: item.quote.id,
      reference: item.quote.reference,
      productSlug: item.quote.productSlug,
      productName: item.quote.productName,
      productActive: item.quote.productActive,
      insurerName: item.quote.insurerName,
      categoryName: item.quote.categoryName,
      frequency: item.quote.frequency,
      frequencies: item.quote.breakdown.frequencies.map((f) => ({ value: f.frequency, label: f.label })),
      payable: item.quote.payable,
      premium: item.premium,
      levies: item.levies,
      total: item.total,
      expired: item.quote.expired,
      validUntil: formatDate(item.quote.validUntil, tenant.locale, tenant.timeZone),
    })),
    totals: cart.totals,
    bundleOffers,
    currency: tenant.currency,
    locale: tenant.locale,
    signedIn: Boolean(user),
    notice: CHECKOUT_NOTICES[new URL(request.url).searchParams.get("notice") ?? ""] ?? null,
  });
}

/** Why checkout sent the customer back here. */
const CHECKOUT_NOTICES: Record<string, string> = {
  empty: "There is nothing in your cart to check out: add a quote first, or get a fresh quote for an expired one.",
  "no-checkout": "You have no checkout in progress. Check your cart, then press Checkout.",
  closed: "That order is closed. Check your cart, then press Checkout to start again.",
};

export async function action({ request }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const user = await optionalUser(request);
  const form = Object.fromEntries(await readForm(request));
  const parsed = actionSchema.safeParse(form);
  // A malformed item id is as unknown as another cart's item.
  if (!parsed.success) {
    if (!itemId.safeParse(form.itemId).success) throw new Response("Not found", { status: 404 });
    return json({ error: "Choose a payment frequency this product offers." }, { status: 400 });
  }
  const owner = await cartOwner(request, user?.id ?? null);
  const command = parsed.data;
  const outcome = await withTenant(tenant.id, async (db) => {
    if (command.intent === "remove") return (await removeFromCart(db, owner, command.itemId)) ? null : { code: "not_found", message: "" };
    // "refresh" re-prices an expired item at its own frequency.
    const result = await changeFrequency(db, tenant, owner, command.itemId, command.intent === "frequency" ? command.frequency : undefined);
    return result.ok ? null : result;
  });
  if (outcome?.code === "not_found") throw new Response("Not found", { status: 404 });
  if (outcome) return json({ error: outcome.message }, { status: 400 });
  return redirect("/cart");
}

export default function Cart() {
  const { items, totals, bundleOffers, currency, locale, signedIn, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const money = (minor: number) => formatMoney(minor, currency, locale);
  // Agencies without statutory levies (KHHoldings) see no empty levies column.
  const showLevies = totals.levies !== 0 || items.some((item) => item.levies !== 0);
  if (items.length === 0) {
    return (
      <section className="cart-page stack" aria-labelledby="cart-title">
        <h1 id="cart-title">Your cart</h1>
        {notice ? <Alert tone="info">{notice}</Alert> : null}
        <div className="card empty-state">
          <p className="empty">Your cart is empty.</p>
          <p>Get a quote for a product, then add it here to buy several covers together.</p>
          <Link to="/products" className="btn btn-primary">
            Browse products
          </Link>
        </div>
      </section>
    );
  }
  return (
    <section className="cart-page stack" aria-labelledby="cart-title">
      <h1 id="cart-title">Your cart</h1>
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      {actionData?.error ? <Alert tone="error">{actionData.error}</Alert> : null}
      <div className="table-wrap">
        <table className="data cart-items">
          <thead>
            <tr>
              <th scope="col">Cover</th>
              <th scope="col">Payment</th>
              <th scope="col" className="num">
                Premium
              </th>
              {showLevies ? (
                <th scope="col" className="num">
                  Levies
                </th>
              ) : null}
              <th scope="col" className="num">
                Total a year
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <CartRow key={item.id} item={item} money={money} showLevies={showLevies} />
            ))}
          </tbody>
        </table>
      </div>

      <section className="card cart-totals" aria-labelledby="totals-title">
        <h2 id="totals-title">Summary</h2>
        <dl className="totals">
          <dt>Premiums</dt>
          <dd>{money(totals.premium)}</dd>
          {showLevies ? (
            <>
              <dt>Levies and duties</dt>
              <dd>{money(totals.levies)}</dd>
            </>
          ) : null}
          {totals.discount ? (
            <>
              <dt>{totals.discount.label}</dt>
              <dd className="discount">−{money(totals.discount.amount)}</dd>
            </>
          ) : null}
          <dt className="grand">Total for the first year</dt>
          <dd className="grand">{money(totals.total)}</dd>
        </dl>
        {totals.discount || bundleOffers.length === 0 ? null : <p className="muted small">Bundle discounts: {bundleOffers.join("; ")}.</p>}
        <p className="checkout-note">
          Next comes checkout, where you confirm your details and pay.{" "}
          {signedIn ? null : (
            <>
              <Link to="/login?redirectTo=/cart">Sign in</Link> to keep this cart in your account.
            </>
          )}
        </p>
        {totals.count === 0 ? null : signedIn ? (
          <Form method="post" action="/checkout" className="actions">
            <Button type="submit">Checkout</Button>
          </Form>
        ) : (
          <div className="actions">
            <Link to="/login?redirectTo=/cart" className="btn btn-primary">
              Sign in to check out
            </Link>
          </div>
        )}
      </section>
    </section>
  );
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>["items"][number];

function CartRow({ item, money, showLevies }: { item: Item; money: (minor: number) => string; showLevies: boolean }) {
  const navigation = useNavigation();
  const submit = useSubmit();
  const hydrated = useHydrated();
  const busy = navigation.state === "submitting" && navigation.formData?.get("itemId") === item.id;
  const selectId = `frequency-${item.id}`;
  return (
    <tr className={item.expired ? "expired" : undefined}>
      <td data-label="Cover">
        <div className="cell">
          <Link to={`/quotes/${item.quoteId}`}>
            <strong>{item.productName}</strong>
          </Link>
          <div className="muted small">
            {item.insurerName} · {item.categoryName} · {item.reference}
          </div>
          {item.expired ? (
            <span className="badge badge-failed">Expired on {item.validUntil}</span>
          ) : (
            <div className="muted small">Valid until {item.validUntil}</div>
          )}
        </div>
      </td>
      <td data-label="Payment">
        <div className="cell">
          {item.frequencies.length > 1 && !item.expired && item.productActive ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="frequency" />
              <input type="hidden" name="itemId" value={item.id} />
              <label className="visually-hidden" htmlFor={selectId}>
                How often to pay for {item.productName}
              </label>
              <select id={selectId} name="frequency" defaultValue={item.frequency} onChange={(e) => submit(e.currentTarget.form)}>
                {item.frequencies.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
              {/* Without JavaScript the change needs a button; with it, choosing is enough. */}
              {hydrated ? null : (
                <Button type="submit" variant="secondary" className="btn-small">
                  Update
                </Button>
              )}
            </Form>
          ) : (
            <span>{item.payable.label}</span>
          )}
          {item.payable.instalmentsPerYear > 1 ? (
            <div className="muted small">
              {item.payable.instalmentsPerYear} × {money(item.payable.instalmentAmount)}
            </div>
          ) : null}
        </div>
      </td>
      <td data-label="Premium" className="num">
        {money(item.premium)}
      </td>
      {showLevies ? (
        <td data-label="Levies" className="num">
          {money(item.levies)}
        </td>
      ) : null}
      <td data-label="Total a year" className="num">
        <strong>{money(item.total)}</strong>
      </td>
      <td data-label="Actions">
        <div className="row-actions">
          {item.expired && item.productActive ? (
            <Form method="post">
              <input type="hidden" name="itemId" value={item.id} />
              <Button type="submit" name="intent" value="refresh" variant="secondary" className="btn-small" busy={busy}>
                Get a fresh quote
              </Button>
            </Form>
          ) : null}
          {item.productActive ? (
            <Link to={`/products/${item.productSlug}/quote?from=${item.quoteId}&replace=${item.id}`}>Change options</Link>
          ) : null}
          <Form method="post">
            <input type="hidden" name="itemId" value={item.id} />
            <Button
              type="submit"
              name="intent"
              value="remove"
              variant="ghost"
              className="btn-small"
              aria-label={`Remove ${item.productName}`}
            >
              Remove
            </Button>
          </Form>
        </div>
      </td>
    </tr>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Your cart");
