import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ClosedStep } from "~/components/agent/sell/closed-step";
import { SaleCommission } from "~/components/agent/sell/commission";
import { DetailsStep } from "~/components/agent/sell/details-step";
import { PaymentStep } from "~/components/agent/sell/payment-step";
import { ProductStep } from "~/components/agent/sell/product-step";
import { ReviewStep } from "~/components/agent/sell/review-step";
import { QuoteForm } from "~/components/quote-form";
import { Alert } from "~/components/ui/alert";
import { useErrorText } from "~/components/ui/field";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { answerSaleForm } from "~/modules/members/sale-answers.server";
import { saleContext, saleView } from "~/modules/members/sale-page.server";
import type { SaleIntent } from "~/modules/members/sale-url";
import checkoutStyles from "~/styles/checkout.css";

/**
 * /agent/members/:memberId/sell — an agent sells a product to one of their members, one step per
 * page, without JavaScript: choose the product → its quote inputs and a payment frequency → the
 * holder's details and beneficiaries → review, with the member's agreement to the terms → pay: a link
 * emailed to the member, or a payment the agent collected offline (cash, bank-in) for staff to confirm.
 * The order in progress rides in the URL (?order=…); another agent's order or member is a 404.
 * Which step shows is worked out in sale-page.server.ts, the forms are answered in
 * sale-answers.server.ts, and each step is drawn by a component of components/agent/sell. Once the
 * product and frequency are chosen, the page shows what the sale earns the agent and each tier.
 */
export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkoutStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, agent, member } = await saleContext(request, uuidParam(params, "memberId"));
  return json(await saleView(tenant, agent, member, new URL(request.url).searchParams));
}

export async function action({ request, params }: ActionFunctionArgs) {
  return answerSaleForm(request, uuidParam(params, "memberId"));
}

export default function SellToMember() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("agent");
  const errorText = useErrorText();
  const lastResult = (intent: SaleIntent) =>
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
        <ProductStep data={data} />
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
        <DetailsStep data={data} lastResult={lastResult("details")} />
      ) : data.stage === "review" ? (
        <ReviewStep data={data} lastResult={lastResult("terms")} />
      ) : data.stage === "payment" ? (
        <PaymentStep data={data} linkResult={lastResult("link")} offlineResult={lastResult("offline")} />
      ) : (
        <ClosedStep data={data} />
      )}
      {"commission" in data ? <SaleCommission lines={data.commission} currency={data.currency} locale={data.locale} /> : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Sell");
