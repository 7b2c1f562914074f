import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Fragment } from "react";
import { z } from "zod";
import { AccountNav } from "~/components/account/account-nav";
import { FREQUENCY_NAMES, InstalmentBadge, PaymentBadge, PolicyBadge } from "~/components/account/status";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { METHOD_LABELS } from "~/modules/payments/methods";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { requirePermission, requireUser } from "~/modules/auth/guards.server";
import { getProfile } from "~/modules/auth/users.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { startPayment } from "~/modules/payments/payments.server";
import { normaliseKenyanPhone } from "~/modules/payments/providers/phone";
import { paymentOptions } from "~/modules/payments/settings.server";
import { checkInstalmentPayable, getMyPolicy } from "~/modules/policies/customer.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { lineText } from "~/lib/text";

const IDENTIFIER_NAMES: Record<string, string> = {
  national_id: "National ID",
  kra_pin: "KRA PIN",
  nric: "NRIC",
  bank_account: "Bank account",
};

const paySchema = z
  .object({
    instalmentId: lineText("Choose the instalment to pay").uuid("Choose the instalment to pay"),
    method: z.enum(["mpesa", "card"], { required_error: "Choose how to pay", invalid_type_error: "Choose how to pay" }),
    phone: lineText().max(40, "Enter a Kenyan mobile number, like 0712 345 678.").optional(),
  })
  .superRefine((value, ctx) => {
    if (value.method !== "mpesa") return;
    const phone = normaliseKenyanPhone(value.phone ?? "");
    if (!phone.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["phone"], message: phone.message });
  });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const policyId = uuidParam(params, "policyId");
  const { policy, options, profile } = await withTenant(tenant.id, async (db) => ({
    policy: await getMyPolicy(db, user.id, policyId),
    options: await paymentOptions(db, tenant),
    profile: await getProfile(db, user.id),
  }));
  if (!policy) throw new Response("Not found", { status: 404 });

  const money = (minor: number) => formatMoney(minor, policy.currency, tenant.locale);
  // Cover and due dates are calendar dates (no time of day): shown as they are, whatever the zone.
  const day = (value: string | null) => (value ? formatDate(value, tenant.locale, "UTC") : null);
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  // Links are signed for this user alone and live five minutes; reloading the page makes fresh ones.
  const link = (fileKey: string, filename: string) =>
    signDownload({ tenantId: tenant.id, fileKey, userId: user.id, filename, expiresInSeconds: 300 });
  const numberForFile = (policy.policyNumber ?? policy.orderReference).replace(/[^A-Za-z0-9-]/g, "-");

  return json({
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
      frequency: FREQUENCY_NAMES[policy.frequency] ?? policy.frequency,
      instalment: money(policy.instalmentMinor),
      annualPremium: money(policy.annualPremiumMinor),
      discount: policy.discountMinor > 0 ? money(policy.discountMinor) : null,
      startDate: day(policy.startDate),
      endDate: day(policy.endDate),
      issuedAt: policy.issuedAt ? when(policy.issuedAt) : null,
      // Issued cover (not declined or waiting) may review its product.
      reviewable: Boolean(policy.policyNumber) && ["active", "grace", "lapsed", "expired", "cancelled"].includes(policy.status),
    },
    holder: {
      name: policy.holder.name,
      email: policy.holder.email,
      phone: policy.holder.phone,
      identifiers: policy.holder.identifiers.map((i) => ({ label: IDENTIFIER_NAMES[i.kind] ?? i.kind, masked: i.masked })),
    },
    beneficiaries: policy.beneficiaries.map((b) => ({ ...b, share: `${(b.shareBp / 100).toLocaleString(tenant.locale)}%` })),
    instalments: policy.instalments.map((i) => ({
      id: i.id,
      sequence: i.sequence,
      dueDate: day(i.dueDate)!,
      amount: money(i.amountMinor),
      status: i.status,
      paidAt: i.paidAt ? when(i.paidAt) : null,
      payable: policy.payable?.id === i.id,
    })),
    payable: policy.payable
      ? {
          id: policy.payable.id,
          sequence: policy.payable.sequence,
          dueDate: day(policy.payable.dueDate)!,
          amount: money(policy.payable.amountMinor),
          status: policy.payable.status,
          pendingTransactionId: policy.payable.pendingTransactionId,
        }
      : null,
    certificate: policy.policyNumber
      ? {
          url: policy.certificateFileKey ? link(policy.certificateFileKey, `Certificate-${numberForFile}.pdf`) : null,
        }
      : null,
    payments: policy.payments.map((t) => ({
      id: t.id,
      date: when(t.createdAt),
      status: t.status,
      method: METHOD_LABELS[t.method],
      amount: money(t.amountMinor),
      refunded: t.refundedMinor > 0 ? money(t.refundedMinor) : null,
      what: t.instalmentSequence ? `Instalment ${t.instalmentSequence}` : `Order ${t.orderReference ?? ""}`.trim(),
      receipt: t.receipt
        ? {
            number: t.receipt.number,
            url: t.receipt.fileKey ? link(t.receipt.fileKey, `Receipt-${t.receipt.number.replace(/[^A-Za-z0-9-]/g, "-")}.pdf`) : null,
          }
        : null,
    })),
    options: options.map((o) => ({ method: o.method, label: o.label })),
    defaultPhone: policy.holder.phone ?? profile?.phone ?? "",
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "buy:policy:own");
  const policyId = uuidParam(params, "policyId");
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: paySchema });
  if (submission.status !== "success") return json({ reply: submission.reply() }, { status: 400 });
  const { instalmentId, method, phone } = submission.value;

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
  });
  if (!result.ok) {
    const errors: Record<string, string[]> = { ...(result.fieldErrors ?? {}) };
    if (!Object.keys(errors).length) errors.form = [result.message];
    return json({ reply: submission.reply(replyErrors(errors)) }, { status: 400 });
  }
  if (result.customerAction.type === "redirect") return redirect(result.customerAction.url);
  return redirect(`/account/payments/${result.transactionId}`);
}

export default function PolicyPage() {
  const { policy, holder, beneficiaries, instalments, payable, certificate, payments, options, defaultPhone } =
    useLoaderData<typeof loader>();
  const title = policy.policyNumber ? `${policy.productName} · ${policy.policyNumber}` : policy.productName;
  return (
    <div className="account stack">
      <nav aria-label="Breadcrumbs" className="breadcrumbs">
        <Link to="/account/policies">My policies</Link> <span aria-hidden>/</span> <span aria-current="page">{policy.productName}</span>
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

      <section className="card" aria-labelledby="policy-title">
        <h2 id="policy-title">Policy</h2>
        <dl className="details-list">
          <dt>Policy number</dt>
          <dd>{policy.policyNumber ?? <span className="muted">Not issued yet</span>}</dd>
          <dt>Product</dt>
          <dd>
            <Link to={`/products/${policy.productSlug}`}>{policy.productName}</Link>
          </dd>
          <dt>Insurer</dt>
          <dd>{policy.insurerName}</dd>
          <dt>Cover</dt>
          <dd>
            {policy.startDate ? (
              `${policy.startDate} to ${policy.endDate ?? "—"}`
            ) : (
              <span className="muted">Starts when the policy is issued</span>
            )}
          </dd>
          <dt>Premium</dt>
          <dd>
            {policy.annualPremium} a year before levies{policy.discount ? `, less a ${policy.discount} discount` : ""}, paid{" "}
            {policy.frequency.toLowerCase()}
          </dd>
          <dt>Order</dt>
          <dd>
            <Link to={`/orders/${policy.orderId}`}>{policy.orderReference}</Link>
          </dd>
          {policy.issuedAt ? (
            <>
              <dt>Issued</dt>
              <dd>{policy.issuedAt}</dd>
            </>
          ) : null}
        </dl>
      </section>

      {policy.reviewable ? (
        <p className="section-actions">
          <Link to={`/account/claims/new?policy=${policy.id}`} className="btn btn-primary">
            File a claim
          </Link>{" "}
          <Link to={`/account/claims?policy=${policy.id}`}>Claims on this policy</Link>
        </p>
      ) : null}
      {policy.reviewable ? (
        <p>
          <Link to={`/account/policies/${policy.id}/review`}>Review {policy.productName}</Link>
          <span className="muted"> — tell other customers what the cover is like.</span>
        </p>
      ) : null}
      {policy.policyNumber && ["active", "grace", "cancelled"].includes(policy.status) ? (
        <p>
          <Link to={`/account/policies/${policy.id}/cancel`}>
            {policy.status === "cancelled" ? "The cancellation, its refund and letter" : "Cancel this policy"}
          </Link>
        </p>
      ) : null}
      <section className="card" aria-labelledby="documents-title">
        <h2 id="documents-title">Documents</h2>
        <ul className="document-list">
          <li>
            <strong>Certificate of insurance</strong>{" "}
            {certificate?.url ? (
              <a href={certificate.url} download>
                Download certificate (PDF)
              </a>
            ) : certificate ? (
              <span className="muted">Being prepared — refresh this page in a minute.</span>
            ) : (
              <span className="muted">Issued with the policy.</span>
            )}
          </li>
          {payments
            .filter((p) => p.receipt)
            .map((p) => (
              <li key={p.id}>
                <strong>Receipt {p.receipt!.number}</strong> <span className="muted">({p.what})</span>{" "}
                {p.receipt!.url ? (
                  <a href={p.receipt!.url} download>
                    Download receipt (PDF)
                  </a>
                ) : (
                  <span className="muted">Being prepared — refresh this page in a minute.</span>
                )}
              </li>
            ))}
        </ul>
        <p className="muted small">Download links work for five minutes and only when you are signed in.</p>
      </section>

      <section className="card" aria-labelledby="holder-title">
        <h2 id="holder-title">Policyholder</h2>
        <dl className="details-list">
          <dt>Name</dt>
          <dd>{holder.name ?? <span className="muted">Not given</span>}</dd>
          {holder.email ? (
            <>
              <dt>Email</dt>
              <dd>{holder.email}</dd>
            </>
          ) : null}
          {holder.phone ? (
            <>
              <dt>Phone</dt>
              <dd>{holder.phone}</dd>
            </>
          ) : null}
          {holder.identifiers.map((i) => (
            <Fragment key={i.label}>
              <dt>{i.label}</dt>
              <dd>{i.masked}</dd>
            </Fragment>
          ))}
        </dl>
        {beneficiaries.length > 0 ? (
          <>
            <h3>Beneficiaries</h3>
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Relationship</th>
                    <th scope="col" className="num">
                      Share
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {beneficiaries.map((b) => (
                    <tr key={`${b.name}-${b.relationship}`}>
                      <td data-label="Name">{b.name}</td>
                      <td data-label="Relationship">{b.relationship}</td>
                      <td data-label="Share" className="num">
                        {b.share}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </section>

      <section className="card" aria-labelledby="schedule-title">
        <h2 id="schedule-title">Premium schedule</h2>
        {instalments.length === 0 ? (
          <p className="muted">The schedule is set when the policy is issued.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Instalment</th>
                  <th scope="col">Due</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {instalments.map((i) => (
                  <tr key={i.id} className={i.payable ? "chosen" : undefined}>
                    <td data-label="Instalment">{i.sequence}</td>
                    <td data-label="Due">{i.dueDate}</td>
                    <td data-label="Amount" className="num">
                      {i.amount}
                    </td>
                    <td data-label="Status">
                      <span>
                        <InstalmentBadge status={i.status} />
                        {i.paidAt ? <span className="muted small"> {i.paidAt}</span> : null}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {payable ? <PayInstalment payable={payable} options={options} defaultPhone={defaultPhone} /> : null}
      </section>

      <section className="card" aria-labelledby="payments-title">
        <h2 id="payments-title">Payments</h2>
        {payments.length === 0 ? (
          <p className="muted">No payments yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">For</th>
                  <th scope="col">Method</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {payments.map((p) => (
                  <tr key={p.id}>
                    <td data-label="Date">
                      <Link to={`/account/payments/${p.id}`}>{p.date}</Link>
                    </td>
                    <td data-label="For">{p.what}</td>
                    <td data-label="Method">{p.method}</td>
                    <td data-label="Amount" className="num">
                      {p.amount}
                    </td>
                    <td data-label="Status">
                      <span>
                        <PaymentBadge status={p.status} />
                        {p.refunded ? <span className="muted small"> {p.refunded} refunded</span> : null}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="section-actions">
          <Link to="/account/payments">All your payments</Link>
        </p>
      </section>
    </div>
  );
}

function StatusNotice({ status, declineReason }: { status: string; declineReason: string | null }) {
  switch (status) {
    case "pending_underwriting":
      return (
        <Alert tone="info" title="Awaiting underwriting">
          The insurer is reviewing your application. We will email you as soon as it is decided; if it is declined, your payment is refunded
          in full.
        </Alert>
      );
    case "pending_payment":
      return (
        <Alert tone="info" title="Awaiting payment">
          This policy is issued once its first payment is confirmed.
        </Alert>
      );
    case "grace":
      return (
        <Alert tone="warning" title="Payment overdue">
          An instalment is overdue. You are still covered for now; pay it below to keep your cover.
        </Alert>
      );
    case "lapsed":
      return (
        <Alert tone="error" title="Lapsed">
          This policy lapsed because an instalment was not paid. Contact us to discuss reinstating it.
        </Alert>
      );
    case "declined":
      return (
        <Alert tone="error" title="Declined">
          {declineReason ? `The insurer declined this application: ${declineReason}` : "The insurer declined this application."} Your
          payment for it is refunded.
        </Alert>
      );
    case "cancelled":
      return (
        <Alert tone="warning" title="Cancelled">
          This policy has been cancelled.
        </Alert>
      );
    case "expired":
      return (
        <Alert tone="info" title="Expired">
          This policy&apos;s cover period has ended.
        </Alert>
      );
    default:
      return null;
  }
}

type ActionData = { reply?: SubmissionResult<string[]> };

function PayInstalment({
  payable,
  options,
  defaultPhone,
}: {
  payable: { id: string; sequence: number; dueDate: string; amount: string; status: string; pendingTransactionId: string | null };
  options: { method: "mpesa" | "card"; label: string }[];
  defaultPhone: string;
}) {
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "pay-instalment",
    lastResult: actionData?.reply,
    constraint: getZodConstraint(paySchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: { instalmentId: payable.id, method: options[0]?.method, phone: defaultPhone },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: paySchema }),
  });
  const heading = `Pay instalment ${payable.sequence}: ${payable.amount}, due ${payable.dueDate}`;
  if (options.length === 0) {
    return (
      <p className="section-actions muted">
        Online payment is not available right now. Contact us to pay instalment {payable.sequence} ({payable.amount}).
      </p>
    );
  }
  const method = fields.method.value ?? options[0]?.method;
  return (
    <Form method="post" {...getFormProps(form)} className="section-actions pay-form" aria-labelledby="pay-title">
      <h3 id="pay-title">{heading}</h3>
      {payable.pendingTransactionId ? (
        <Alert tone="info" title={`A payment for instalment ${payable.sequence} is in progress.`}>
          <Link to={`/account/payments/${payable.pendingTransactionId}`}>See its status</Link>, or pay again below if the request did not
          reach you.
        </Alert>
      ) : null}
      <FormErrors errors={form.errors} />
      <input type="hidden" name={fields.instalmentId.name} value={payable.id} />
      <fieldset
        className={`field${fields.method.errors?.length ? " field-invalid" : ""}`}
        aria-describedby={fields.method.errors?.length ? "pay-method-error" : undefined}
      >
        <legend>Pay with</legend>
        {options.map((o) => (
          <label key={o.method} className="checkbox">
            <input type="radio" name={fields.method.name} value={o.method} defaultChecked={fields.method.initialValue === o.method} />{" "}
            {o.label}
          </label>
        ))}
        {fields.method.errors?.length ? (
          <p className="field-error" id="pay-method-error" role="alert">
            {fields.method.errors.join(" ")}
          </p>
        ) : null}
      </fieldset>
      {options.some((o) => o.method === "mpesa") && method === "mpesa" ? (
        <Field
          label="M-Pesa phone number"
          {...inputProps(fields.phone, { type: "tel" })}
          autoComplete="tel"
          hint="We send the payment request to this phone: enter your M-Pesa PIN on it to pay."
        />
      ) : null}
      <div className="actions">
        <Button type="submit" busy={navigation.state === "submitting"}>
          Pay {payable.amount}
        </Button>
      </div>
    </Form>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data ? `${data.policy.productName}${data.policy.policyNumber ? ` ${data.policy.policyNumber}` : ""}` : "Policy");
