import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { lineText } from "~/lib/text";
import { checkoutRequirements, detailsView } from "~/modules/checkout/details.server";
import { saleCommission } from "~/modules/commissions/earnings.server";
import { orderPricing } from "~/modules/checkout/orders.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { inactiveAgentMessage, requireAgent, type CurrentAgent } from "~/modules/network/current-agent.server";
import { findQuotableProduct } from "~/modules/quotes/quotes.server";
import { FREQUENCIES, FREQUENCY_LABELS, describeInputs, parseRating, quoteDateIn } from "~/modules/rating";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { getMember, type Member } from "./members.server";
import { reviewVersion, saleOrder, saleProducts, salePayments, suggestedDateOfBirth } from "./sale.server";
import { saleProductSlug } from "./sale-url";
import { memberStandingMessage } from "./status";

/**
 * The sale wizard's page (/agent/members/:memberId/sell, issue 5 §3): who may open it, and which
 * step it shows with what. The step follows from the order in the URL: none → choose a product (or
 * price the one in ?product=); a draft → details, review or payment as the order stands; a paid or
 * cancelled order → its outcome. Words are in the agent's language (decision 037).
 */

const uuid = lineText().uuid();

/** The signed-in agent and one of their members; another agent's member is a 404. */
export async function saleContext(request: Request, memberId: string) {
  const { tenant, agent } = await requireAgent(request, "sell:policy:member");
  const member = await withTenant(tenant.id, (db) => getMember(db, agent.id, memberId));
  if (!member) throw new Response("Not found", { status: 404 });
  return { tenant, agent, member };
}

/** The order named in the URL, if it is one of this agent's sales to this member (else 404). */
export async function orderFrom(tenant: TenantInfo, agent: CurrentAgent, member: Member, raw: string | null) {
  if (raw === null) return undefined;
  const id = uuid.safeParse(raw);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const order = await withTenant(tenant.id, (db) => saleOrder(db, agent.id, member, id.data));
  if (!order) throw new Response("Not found", { status: 404 });
  return order;
}

/** Everything the page shows for the step the sale is at, one shape per step (`stage`). */
export async function saleView(tenant: TenantInfo, agent: CurrentAgent, member: Member, search: URLSearchParams) {
  const t = await serverT(tenant.language, "agent");
  const base = {
    title: t("sell.title", { name: member.name }),
    memberId: member.id,
    memberName: member.name,
    inactive: inactiveAgentMessage(agent.status) ?? memberStandingMessage(member.status, "sell"),
    currency: tenant.currency,
    locale: tenant.locale,
  };
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  const order = await orderFrom(tenant, agent, member, search.get("order"));

  if (!order) {
    const slug = saleProductSlug.safeParse(search.get("product"));
    const product = slug.success ? await withTenant(tenant.id, (db) => findQuotableProduct(db, slug.data)) : undefined;
    if (product) {
      const quoteDate = quoteDateIn(tenant.timeZone);
      const rating = parseRating(product.rating);
      return {
        ...base,
        stage: "quote" as const,
        product: { slug: product.slug, name: product.name, insurerName: product.insurerName },
        fields: describeInputs(product.rating, { currency: tenant.currency, locale: tenant.locale, quoteDate }),
        rating: product.rating,
        quoteDate,
        frequencies: FREQUENCIES.filter((f) => rating.frequencies[f]).map((f) => ({ value: f, label: FREQUENCY_LABELS[f] })),
      };
    }
    const products = await withTenant(tenant.id, (db) => saleProducts(db));
    return {
      ...base,
      stage: "product" as const,
      unknownProduct: search.has("product"),
      products: products.map((p) => ({ ...p, frequencies: p.frequencies.map((f) => t(`frequency.${f}`)) })),
    };
  }

  const { view, pricing, payments, dob, earnings } = await withTenant(tenant.id, async (db) => {
    const pricing = await orderPricing(db, tenant.id, order.lines);
    return {
      view: await detailsView(db, order.id),
      pricing,
      payments: await salePayments(db, order.id),
      dob: await suggestedDateOfBirth(db, tenant, member.id),
      // What the sale earns the agent and each upline tier, once the product and frequency are chosen.
      earnings: await saleCommission(
        db,
        agent,
        tenant.timeZone,
        order.lines.map((line, i) => ({ productId: line.quote.productId, frequency: line.quote.frequency, ...pricing.items[i]! })),
      ),
    };
  });
  const commission = order.lines.map((line, i) => ({
    productName: line.quote.productName,
    frequency: line.quote.frequency,
    ...earnings[i]!,
  }));
  const needs = checkoutRequirements(tenant, order.lines);
  const orderInfo = { orderId: order.id, reference: order.reference, products: order.lines.map((l) => l.quote.productName).join(", ") };
  const paymentRows = payments.map((p) => ({
    id: p.id,
    at: formatDateTime(p.created_at, tenant.locale, tenant.timeZone),
    status: p.status,
    method: t(`method.${p.method}`),
    offline: p.provider === "offline",
    amount: formatMoney(p.amount_minor, p.currency, tenant.locale),
    reference: p.provider_receipt,
    failure: p.failure_message,
  }));

  if (order.status !== "draft")
    return { ...base, ...orderInfo, stage: "closed" as const, paid: order.status === "paid", payments: paymentRows };

  const editDetails = search.get("step") === "details" && !payments.some((p) => p.status === "pending");
  if (order.step === "details" || order.step === "plan" || editDetails) {
    return {
      ...base,
      ...orderInfo,
      stage: "details" as const,
      commission,
      today: quoteDateIn(tenant.timeZone),
      kinds: needs.kinds,
      stored: view.identifiers,
      beneficiaries: needs.beneficiaries,
      beneficiaryProducts: needs.beneficiaryProducts,
      documents: needs.documents.map((d) => ({ ...d, uploaded: view.uploads.find((u) => u.requirement === d.key) ?? null })),
      defaults: {
        ...view.holder,
        dateOfBirth: view.holder.dateOfBirth ?? dob ?? "",
        beneficiaries: view.beneficiaries.map((b) => ({ name: b.name, relationship: b.relationship, share: b.share })),
      } as Record<string, unknown>,
    };
  }

  const breakdown = {
    items: order.lines.map((line, i) => ({
      ...pricing.items[i]!,
      productName: line.quote.productName,
      insurerName: line.quote.insurerName,
      planLabel: line.quote.frequency === "annual" ? t("sell.payInFull") : t(`frequency.${line.quote.frequency}`),
      requiresUnderwriting: line.requiresUnderwriting,
    })),
    totals: {
      premium: pricing.premiumMinor,
      levies: pricing.leviesMinor,
      discount: pricing.discount ? { label: pricing.discount.label, amount: pricing.discountMinor } : null,
      total: pricing.totalMinor,
      dueNow: pricing.dueNowMinor,
    },
  };
  const holder = {
    ...view.holder,
    identifiers: view.identifiers.map((i) => ({ label: t(`identifier.${i.kind}`), masked: i.masked })),
    beneficiaries: view.beneficiaries.map((b) => ({
      ...b,
      relationship: t(`relationship.${b.relationship}`, { defaultValue: b.relationship }),
    })),
  };

  if (order.step === "review" || !order.termsAcceptedAt) {
    return {
      ...base,
      ...orderInfo,
      stage: "review" as const,
      commission,
      agency: tenant.name,
      version: reviewVersion(order),
      breakdown,
      holder,
    };
  }

  return {
    ...base,
    ...orderInfo,
    stage: "payment" as const,
    commission,
    breakdown,
    dueNow: money(pricing.dueNowMinor),
    canSendLink: order.paymentMethod !== null,
    email: order.holder.email ?? member.email,
    pendingOffline: paymentRows.find((p) => p.status === "pending" && p.offline) ?? null,
    payments: paymentRows,
  };
}
