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
import { Trans, useTranslation } from "react-i18next";
import { useErrorText } from "~/components/ui/field";
import { serverT } from "~/modules/i18n/i18n.server";

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
    notice: noticeOf(new URL(request.url).searchParams.get("notice")),
    title: (await serverT(tenant.language, "checkout"))("cart.title"),
  });
}

/** Why checkout sent the customer back here (the words are checkout:cart.notice.*). */
const CHECKOUT_NOTICES = ["empty", "no-checkout", "closed"] as const;
function noticeOf(code: string | null): (typeof CHECKOUT_NOTICES)[number] | null {
  return CHECKOUT_NOTICES.find((n) => n === code) ?? null;
}

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
  const { t } = useTranslation("checkout");
  const errorText = useErrorText();
  // Agencies without statutory levies (KHHoldings) see no empty levies column.
  const showLevies = totals.levies !== 0 || items.some((item) => item.levies !== 0);
  if (items.length === 0) {
    return (
      <section className="cart-page stack" aria-labelledby="cart-title">
        <h1 id="cart-title">{t("cart.title")}</h1>
        {notice ? <Alert tone="info">{t(`cart.notice.${notice}`)}</Alert> : null}
        <div className="card empty-state">
          <p className="empty">{t("cart.empty")}</p>
          <p>{t("cart.emptyBody")}</p>
          <Link to="/products" className="btn btn-primary">
            {t("cart.browse")}
          </Link>
        </div>
      </section>
    );
  }
  return (
    <section className="cart-page stack" aria-labelledby="cart-title">
      <h1 id="cart-title">{t("cart.title")}</h1>
      {notice ? <Alert tone="info">{t(`cart.notice.${notice}`)}</Alert> : null}
      {actionData?.error ? <Alert tone="error">{errorText([actionData.error])}</Alert> : null}
      <div className="table-wrap">
        <table className="data cart-items">
          <thead>
            <tr>
              <th scope="col">{t("cart.cover")}</th>
              <th scope="col">{t("cart.payment")}</th>
              <th scope="col" className="num">
                {t("cart.premium")}
              </th>
              {showLevies ? (
                <th scope="col" className="num">
                  {t("cart.levies")}
                </th>
              ) : null}
              <th scope="col" className="num">
                {t("cart.totalYear")}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t("cart.actions")}</span>
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
        <h2 id="totals-title">{t("cart.summary")}</h2>
        <dl className="totals">
          <dt>{t("cart.premiums")}</dt>
          <dd>{money(totals.premium)}</dd>
          {showLevies ? (
            <>
              <dt>{t("cart.leviesDuties")}</dt>
              <dd>{money(totals.levies)}</dd>
            </>
          ) : null}
          {totals.discount ? (
            <>
              <dt>{totals.discount.label}</dt>
              <dd className="discount">−{money(totals.discount.amount)}</dd>
            </>
          ) : null}
          <dt className="grand">{t("cart.grand")}</dt>
          <dd className="grand">{money(totals.total)}</dd>
        </dl>
        {totals.discount || bundleOffers.length === 0 ? null : (
          <p className="muted small">{t("cart.bundles", { offers: bundleOffers.join("; ") })}</p>
        )}
        <p className="checkout-note">
          {t("cart.next")}{" "}
          {signedIn ? null : <Trans t={t} i18nKey="cart.signInKeep" components={{ signIn: <Link to="/login?redirectTo=/cart" /> }} />}
        </p>
        {totals.count === 0 ? null : signedIn ? (
          <Form method="post" action="/checkout" className="actions">
            <Button type="submit">{t("cart.checkout")}</Button>
          </Form>
        ) : (
          <div className="actions">
            <Link to="/login?redirectTo=/cart" className="btn btn-primary">
              {t("cart.signInCheckout")}
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
  const { t } = useTranslation("checkout");
  const storefront = useTranslation("storefront").t;
  return (
    <tr className={item.expired ? "expired" : undefined}>
      <td data-label={t("cart.cover")}>
        <div className="cell">
          <Link to={`/quotes/${item.quoteId}`}>
            <strong>{item.productName}</strong>
          </Link>
          <div className="muted small">
            {item.insurerName} · {item.categoryName} · {item.reference}
          </div>
          {item.expired ? (
            <span className="badge badge-failed">{t("cart.expiredOn", { date: item.validUntil })}</span>
          ) : (
            <div className="muted small">{t("cart.validUntil", { date: item.validUntil })}</div>
          )}
        </div>
      </td>
      <td data-label={t("cart.payment")}>
        <div className="cell">
          {item.frequencies.length > 1 && !item.expired && item.productActive ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="frequency" />
              <input type="hidden" name="itemId" value={item.id} />
              <label className="visually-hidden" htmlFor={selectId}>
                {t("cart.howOften", { name: item.productName })}
              </label>
              <select id={selectId} name="frequency" defaultValue={item.frequency} onChange={(e) => submit(e.currentTarget.form)}>
                {item.frequencies.map((f) => (
                  <option key={f.value} value={f.value}>
                    {storefront(`frequency.${f.value}`, { defaultValue: f.label })}
                  </option>
                ))}
              </select>
              {/* Without JavaScript the change needs a button; with it, choosing is enough. */}
              {hydrated ? null : (
                <Button type="submit" variant="secondary" className="btn-small">
                  {t("cart.update")}
                </Button>
              )}
            </Form>
          ) : (
            <span>{storefront(`frequency.${item.frequency}`, { defaultValue: item.payable.label })}</span>
          )}
          {item.payable.instalmentsPerYear > 1 ? (
            <div className="muted small">
              {item.payable.instalmentsPerYear} × {money(item.payable.instalmentAmount)}
            </div>
          ) : null}
        </div>
      </td>
      <td data-label={t("cart.premium")} className="num">
        {money(item.premium)}
      </td>
      {showLevies ? (
        <td data-label={t("cart.levies")} className="num">
          {money(item.levies)}
        </td>
      ) : null}
      <td data-label={t("cart.totalYear")} className="num">
        <strong>{money(item.total)}</strong>
      </td>
      <td data-label={t("cart.actions")}>
        <div className="row-actions">
          {item.expired && item.productActive ? (
            <Form method="post">
              <input type="hidden" name="itemId" value={item.id} />
              <Button type="submit" name="intent" value="refresh" variant="secondary" className="btn-small" busy={busy}>
                {t("cart.fresh")}
              </Button>
            </Form>
          ) : null}
          {item.productActive ? (
            <Link to={`/products/${item.productSlug}/quote?from=${item.quoteId}&replace=${item.id}`}>{t("cart.change")}</Link>
          ) : null}
          <Form method="post">
            <input type="hidden" name="itemId" value={item.id} />
            <Button
              type="submit"
              name="intent"
              value="remove"
              variant="ghost"
              className="btn-small"
              aria-label={t("cart.removeItem", { name: item.productName })}
            >
              {t("cart.remove")}
            </Button>
          </Form>
        </div>
      </td>
    </tr>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Your cart");
