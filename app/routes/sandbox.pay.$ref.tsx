import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { PaymentBadge } from "~/components/account/status";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant, type TenantDb } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { getPayment } from "~/modules/payments/payments.server";
import type { SandboxCard } from "~/modules/payments/providers/sandbox.server";
import { playSandboxChoice, sandboxPayment } from "~/modules/payments/sandbox.server";
import { requireTenant } from "~/modules/tenancy/resolve.server";
import { lineText } from "~/lib/text";
import { readForm } from "~/lib/forms";
import { Trans, useTranslation } from "react-i18next";
import { useErrorText } from "~/components/ui/field";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * /sandbox/pay/<ref>: plays the customer's side of a sandbox payment — the M-Pesa PIN prompt on
 * their phone, or the card form — so the whole journey runs offline. Test mode only; nothing here
 * is ever sent anywhere (the PIN and card fields are checked for shape and dropped). The choice is
 * posted to the payments core, which delivers it as a signed provider callback like any other.
 */
const REF_PATTERN = /^sbx_[a-f0-9]{24}$/;
const CHOICES = ["approve", "decline", "cancel", "timeout"] as const;
const NO_STORE = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };

const choiceSchema = z.object({ choice: z.enum(CHOICES, { errorMap: () => ({ message: "Choose what the customer does." }) }) });
const pinSchema = z.object({
  pin: lineText("Enter a 4-digit PIN.").regex(/^\d{4}$/, "Enter a 4-digit PIN."),
});
const cardSchema = z.object({
  cardNumber: lineText("Enter the card number.")
    .transform((v) => v.replace(/[\s-]/g, ""))
    .refine((v) => /^\d{12,19}$/.test(v) && luhn(v), "Enter a valid card number, such as the test card 4242 4242 4242 4242."),
  expiry: lineText("Enter the expiry date.").refine(notExpired, "Enter a future expiry date as MM/YY."),
  cvc: lineText("Enter the security code.").regex(/^\d{3,4}$/, "Enter the 3 or 4 digit security code."),
});

async function load(db: TenantDb, ref: string) {
  const sandbox = await sandboxPayment(db, ref);
  if (!sandbox) return undefined;
  const payment = await getPayment(db, sandbox.transactionId);
  // Sandbox transactions are test mode by construction; refuse anything else all the same.
  if (!payment || payment.mode !== "test") return undefined;
  return { sandbox, payment };
}

/** Where the customer goes when their "phone" is done: the page that was waiting for the payment. */
function returnPath(payment: { id: string; orderId: string | null }): string {
  return payment.orderId ? `/checkout/${payment.orderId}/pay/${payment.id}` : `/account/payments/${payment.id}`;
}

function refParam(ref: string | undefined): string {
  if (!ref || !REF_PATTERN.test(ref)) throw new Response("Not found", { status: 404 });
  return ref;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const ref = refParam(params.ref);
  const found = await withTenant(tenant.id, (db) => load(db, ref));
  if (!found) throw new Response("Not found", { status: 404 });
  const { sandbox, payment } = found;
  return json(
    {
      agency: tenant.name,
      method: sandbox.method,
      status: sandbox.status,
      amount: formatMoney(sandbox.amountMinor, sandbox.currency, tenant.locale),
      reference: sandbox.reference,
      phoneMasked: sandbox.phoneMasked,
      saveMethod: sandbox.saveMethod,
      bankName: sandbox.bankName,
      returnTo: returnPath(payment),
      title: (await serverT(tenant.language, "checkout"))("sandbox.title"),
    },
    { headers: NO_STORE },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

type Errors = Partial<Record<"pin" | "cardNumber" | "expiry" | "cvc" | "form", string[]>>;

export async function action({ request, params }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const ref = refParam(params.ref);
  const found = await withTenant(tenant.id, (db) => load(db, ref));
  if (!found) throw new Response("Not found", { status: 404 });
  const { sandbox, payment } = found;
  // Already answered (another tab, a double click): show where it ended up.
  if (sandbox.status !== "pending") return redirect(returnPath(payment));

  const form = Object.fromEntries(await readForm(request));
  const parsed = choiceSchema.safeParse(form);
  if (!parsed.success) return json({ errors: { form: ["Choose what the customer does."] } as Errors }, { status: 400 });
  const { choice } = parsed.data;
  let card: SandboxCard | undefined;
  // FPX and e-wallets: the bank's own login is played by the buttons alone.
  if (choice === "approve" && (sandbox.method === "mpesa" || sandbox.method === "card")) {
    const details = (sandbox.method === "mpesa" ? pinSchema : cardSchema).safeParse(form);
    if (!details.success) return json({ errors: details.error.flatten().fieldErrors as Errors }, { status: 400 });
    if ("cardNumber" in details.data) card = cardOf(details.data.cardNumber, details.data.expiry);
  }
  const result = await playSandboxChoice(tenant, ref, choice, card);
  if (!result.ok) return json({ errors: { form: [result.message] } as Errors }, { status: 400 });
  return redirect(returnPath(payment));
}

export default function SandboxPay() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Errors = actionData && "errors" in actionData ? actionData.errors : {};
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("choice") ?? "") : "";
  const pending = data.status === "pending";
  const { t } = useTranslation("checkout");
  const { t: tAccount } = useTranslation("account");
  const errorText = useErrorText();
  const bank = data.method === "fpx" || data.method === "ewallet";

  return (
    <section className="sandbox-page stack narrow" aria-labelledby="sandbox-title">
      <div className="sandbox-banner" role="note">
        <strong>{t("sandbox.banner")}</strong>{" "}
        {t(data.method === "mpesa" ? "sandbox.standsInPhone" : bank ? "sandbox.standsInBank" : "sandbox.standsInCard", {
          agency: data.agency,
        })}
      </div>
      <h1 id="sandbox-title">
        {data.method === "mpesa"
          ? t("sandbox.mpesaTitle")
          : data.method === "fpx"
            ? t("sandbox.bankTitle")
            : data.method === "ewallet"
              ? t("sandbox.walletTitle")
              : t("sandbox.cardTitle")}
      </h1>
      <p className="muted">{t("sandbox.payment", { reference: data.reference, amount: data.amount })}</p>

      {!pending ? (
        <div aria-live="polite">
          <Alert
            tone={data.status === "completed" ? "success" : "info"}
            title={t("sandbox.done", { status: tAccount(`status.payment.${data.status}`).toLowerCase() })}
          >
            <p>
              <PaymentBadge status={data.status} /> {t("sandbox.nothingMore")}
            </p>
            <p>
              <Link to={data.returnTo}>{t("sandbox.back")}</Link>
            </p>
          </Alert>
        </div>
      ) : (
        <Form method="post" className="sandbox-form">
          {errors.form ? <Alert tone="error">{errorText(errors.form)}</Alert> : null}
          {data.method === "mpesa" ? (
            <div className="phone-frame">
              <div className="phone-screen">
                <p className="phone-title">{"M-PESA"}</p>
                <p>{t("sandbox.enterPin", { amount: data.amount, agency: data.agency })}</p>
                <p className="muted small">
                  {t("sandbox.account", { reference: data.reference })}
                  {data.phoneMasked ? ` · ${t("sandbox.from", { phone: data.phoneMasked })}` : ""}
                </p>
                <Field
                  id="sandbox-pin"
                  label={t("sandbox.pin")}
                  name="pin"
                  type="password"
                  inputMode="numeric"
                  autoComplete="off"
                  pattern="\d{4}"
                  maxLength={4}
                  required
                  hint={t("sandbox.pinHint")}
                  errors={errors.pin}
                />
                <div className="phone-actions">
                  <Button type="submit" name="choice" value="approve" busy={busy === "approve"}>
                    {t("sandbox.approve")}
                  </Button>
                  <Button type="submit" name="choice" value="decline" variant="secondary" formNoValidate busy={busy === "decline"}>
                    {t("sandbox.wrongPin")}
                  </Button>
                </div>
              </div>
            </div>
          ) : bank ? (
            <div className="card sandbox-card">
              <p>{t("sandbox.bankApprove", { bank: data.bankName ?? "", amount: data.amount, agency: data.agency })}</p>
              <div className="actions">
                <Button type="submit" name="choice" value="approve" busy={busy === "approve"}>
                  {t("pay.payAmount", { amount: data.amount })}
                </Button>
                <Button type="submit" name="choice" value="decline" variant="secondary" busy={busy === "decline"}>
                  {t("sandbox.bankDecline")}
                </Button>
              </div>
            </div>
          ) : (
            <div className="card sandbox-card">
              <Alert tone="info">
                <Trans t={t} i18nKey="sandbox.testCard" components={{ strong: <strong /> }} />
                {data.saveMethod ? (
                  <>
                    {" "}
                    <Trans t={t} i18nKey="sandbox.savedCards" components={{ strong: <strong /> }} />
                  </>
                ) : null}
              </Alert>
              <Field
                id="sandbox-card-number"
                label={t("sandbox.cardNumber")}
                name="cardNumber"
                inputMode="numeric"
                autoComplete="off"
                required
                placeholder="4242 4242 4242 4242"
                errors={errors.cardNumber}
              />
              <div className="form-grid">
                <Field
                  id="sandbox-expiry"
                  label={t("sandbox.expiry")}
                  name="expiry"
                  autoComplete="off"
                  required
                  placeholder="12/34"
                  errors={errors.expiry}
                />
                <Field
                  id="sandbox-cvc"
                  label={t("sandbox.cvc")}
                  name="cvc"
                  inputMode="numeric"
                  autoComplete="off"
                  required
                  maxLength={4}
                  placeholder="123"
                  errors={errors.cvc}
                />
              </div>
              <div className="actions">
                <Button type="submit" name="choice" value="approve" busy={busy === "approve"}>
                  {t("pay.payAmount", { amount: data.amount })}
                </Button>
                <Button type="submit" name="choice" value="decline" variant="secondary" formNoValidate busy={busy === "decline"}>
                  {t("sandbox.declined")}
                </Button>
              </div>
            </div>
          )}
          <div className="actions sandbox-other">
            <Button type="submit" name="choice" value="cancel" variant="ghost" formNoValidate busy={busy === "cancel"}>
              {t("sandbox.cancel")}
            </Button>
            <Button type="submit" name="choice" value="timeout" variant="ghost" formNoValidate busy={busy === "timeout"}>
              {t("sandbox.timeout")}
            </Button>
          </div>
        </Form>
      )}
    </section>
  );
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** What the sandbox keeps of a card it saves: the last 4 and the expiry, never the number. */
function cardOf(cardNumber: string, expiry: string): SandboxCard {
  const [month, year] = expiry.split("/").map((p) => p.trim());
  return {
    last4: cardNumber.slice(-4),
    expMonth: Number(month),
    expYear: year!.length === 2 ? 2000 + Number(year) : Number(year),
  };
}

function notExpired(value: string): boolean {
  const match = /^(\d{2})\s*\/\s*(\d{2}|\d{4})$/.exec(value);
  if (!match) return false;
  const month = Number(match[1]);
  const year = match[2]!.length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  if (month < 1 || month > 12) return false;
  const now = new Date();
  return year > now.getUTCFullYear() || (year === now.getUTCFullYear() && month >= now.getUTCMonth() + 1);
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [
  ...pageTitle(matches, data?.title ?? "Sandbox payment"),
  { name: "robots", content: "noindex" },
];
