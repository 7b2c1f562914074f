import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { PolicyBadge } from "~/components/account/status";
import { PolicyActions } from "~/components/policy/policy-actions";
import { PolicyDocuments } from "~/components/policy/policy-documents";
import { PolicyHolder } from "~/components/policy/policy-holder";
import { PolicyPayments } from "~/components/policy/policy-payments";
import { PolicySummary } from "~/components/policy/policy-summary";
import { PolicyTimeline } from "~/components/policy/policy-timeline";
import { payInstalmentSchema, payOptionsIn, PremiumSchedule } from "~/components/policy/premium-schedule";
import { bankCodeOf, pickerErrors } from "~/components/payments/bank-select";
import { banksFor } from "~/modules/payments/banks.server";
import { StatusNotice } from "~/components/policy/status-notice";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { requirePermission, requireUser } from "~/modules/auth/guards.server";
import { getProfile } from "~/modules/auth/users.server";
import { customerMayChange } from "~/modules/endorsements/rules.server";
import { policyTimelineItems } from "~/modules/endorsements/timeline.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { startPayment } from "~/modules/payments/payments.server";
import { cancelPolicyMandate, mandateOffer, mandateSummary, startMandate } from "~/modules/payments/mandates.server";
import { PolicyMandate } from "~/components/policy/policy-mandate";
import { lineText } from "~/lib/text";
import { z } from "zod";
import { paymentOptions } from "~/modules/payments/settings.server";
import { checkInstalmentPayable, getMyPolicy } from "~/modules/policies/customer.server";
import { RenewalInfo } from "~/components/renewals/renewal-info";
import { renewalLinks } from "~/modules/renewals/renewals.server";
import { quoteDateIn } from "~/modules/rating";
import { originOf } from "~/modules/tenancy/resolve.server";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { serverT } from "~/modules/i18n/i18n.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const policyId = uuidParam(params, "policyId");
  const [t, policyT] = await Promise.all([serverT(tenant.language, "account"), serverT(tenant.language, "policy")]);
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  // Cover and due dates are calendar dates (no time of day): shown as they are, whatever the zone.
  const day = (value: string | null) => (value ? formatDate(value, tenant.locale, "UTC") : null);
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  // Links are signed for this user alone and live five minutes; reloading the page makes fresh ones.
  const link = (fileKey: string, filename: string) =>
    signDownload({ tenantId: tenant.id, fileKey, userId: user.id, filename, expiresInSeconds: 300 });
  const found = await withTenant(tenant.id, async (db) => {
    const policy = await getMyPolicy(db, user.id, policyId);
    if (!policy) return null;
    const fileStem = (policy.policyNumber ?? policy.orderReference).replace(/[^A-Za-z0-9-]/g, "-");
    const options = await paymentOptions(db, tenant);
    return {
      policy,
      fileStem,
      options,
      profile: await getProfile(db, user.id),
      timeline: await policyTimelineItems(db, policyId, { day: (d) => day(d)!, when, money, link, fileStem, t: policyT }),
      changeable: await customerMayChange(db, policyId),
      renewal: await renewalLinks(db, policyId, quoteDateIn(tenant.timeZone)),
      mandate: await mandateSummary(db, tenant, policyId),
      ...(await banksFor(db, tenant.id, options)),
      mandateOffer: await mandateOffer(db, tenant, policyId, user.id),
    };
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { policy, options, profile, timeline, changeable, renewal, fileStem: numberForFile } = found;
  const offer = found.mandateOffer;
  const policyMoney = (minor: number) => money(minor, policy.currency);

  const paymentFor = (p: Parameters<typeof paymentIn>[1]) => paymentIn(t, p);
  return json({
    title: policy.policyNumber ? `${policy.productName} ${policy.policyNumber}` : policy.productName,
    renewal: { ...renewal, renewHref: renewal.canRenew ? `/account/policies/${policy.id}/renew` : null },
    policy: {
      id: policy.id,
      policyNumber: policy.policyNumber,
      status: policy.status,
      declineReason: policy.declineReason,
      productName: policy.productName,
      productSlug: policy.productSlug,
      insurerName: policy.insurerName,
      categoryName: policy.categoryName,
      orderId: policy.orderId,
      orderReference: policy.orderReference,
      frequency: t(`frequency.${policy.frequency}`, { defaultValue: policy.frequency }),
      instalment: policyMoney(policy.instalmentMinor),
      annualPremium: policyMoney(policy.annualPremiumMinor),
      discount: policy.discountMinor > 0 ? policyMoney(policy.discountMinor) : null,
      startDate: day(policy.startDate),
      endDate: day(policy.endDate),
      issuedAt: policy.issuedAt ? when(policy.issuedAt) : null,
      // Issued cover (not declined or waiting) may review its product.
      reviewable: Boolean(policy.policyNumber) && ["active", "grace", "lapsed", "expired", "cancelled"].includes(policy.status),
      changeable,
    },
    holder: {
      name: policy.holder.name,
      email: policy.holder.email,
      phone: policy.holder.phone,
      identifiers: policy.holder.identifiers.map((i) => ({
        label: t(`policyDetail.identifier.${i.kind}`, { defaultValue: i.kind }),
        masked: i.masked,
      })),
    },
    beneficiaries: policy.beneficiaries.map((b) => ({
      ...b,
      relationship: t(`relationship.${b.relationship}`, { defaultValue: b.relationship }),
      share: `${(b.shareBp / 100).toLocaleString(tenant.locale)}%`,
    })),
    instalments: policy.instalments.map((i) => ({
      id: i.id,
      sequence: i.sequence,
      dueDate: day(i.dueDate)!,
      amount: policyMoney(i.amountMinor),
      status: i.status,
      paidAt: i.paidAt ? when(i.paidAt) : null,
      payable: policy.payable?.id === i.id,
    })),
    payable: policy.payable
      ? {
          id: policy.payable.id,
          sequence: policy.payable.sequence,
          dueDate: day(policy.payable.dueDate)!,
          amount: policyMoney(policy.payable.amountMinor),
          status: policy.payable.status,
          pendingTransactionId: policy.payable.pendingTransactionId,
        }
      : null,
    certificate: policy.policyNumber
      ? {
          // The certificate of the version in force: the newest one drawn (the timeline lists each).
          url:
            timeline.find((t) => !t.pending && t.certificateUrl)?.certificateUrl ??
            (policy.certificateFileKey ? link(policy.certificateFileKey, `Certificate-${numberForFile}.pdf`) : null),
        }
      : null,
    receipts: policy.payments.flatMap((p) =>
      p.receipt
        ? [
            {
              id: p.id,
              number: p.receipt.number,
              what: paymentFor(p),
              url: p.receipt.fileKey ? link(p.receipt.fileKey, `Receipt-${p.receipt.number.replace(/[^A-Za-z0-9-]/g, "-")}.pdf`) : null,
            },
          ]
        : [],
    ),
    payments: policy.payments.map((p) => ({
      id: p.id,
      date: when(p.createdAt),
      status: p.status,
      method: t(`method.${p.method}`),
      amount: policyMoney(p.amountMinor),
      refunded: p.refundedMinor > 0 ? policyMoney(p.refundedMinor) : null,
      what: paymentFor(p),
    })),
    timeline,
    options: payOptionsIn(t, options),
    defaultPhone: policy.holder.phone ?? profile?.phone ?? "",
    mandate: found.mandate,
    banks: found.banks,
    wallets: found.wallets,
    mandateOffer: offer
      ? {
          banks: offer.banks,
          first: policyMoney(offer.first.amountMinor),
          firstDue: day(offer.first.dueDate)!,
          early: offer.first.early,
          maxAmount: policyMoney(offer.maxAmountMinor),
          expires: day(offer.expiresOn)!,
          agency: tenant.name,
        }
      : null,
    mandateCancelled: new URL(request.url).searchParams.has("mandateCancelled"),
  });
}

/** What a payment was for, in the customer's words. */
function paymentIn(t: TFunction, p: { instalmentSequence: number | null; policyVersion: number | null; orderReference: string | null }) {
  if (p.instalmentSequence) return t("policyDetail.paidInstalment", { sequence: p.instalmentSequence });
  if (p.policyVersion) return t("policyDetail.paidChange", { version: p.policyVersion });
  return t("payments.order", { reference: p.orderReference ?? "" }).trim();
}

/** "Set up automatic debit": the bank and the member's consent (decision 046). */
const mandateSchema = z.object({
  bankCode: lineText("Choose a bank that is online now.").max(32, "Choose a bank that is online now."),
  consent: z.literal("on", { errorMap: () => ({ message: "Tick the box to authorise the automatic debit." }) }),
});

async function mandateAction(request: Request, formData: FormData, intent: string, policyId: string) {
  const { tenant, user } = await requirePermission(request, "buy:policy:own");
  // Someone else's policy is not found, whatever the form says (as the page itself).
  if (!(await withTenant(tenant.id, (db) => getMyPolicy(db, user.id, policyId)))) throw new Response("Not found", { status: 404 });
  if (intent === "cancelMandate") {
    const cancelled = await cancelPolicyMandate(tenant, { policyId, userId: user.id, actorUserId: user.id });
    if (!cancelled.ok) return json({ mandateErrors: { form: [cancelled.message] } }, { status: 400 });
    return redirect(`/account/policies/${policyId}?mandateCancelled=1#autodebit`);
  }
  const parsed = mandateSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return json({ mandateErrors: parsed.error.flatten().fieldErrors }, { status: 400 });
  const started = await startMandate(tenant, { policyId, userId: user.id, bankCode: parsed.data.bankCode, origin: originOf(request) });
  if (!started.ok) return json({ mandateErrors: { [started.field ?? "form"]: [started.message] } }, { status: 400 });
  return redirect(started.url);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "buy:policy:own");
  const policyId = uuidParam(params, "policyId");
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  if (intent === "mandate" || intent === "cancelMandate") return mandateAction(request, formData, intent, policyId);
  const submission = parseWithZod(formData, { schema: payInstalmentSchema });
  if (submission.status !== "success") return json({ reply: submission.reply() }, { status: 400 });
  const { instalmentId, method, phone } = submission.value;
  const bankCode = bankCodeOf(submission.value);

  const check = await withTenant(tenant.id, async (db) => ({
    payable: await checkInstalmentPayable(db, user.id, policyId, instalmentId),
    options: await paymentOptions(db, tenant),
  }));
  if (!check.payable.ok) {
    if (check.payable.code === "not_found") throw new Response("Not found", { status: 404 });
    return json({ reply: submission.reply({ formErrors: [check.payable.message] }) }, { status: 400 });
  }
  if (!check.options.some((o) => o.method === method)) {
    return json(
      { reply: submission.reply({ fieldErrors: { method: ["This payment method is not available. Choose another."] } }) },
      { status: 400 },
    );
  }

  const result = await startPayment(tenant, {
    target: { instalmentId },
    userId: user.id,
    method,
    phone: method === "mpesa" ? phone : undefined,
    email: user.email,
    origin: originOf(request),
    bankCode,
  });
  if (!result.ok) {
    const errors = pickerErrors(method, result.fieldErrors);
    if (!Object.keys(errors).length) errors.form = [result.message];
    return json({ reply: submission.reply(replyErrors(errors)) }, { status: 400 });
  }
  if (result.customerAction.type === "redirect") return redirect(result.customerAction.url);
  return redirect(`/account/payments/${result.transactionId}`);
}

export default function PolicyPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as
    { reply?: SubmissionResult<string[]>; mandateErrors?: Partial<Record<"form" | "bankCode" | "consent", string[]>> } | undefined;
  const { t } = useTranslation("account");
  const { policy } = data;
  const title = policy.policyNumber ? `${policy.productName} · ${policy.policyNumber}` : policy.productName;
  return (
    <div className="account stack">
      <nav aria-label={t("breadcrumbs")} className="breadcrumbs">
        <Link to="/account/policies">{t("policies.title")}</Link> <span aria-hidden>/</span>{" "}
        <span aria-current="page">{policy.productName}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <p className="muted">
            {policy.insurerName} · {policy.categoryName}
          </p>
        </div>
        <PolicyBadge status={policy.status} />
      </div>
      <AccountNav />
      <StatusNotice status={policy.status} declineReason={policy.declineReason} />
      <RenewalInfo data={data.renewal} base="/account/policies" />
      <PolicySummary policy={policy} />
      <PolicyActions policy={policy} />
      <PolicyDocuments certificate={data.certificate} receipts={data.receipts} />
      <PolicyHolder holder={data.holder} beneficiaries={data.beneficiaries} />
      <PremiumSchedule
        instalments={data.instalments}
        payable={data.payable}
        options={data.options}
        defaultPhone={data.defaultPhone}
        lastResult={actionData?.reply}
        banks={data.banks}
        wallets={data.wallets}
      />
      <PolicyMandate
        mandate={data.mandate}
        offer={data.mandateOffer}
        errors={actionData?.mandateErrors}
        cancelled={data.mandateCancelled}
      />
      <PolicyPayments payments={data.payments} />
      <PolicyTimeline items={data.timeline} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Policy");
