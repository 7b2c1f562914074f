import { getFormProps, parse, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { Trans, useTranslation } from "react-i18next";
import { PaymentBadge } from "~/components/account/status";
import { OrderBreakdown } from "~/components/checkout/breakdown";
import { BeneficiariesFieldset, DocumentsFieldset, PolicyholderFieldset, PolicyholderSummary } from "~/components/checkout/policy-details";
import { SelectField } from "~/components/console/fields";
import { QuoteForm } from "~/components/quote-form";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConsentField, Field, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { clientInfo } from "~/modules/auth/guards.server";
import { checkoutRequirements, detailsView } from "~/modules/checkout/details.server";
import { orderPricing } from "~/modules/checkout/orders.server";
import { detailsSchema, termsSchema } from "~/modules/checkout/schemas";
import { readMultipartForm, saveWithUploads, type ReceivedFile } from "~/modules/checkout/uploads.server";
import { getMember, type Member } from "~/modules/members/members.server";
import {
  confirmSaleTerms,
  recordSalePayment,
  reviewVersion,
  saleOrder,
  saleProducts,
  salePayments,
  saveSaleDetails,
  sendPaymentLink,
  startSale,
  suggestedDateOfBirth,
} from "~/modules/members/sale.server";
import { OFFLINE_METHODS, offlinePaymentSchema } from "~/modules/members/schemas";
import { memberStandingMessage } from "~/modules/members/status";
import { inactiveAgentMessage, requireAgent, type CurrentAgent } from "~/modules/network/current-agent.server";
import { findQuotableProduct } from "~/modules/quotes/quotes.server";
import { FREQUENCIES, FREQUENCY_LABELS, describeInputs, parseRating, quoteDateIn } from "~/modules/rating";
import { serverT } from "~/modules/i18n/i18n.server";
import { originOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import checkoutStyles from "~/styles/checkout.css";
import { lineText } from "~/lib/text";

/**
 * /agent/members/:memberId/sell — an agent sells a product to one of their members, one step per
 * page, without JavaScript: choose the product → its quote inputs and a payment frequency → the
 * holder's details and beneficiaries → review, with the member's agreement to the terms → pay: a link
 * emailed to the member, or a payment the agent collected offline (cash, bank-in) for staff to confirm.
 * The order in progress rides in the URL (?order=…); another agent's order or member is a 404.
 */
export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkoutStyles }];

const slugSchema = lineText()
  .max(120)
  .regex(/^[a-z0-9][a-z0-9-]*$/);
const uuid = lineText().uuid();

async function saleContext(request: Request, memberId: string) {
  const { tenant, agent } = await requireAgent(request, "sell:policy:member");
  const member = await withTenant(tenant.id, (db) => getMember(db, agent.id, memberId));
  if (!member) throw new Response("Not found", { status: 404 });
  return { tenant, agent, member };
}

/** The order named in the URL, if it is one of this agent's sales to this member (else 404). */
async function orderFrom(tenant: TenantInfo, agent: CurrentAgent, member: Member, raw: string | null) {
  if (raw === null) return undefined;
  const id = uuid.safeParse(raw);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const order = await withTenant(tenant.id, (db) => saleOrder(db, agent.id, member, id.data));
  if (!order) throw new Response("Not found", { status: 404 });
  return order;
}

const saleUrl = (memberId: string, orderId?: string, extra = "") =>
  `/agent/members/${memberId}/sell${orderId ? `?order=${orderId}${extra}` : ""}`;

function detailsSchemaFor(
  tenant: TenantInfo,
  kinds: ReturnType<typeof checkoutRequirements>["kinds"],
  stored: string[],
  beneficiaries: boolean,
) {
  return detailsSchema({
    kinds,
    stored: kinds.filter((k) => stored.includes(k)),
    beneficiaries,
    today: quoteDateIn(tenant.timeZone),
  });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const memberId = uuidParam(params, "memberId");
  const { tenant, agent, member } = await saleContext(request, memberId);
  const search = new URL(request.url).searchParams;
  const t = await serverT(tenant.language, "agent");
  const base = {
    title: t("sell.title", { name: member.name }),
    memberId,
    memberName: member.name,
    inactive: inactiveAgentMessage(agent.status) ?? memberStandingMessage(member.status, "sell"),
    currency: tenant.currency,
    locale: tenant.locale,
  };
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  const order = await orderFrom(tenant, agent, member, search.get("order"));

  if (!order) {
    const slug = slugSchema.safeParse(search.get("product"));
    if (slug.success) {
      const product = await withTenant(tenant.id, (db) => findQuotableProduct(db, slug.data));
      if (product) {
        const quoteDate = quoteDateIn(tenant.timeZone);
        const rating = parseRating(product.rating);
        return json({
          ...base,
          stage: "quote" as const,
          product: { slug: product.slug, name: product.name, insurerName: product.insurerName },
          fields: describeInputs(product.rating, { currency: tenant.currency, locale: tenant.locale, quoteDate }),
          rating: product.rating,
          quoteDate,
          frequencies: FREQUENCIES.filter((f) => rating.frequencies[f]).map((f) => ({ value: f, label: FREQUENCY_LABELS[f] })),
        });
      }
    }
    const products = await withTenant(tenant.id, (db) => saleProducts(db));
    return json({
      ...base,
      stage: "product" as const,
      unknownProduct: search.has("product"),
      products: products.map((p) => ({ ...p, frequencies: p.frequencies.map((f) => t(`frequency.${f}`)) })),
    });
  }

  const { view, pricing, payments, dob } = await withTenant(tenant.id, async (db) => ({
    view: await detailsView(db, order.id),
    pricing: await orderPricing(db, tenant.id, order.lines),
    payments: await salePayments(db, order.id),
    dob: await suggestedDateOfBirth(db, tenant, member.id),
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
    return json({ ...base, ...orderInfo, stage: "closed" as const, paid: order.status === "paid", payments: paymentRows });

  const editDetails = search.get("step") === "details" && !payments.some((p) => p.status === "pending");
  if (order.step === "details" || order.step === "plan" || editDetails) {
    return json({
      ...base,
      ...orderInfo,
      stage: "details" as const,
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
    });
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
    return json({ ...base, ...orderInfo, stage: "review" as const, agency: tenant.name, version: reviewVersion(order), breakdown, holder });
  }

  const pendingOffline = paymentRows.find((p) => p.status === "pending" && p.offline) ?? null;
  return json({
    ...base,
    ...orderInfo,
    stage: "payment" as const,
    breakdown,
    dueNow: money(pricing.dueNowMinor),
    canSendLink: order.paymentMethod !== null,
    email: order.holder.email ?? member.email,
    pendingOffline,
    payments: paymentRows,
  });
}

type Intent = "quote" | "details" | "terms" | "link" | "offline";

export async function action({ request, params }: ActionFunctionArgs) {
  const memberId = uuidParam(params, "memberId");
  const { tenant, agent, member } = await saleContext(request, memberId);
  const search = new URL(request.url).searchParams;
  const actor = { userId: agent.userId, ip: clientInfo(request).ip };
  const saleAgent = { id: agent.id, userId: agent.userId, name: agent.name };
  // An agent who may not sell, or a member who may not be sold to (decision 035): every step refuses.
  const inactive = inactiveAgentMessage(agent.status) ?? memberStandingMessage(member.status, "sell");

  let form: FormData;
  let files: ReceivedFile[] = [];
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const read = await readMultipartForm(request);
    if (!read.ok) return json({ intent: "details" as Intent, result: { status: "error", error: { "": [read.message] } } }, { status: 413 });
    ({ form, files } = read);
  } else {
    form = await readForm(request);
  }
  const intent = String(form.get("intent") ?? "") as Intent;
  const refuse = (result: unknown, status = 400) => json({ intent, result }, { status });

  if (intent === "quote") {
    const slug = slugSchema.safeParse(search.get("product"));
    if (!slug.success) throw new Response("Not found", { status: 404 });
    const empty = parse<unknown, string[]>(form, { resolve: () => ({}) });
    if (inactive) return refuse(empty.reply({ formErrors: [inactive] }), 403);
    const frequency = form.get("frequency");
    const started = await withTenant(tenant.id, (db) =>
      startSale(
        db,
        tenant,
        saleAgent,
        member,
        { productSlug: slug.data, form, frequency: typeof frequency === "string" ? frequency : null },
        actor,
      ),
    );
    if (!started.ok) {
      if (started.code === "not_found") throw new Response("Not found", { status: 404 });
      return refuse(empty.reply(replyErrors(started.errors)));
    }
    return redirect(saleUrl(memberId, started.orderId));
  }

  const order = await orderFrom(tenant, agent, member, search.get("order"));
  if (!order) throw new Response("Not found", { status: 404 });

  if (intent === "details") {
    const needs = checkoutRequirements(tenant, order.lines);
    const stored = await withTenant(tenant.id, (db) =>
      db.selectFrom("personal_identifiers").select("kind").where("order_id", "=", order.id).execute(),
    );
    const schema = detailsSchemaFor(
      tenant,
      needs.kinds,
      stored.map((s) => s.kind),
      needs.beneficiaries,
    );
    const submission = parseWithZod(form, { schema });
    if (inactive) return refuse(submission.reply({ formErrors: [inactive] }), 403);
    const errors = await saveWithUploads(
      tenant.id,
      order.id,
      needs.documents.map((d) => d.key),
      files,
      submission.status === "success" ? (db) => saveSaleDetails(db, tenant, order, member, submission.value) : null,
    );
    if (submission.status === "success" && Object.keys(errors).length === 0) return redirect(saleUrl(memberId, order.id));
    const { form: formErrors = [], ...fieldErrors } = errors;
    return refuse(
      submission.reply({
        formErrors: [
          ...formErrors,
          ...(Object.keys(fieldErrors).length || submission.status !== "success" ? ["Check the highlighted fields."] : []),
        ],
        fieldErrors,
      }),
    );
  }

  if (intent === "terms") {
    const submission = parseWithZod(form, { schema: termsSchema });
    if (submission.status !== "success") return refuse(submission.reply());
    if (inactive) return refuse(submission.reply({ formErrors: [inactive] }), 403);
    const accepted = await withTenant(tenant.id, (db) => confirmSaleTerms(db, tenant, order, submission.value.version, actor));
    if (!accepted.ok) return refuse(submission.reply({ formErrors: accepted.errors.form ?? ["Check the order and try again."] }), 409);
    return redirect(saleUrl(memberId, order.id));
  }

  if (intent === "link") {
    const empty = parse<unknown, string[]>(form, { resolve: () => ({}) });
    if (inactive) return refuse(empty.reply({ formErrors: [inactive] }), 403);
    const sent = await withTenant(tenant.id, (db) => sendPaymentLink(db, tenant, saleAgent, member, order, originOf(request), actor));
    if (!sent.ok) return refuse(empty.reply(replyErrors(sent.errors)));
    return redirect(saleUrl(memberId, order.id, "&sent=1"));
  }

  if (intent === "offline") {
    // Only the method and the reference are read: the amount is the order's, worked out on the server.
    const submission = parseWithZod(form, { schema: offlinePaymentSchema });
    if (submission.status !== "success") return refuse(submission.reply());
    if (inactive) return refuse(submission.reply({ formErrors: [inactive] }), 403);
    const recorded = await withTenant(tenant.id, (db) => recordSalePayment(db, tenant, saleAgent, order, submission.value, actor));
    if (!recorded.ok) return refuse(submission.reply(replyErrors(recorded.errors)));
    return redirect(saleUrl(memberId, order.id, "&recorded=1"));
  }

  throw new Response("Bad request", { status: 400 });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Stage<S extends LoaderData["stage"]> = Extract<LoaderData, { stage: S }>;

export default function SellToMember() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("agent");
  const errorText = useErrorText();
  const lastResult = (intent: Intent) =>
    actionData && actionData.intent === intent ? (actionData.result as SubmissionResult<string[]>) : undefined;
  return (
    <div className="stack checkout">
      <p>
        <Link to={`/agent/members/${data.memberId}`}>← {data.memberName}</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>{data.title}</h1>
          <p className="muted">
            {t(`sell.stage.${data.stage}`)}
            {"reference" in data ? ` · ${t("sell.order", { reference: data.reference })}` : ""}
          </p>
        </div>
      </div>
      {data.inactive && data.stage !== "closed" ? (
        <Alert tone="warning" title={t("sell.cannotSell")}>
          {errorText([data.inactive])}
        </Alert>
      ) : data.stage === "product" ? (
        <ProductStage data={data} />
      ) : data.stage === "quote" ? (
        <div className="card">
          <p className="muted">
            {t("sell.insuredBy", { product: data.product.name, insurer: data.product.insurerName })}{" "}
            <Link to={`/agent/members/${data.memberId}/sell`}>{t("sell.anotherProduct")}</Link>
          </p>
          <QuoteForm
            productSlug={data.product.slug}
            fields={data.fields}
            currency={data.currency}
            locale={data.locale}
            frequencies={data.frequencies}
            lastResult={lastResult("quote")}
            rating={data.rating}
            quoteDate={data.quoteDate}
            action={`/agent/members/${data.memberId}/sell?product=${data.product.slug}`}
            submitLabel={t("sell.priceIt")}
          />
        </div>
      ) : data.stage === "details" ? (
        <DetailsStage data={data} lastResult={lastResult("details")} />
      ) : data.stage === "review" ? (
        <ReviewStage data={data} lastResult={lastResult("terms")} />
      ) : data.stage === "payment" ? (
        <PaymentStage data={data} linkResult={lastResult("link")} offlineResult={lastResult("offline")} />
      ) : (
        <ClosedStage data={data} />
      )}
    </div>
  );
}

function ProductStage({ data }: { data: Stage<"product"> }) {
  const { t } = useTranslation("agent");
  if (data.products.length === 0)
    return (
      <div className="card empty">
        <p>{t("sell.product.none")}</p>
      </div>
    );
  return (
    <Form method="get" className="card stack">
      {data.unknownProduct ? <Alert tone="error">{t("sell.product.unknown")}</Alert> : null}
      <fieldset className="choice-group">
        <legend>{t("sell.product.legend")}</legend>
        {data.products.map((p, i) => (
          <div key={p.slug} className="checkbox">
            <input type="radio" id={`product-${p.slug}`} name="product" value={p.slug} defaultChecked={i === 0} />
            <label htmlFor={`product-${p.slug}`}>
              <strong>{p.name}</strong>{" "}
              <span className="muted small">
                ({p.categoryName}, {p.insurerName})
              </span>
              <br />
              <span className="muted small">
                {t("sell.product.pay", { frequencies: p.frequencies.join(", ").toLowerCase() })}
                {p.requirements.beneficiaries ? t("sell.product.beneficiaries") : ""}
                {p.requirements.documents?.length
                  ? t("sell.product.documents", { documents: p.requirements.documents.map((d) => d.label.toLowerCase()).join(", ") })
                  : ""}
              </span>
            </label>
          </div>
        ))}
      </fieldset>
      <div className="actions">
        <Button type="submit">{t("sell.product.continue")}</Button>
      </div>
    </Form>
  );
}

type Errors = Record<string, string[] | undefined>;

function DetailsStage({ data, lastResult }: { data: Stage<"details">; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const { t } = useTranslation("agent");
  const schema = useMemo(
    () =>
      detailsSchema({
        kinds: data.kinds,
        stored: data.stored.map((s) => s.kind),
        beneficiaries: data.beneficiaries,
        today: data.today,
      }),
    [data.kinds, data.stored, data.beneficiaries, data.today],
  );
  const [form] = useForm({
    id: "sale-details",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const values = (lastResult?.initialValue ?? data.defaults) as Record<string, unknown>;
  const errors = form.allErrors as Errors;
  const typed = (values.identifiers ?? {}) as Record<string, unknown>;
  const toType = data.kinds.filter((k) => !data.stored.some((s) => s.kind === k));
  return (
    <Form
      method="post"
      encType={data.documents.length ? "multipart/form-data" : undefined}
      className="checkout-form stack"
      {...getFormProps(form)}
    >
      <input type="hidden" name="intent" value="details" />
      <FormErrors errors={form.errors} />
      <PolicyholderFieldset
        values={values}
        errors={errors}
        intro={t("sell.details.intro", { products: data.products, name: data.memberName })}
        ownDetails={false}
        dateOfBirth={{ hint: t("sell.details.dateOfBirthHint") }}
      >
        {data.stored.map((s) => (
          <p key={s.kind} className="small">
            {t(`identifier.${s.kind}`)}: <span className="identifier">{s.masked}</span>{" "}
            <span className="muted">{t("sell.details.asRegistered")}</span>
          </p>
        ))}
        {toType.map((kind) => (
          <Field
            key={kind}
            id={`identifier-${kind}`}
            name={`identifiers.${kind}`}
            label={t(`identifier.${kind}`)}
            autoComplete="off"
            hint={kind === "bank_account" ? undefined : t(`identifierHint.${kind}`)}
            defaultValue={typeof typed[kind] === "string" ? (typed[kind] as string) : ""}
            errors={errors[`identifiers.${kind}`]}
          />
        ))}
      </PolicyholderFieldset>
      {data.beneficiaries ? (
        <BeneficiariesFieldset
          products={data.beneficiaryProducts}
          values={values}
          errors={errors}
          relationshipLabel={t("sell.details.relationship")}
        />
      ) : null}
      {data.documents.length ? <DocumentsFieldset documents={data.documents} errors={errors} /> : null}
      <div className="actions">
        <Button type="submit" busy={navigation.state === "submitting"}>
          {t("sell.details.save")}
        </Button>
      </div>
    </Form>
  );
}

function ReviewStage({ data, lastResult }: { data: Stage<"review">; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const { t } = useTranslation("agent");
  const [form, fields] = useForm({
    id: "sale-review",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: termsSchema }),
  });
  return (
    <>
      <OrderBreakdown items={data.breakdown.items} totals={data.breakdown.totals} currency={data.currency} locale={data.locale} />
      <PolicyholderSummary
        holder={data.holder}
        identifiers={data.holder.identifiers}
        beneficiaries={data.holder.beneficiaries}
        change={{ to: saleUrl(data.memberId, data.orderId, "&step=details"), label: t("sell.review.change") }}
      />
      <Form method="post" className="card checkout-form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="terms" />
        <input type="hidden" name="version" value={data.version} />
        <FormErrors errors={form.errors} />
        <ConsentField
          id={fields.acceptTerms.id}
          name="acceptTerms"
          errors={fields.acceptTerms.errors}
          label={t("sell.review.consent", { name: data.memberName, agency: data.agency })}
        />
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            {t("sell.review.confirm")}
          </Button>
        </div>
      </Form>
    </>
  );
}

function PaymentsTable({ payments }: { payments: Stage<"payment">["payments"] }) {
  const { t } = useTranslation("agent");
  if (payments.length === 0) return null;
  return (
    <section className="card" aria-labelledby="sale-payments">
      <h2 id="sale-payments">{t("sell.payments.title")}</h2>
      <ul className="plain-list">
        {payments.map((p) => (
          <li key={p.id}>
            {t("sell.payments.row", { at: p.at, amount: p.amount, method: p.method.toLowerCase() })}
            {p.reference ? ` (${p.reference})` : ""} <PaymentBadge status={p.status} />
            {p.failure ? <span className="muted small"> {p.failure}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function PaymentStage({
  data,
  linkResult,
  offlineResult,
}: {
  data: Stage<"payment">;
  linkResult?: SubmissionResult<string[]>;
  offlineResult?: SubmissionResult<string[]>;
}) {
  const navigation = useNavigation();
  const { t } = useTranslation("agent");
  const [params] = useSearchParams();
  const [linkForm] = useForm({ id: "sale-link", lastResult: linkResult });
  const [offlineForm] = useForm({
    id: "sale-offline",
    lastResult: offlineResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: offlinePaymentSchema }),
  });
  const sent = (offlineResult?.initialValue ?? {}) as Record<string, unknown>;
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <>
      {params.get("sent") ? (
        <Alert tone="success" title={t("sell.payment.sentTitle")}>
          {t("sell.payment.sent", { email: data.email })}
        </Alert>
      ) : null}
      {params.get("recorded") ? (
        <Alert tone="success" title={t("sell.payment.recordedTitle")}>
          {t("sell.payment.recorded")}
        </Alert>
      ) : null}
      <section className="card" aria-labelledby="sale-due">
        <h2 id="sale-due">{t("sell.payment.dueNow")}</h2>
        <p className="pay-total">{data.dueNow}</p>
        <p className="muted small">{data.products}</p>
      </section>
      {data.pendingOffline ? (
        <>
          <FormErrors errors={offlineForm.errors ?? linkForm.errors} />
          <Alert tone="info" title={t("sell.payment.waitingTitle")}>
            {t("sell.payment.waiting", {
              amount: data.pendingOffline.amount,
              method: data.pendingOffline.method.toLowerCase(),
              reference: data.pendingOffline.reference,
              at: data.pendingOffline.at,
            })}
          </Alert>
        </>
      ) : (
        <div className="checkout-summary-grid">
          <section className="card" aria-labelledby="sale-link-title">
            <h2 id="sale-link-title">{t("sell.payment.onlineTitle")}</h2>
            {data.canSendLink ? (
              <Form method="post" className="stack" {...getFormProps(linkForm)}>
                <input type="hidden" name="intent" value="link" />
                <FormErrors errors={linkForm.errors} />
                <p>{t("sell.payment.online", { email: data.email })}</p>
                <div className="actions">
                  <Button type="submit" variant="secondary" busy={busy("link")}>
                    {t("sell.payment.sendLink")}
                  </Button>
                </div>
              </Form>
            ) : (
              <p className="muted">{t("sell.payment.noOnline")}</p>
            )}
          </section>
          <section className="card" aria-labelledby="sale-offline-title">
            <h2 id="sale-offline-title">{t("sell.payment.offlineTitle")}</h2>
            <Form method="post" className="stack" {...getFormProps(offlineForm)}>
              <input type="hidden" name="intent" value="offline" />
              <FormErrors errors={offlineForm.errors} />
              <p>
                <Trans t={t} i18nKey="sell.payment.offline" values={{ amount: data.dueNow }} components={{ strong: <strong /> }} />
              </p>
              <SelectField
                id="offline-method"
                name="method"
                label={t("sell.payment.method")}
                placeholder={t("choose")}
                choices={OFFLINE_METHODS.map((m) => ({ value: m.value, label: t(`offlineMethod.${m.value}`) }))}
                defaultValue={typeof sent.method === "string" ? sent.method : ""}
                errors={offlineForm.allErrors.method}
              />
              <Field
                id="offline-reference"
                name="reference"
                label={t("sell.payment.reference")}
                autoComplete="off"
                maxLength={60}
                defaultValue={typeof sent.reference === "string" ? sent.reference : ""}
                errors={offlineForm.allErrors.reference}
              />
              <div className="actions">
                <Button type="submit" busy={busy("offline")}>
                  {t("sell.payment.record")}
                </Button>
              </div>
            </Form>
          </section>
        </div>
      )}
      <PaymentsTable payments={data.payments} />
      <OrderBreakdown items={data.breakdown.items} totals={data.breakdown.totals} currency={data.currency} locale={data.locale} />
    </>
  );
}

function ClosedStage({ data }: { data: Stage<"closed"> }) {
  const { t } = useTranslation("agent");
  return (
    <>
      {data.paid ? (
        <Alert tone="success" title={t("sell.closed.paidTitle", { reference: data.reference })}>
          {t("sell.closed.paid", { name: data.memberName })}
        </Alert>
      ) : (
        <Alert tone="warning" title={t("sell.closed.cancelledTitle", { reference: data.reference })} />
      )}
      <PaymentsTable payments={data.payments} />
      <p>
        <Link to={`/agent/members/${data.memberId}`}>{t("sell.closed.back", { name: data.memberName })}</Link>
      </p>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Sell");
