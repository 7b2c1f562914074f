import { z } from "zod";
import { lineText } from "~/lib/text";

/**
 * The payment edge (docs/architecture.md §6): one small adapter per provider behind `PaymentProvider`, chosen
 * per tenant with that tenant's credentials and test/live mode. Adapters speak the provider's
 * protocol and nothing else: no database, no state that matters (an OAuth token cache at most).
 *
 * The contract every adapter keeps:
 * - Money is integer minor units plus an ISO 4217 code, in and out (docs/architecture.md §3). An adapter
 *   converts to the provider's unit at the edge and refuses amounts it cannot send exactly.
 * - Expected failures are results, not exceptions: `initiate`, `query` and `refund` resolve with a
 *   failed/refused result carrying a reason code, a customer-safe message and `retryable`. They
 *   throw only on programming errors.
 * - Every call to a provider comes back with its `exchange` (request and response, secrets already
 *   redacted) for the gateway log.
 * - `parseWebhook` verifies first (signature, or for M-Pesa the secret callback token), then parses
 *   into one `ProviderEvent` with a `providerEventId` that is the same for every delivery of the
 *   same event: store raw with unique (provider, providerEventId), answer fast, process in a job.
 */

export const PROVIDER_NAMES = ["mpesa", "paystack", "stripe", "sandbox", "curlec", "paypal"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];
export type Mode = "test" | "live";

// ---------------------------------------------------------------------------------------------
// Requests and results
// ---------------------------------------------------------------------------------------------

export interface InitiateRequest {
  tenantId: string;
  /** Our payment attempt's id (uuid): unique per attempt. Paystack uses it as its reference. */
  transactionId: string;
  /** People-facing reference, e.g. BWM-ORD-2026-000012 (M-Pesa shows a ≤12-char form of it). */
  reference: string;
  /** Integer minor units of `currency`. */
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** M-Pesa: the paying phone, in any format `normaliseKenyanPhone` accepts. */
  phone?: string;
  /** Paystack: required. Stripe: receipt email. */
  email?: string;
  description: string;
  /**
   * Where the provider posts its asynchronous result. M-Pesa only (Paystack and Stripe post to the
   * webhook URL set on their dashboards): it must carry the attempt's unguessable callback token,
   * e.g. https://bowman.example/webhooks/mpesa/<token>.
   */
  callbackUrl: string;
  /** Where a redirect flow (Paystack, Curlec, PayPal) brings the customer back. */
  returnUrl: string;
  /**
   * How the customer chose to pay, for providers that take several (Curlec: card, fpx, ewallet;
   * the sandbox mimics them). Absent means the provider's default (a card, or M-Pesa for M-Pesa).
   */
  method?: "mpesa" | "card" | "fpx" | "ewallet" | "paypal";
  /** FPX: the bank the customer picked from `listBanks()` (Curlec's code, e.g. MB2U0227). E-wallets: the wallet code. */
  bankCode?: string;
  /** Stable across retries of the same attempt. Stripe sends it; the sandbox derives its ref from it. */
  idempotencyKey: string;
  /**
   * The customer asked to keep the card for later payments (decision 029). Stripe attaches it to
   * this Customer (`createCustomer`) with setup_future_usage=off_session; Paystack and the sandbox
   * report a reusable card on success without being asked.
   */
  saveMethod?: { customerRef: string | null };
}

/** What the customer has to do next to pay. */
export type CustomerAction =
  /** M-Pesa: a PIN prompt is on its way to `phone` (normalised, 2547XXXXXXXX). */
  | { type: "stk_push"; phone: string; message: string }
  /** Send the browser to `url` (Paystack checkout, the sandbox page). */
  | { type: "redirect"; url: string }
  /** Stripe: mount the Payment Element with these. */
  | { type: "client_secret"; clientSecret: string; publishableKey: string };

export type InitiateResult =
  | {
      status: "pending";
      /** The provider's handle for this payment: CheckoutRequestID, Paystack reference, PaymentIntent id. */
      providerRef: string;
      customerAction: CustomerAction;
      /** Other provider identifiers worth keeping (MerchantRequestID, access_code). */
      details: Record<string, string>;
      exchange: Exchange;
    }
  | ({ status: "failed" } & Failure);

export interface Failure {
  /** Stable, provider-neutral code: invalid_phone, amount_not_whole_shillings, provider_unavailable … */
  reasonCode: string;
  /** Safe to show the customer as is. */
  customerMessage: string;
  /** The provider's own words, for staff and logs. */
  providerMessage?: string;
  /** Worth trying again later with the same request. */
  retryable: boolean;
  /** Null when the adapter refused before calling the provider. */
  exchange: Exchange | null;
}

export type PaymentOutcome = "completed" | "failed" | "cancelled" | "expired" | "pending";

/** A payment's state as the provider reports it (a callback, or its status API). */
export interface PaymentStatus {
  providerRef: string;
  outcome: PaymentOutcome;
  /**
   * True when this provider will not change the outcome for this providerRef any more. M-Pesa
   * results are final; a Stripe `payment_failed` is not (the customer may try another card on the
   * same PaymentIntent), nor is a Paystack `abandoned`. Whatever `final` says, money that arrives
   * later (a `completed` after a failure) must never be ignored by the caller.
   */
  final: boolean;
  /** What the provider says was paid: compare with our record, never trust blindly. */
  amountMinor?: number;
  currency?: string;
  /** M-Pesa receipt number (e.g. NLJ7RT61SV), a Stripe charge id, a sandbox SBX… code. */
  receipt?: string;
  /** Provider-neutral reason: cancelled_by_customer, wrong_pin, insufficient_funds, card_declined … */
  reasonCode?: string;
  /** The provider's raw code (M-Pesa ResultCode "1032", Stripe decline code, Paystack status). */
  providerCode?: string;
  customerMessage?: string;
  /** The provider's own words (ResultDesc, gateway_response …), for staff. */
  providerMessage?: string;
  /** ISO 8601. */
  occurredAt?: string;
  /** A card the provider will let us charge again, when this payment saved one (decision 029). */
  reusable?: ReusableMethod;
  /**
   * Facts about the money worth keeping with the payment, as text: PayPal's currency conversion
   * (`exchangeRate`, `receivedAmount`, `receivedCurrency`, `fee`) when it converted.
   */
  details?: Record<string, string>;
  raw: unknown;
}

/**
 * A saved card as a provider reports it: what it needs to charge the card again (`reference`,
 * stored encrypted, never shown) and what a customer may see of it.
 */
export interface ReusableMethod {
  /** Stripe { customerId, paymentMethodId }; Paystack { email, customerCode, authorizationCode }; sandbox { card }. */
  reference: Record<string, string>;
  /** The same card saved twice gives the same fingerprint (Stripe PaymentMethod id, Paystack signature, sandbox card). */
  fingerprint: string;
  brand?: string;
  last4?: string;
  expMonth?: number;
  expYear?: number;
}

/** Charging a saved card with nobody at the keyboard (an instalment falls due, a policy renews). */
export interface ChargeSavedRequest {
  tenantId: string;
  transactionId: string;
  reference: string;
  amountMinor: number;
  currency: string;
  description: string;
  /** The saved method's `ReusableMethod.reference`, decrypted. */
  method: Record<string, string>;
  /** One per instalment or order: a retry (a job run twice, a timeout) never charges twice. Paystack's reference. */
  idempotencyKey: string;
}

export type ChargeSavedResult =
  /**
   * The provider answered: completed, failed (declined, authentication required — nobody is there
   * to authenticate) or pending (its webhook will say).
   */
  | { ok: true; status: PaymentStatus; exchange: Exchange }
  /** Nothing is known to have happened: not reached, or refused before any charge. */
  | ({ ok: false } & Failure);

/** The adapters that can keep a card and charge it later: Stripe, Paystack, the sandbox. */
export interface SavedMethodProvider {
  chargeSaved(req: ChargeSavedRequest): Promise<ChargeSavedResult>;
  /** Stripe only: a Customer to keep the customer's cards under. */
  createCustomer?(req: {
    tenantId: string;
    userId: string;
    email: string;
    idempotencyKey: string;
  }): Promise<{ ok: true; customerRef: string; exchange: Exchange } | ({ ok: false } & Failure)>;
  /** Stripe only: brand, last 4 and expiry of a saved PaymentMethod (its webhooks name it by id only). */
  describeSaved?(
    method: Record<string, string>,
  ): Promise<{ ok: true; details: Omit<ReusableMethod, "reference" | "fingerprint">; exchange: Exchange } | ({ ok: false } & Failure)>;
}

export function savesMethods(provider: PaymentProvider): provider is PaymentProvider & SavedMethodProvider {
  return typeof (provider as Partial<SavedMethodProvider>).chargeSaved === "function";
}

// ---------------------------------------------------------------------------------------------
// E-mandates: a standing authority to debit a member's bank account or card (Curlec recurring)
// ---------------------------------------------------------------------------------------------

/** A bank (FPX) or wallet a customer can pay with right now, as the provider lists it. */
export interface PayableBank {
  /** The provider's code, passed back as `InitiateRequest.bankCode`. */
  code: string;
  name: string;
  /** False while the bank is offline: shown greyed out, not offered. */
  available: boolean;
}

/**
 * Where a mandate stands, in our words: waiting for the member to authorise it at their bank,
 * active (instalments are debited), paused (by the member or the bank), or over for good.
 */
export type MandateStatus = "pending" | "active" | "paused" | "cancelled" | "expired" | "rejected";

export interface MandateRequest {
  tenantId: string;
  /** Our mandate's id (uuid): the receipt of the authorisation order. */
  mandateId: string;
  /** People-facing reference, e.g. KHH-POL-2026-000012. */
  reference: string;
  /**
   * The payment taken with the authorisation, in minor units: the policy's next open instalment
   * (decision 046). Curlec allows 0 for card/emandate and takes at least 100 sen by FPX.
   */
  firstAmountMinor: number;
  /** The most a single debit may take (the instalment plus headroom for a price change). */
  maxAmountMinor: number;
  currency: string;
  /** The last day the mandate may be used (the policy's end). ISO 8601. */
  expiresAt: string;
  /** How the member authorises it. */
  method: "fpx" | "card" | "emandate";
  bankCode?: string;
  customer: { name: string; email: string; phone?: string };
  /** The provider's customer id when we already have one for this member. */
  customerRef?: string | null;
  description: string;
  returnUrl: string;
  idempotencyKey: string;
}

export type MandateResult =
  | {
      status: "pending";
      /** The authorisation's handle (Curlec: the order id); its payment and token arrive by webhook. */
      providerRef: string;
      customerRef: string;
      customerAction: CustomerAction;
      details: Record<string, string>;
      exchange: Exchange;
    }
  | ({ status: "failed" } & Failure);

/** A mandate's change as the provider reports it (Curlec token.confirmed / rejected / cancelled / paused). */
export interface MandateEvent {
  kind: "mandate";
  providerEventId: string;
  /** The authorisation order this mandate came from (our `providerRef`), when the event names it. */
  providerRef: string | null;
  /** The provider's token id: what a debit charges (goes into the saved method's reference). */
  mandateRef: string | null;
  customerRef: string | null;
  status: MandateStatus;
  /** The most one debit may take, as the provider registered it. */
  maxAmountMinor?: number;
  /** What a member sees of it: the bank's name, or card brand and last 4. */
  bankName?: string;
  brand?: string;
  last4?: string;
  reasonCode?: string;
  providerMessage?: string;
  occurredAt?: string;
  raw: unknown;
}

/** The adapters that can set up e-mandates (Curlec, the sandbox). Debits go through `chargeSaved`. */
export interface MandateProvider {
  /** Banks (FPX) or wallets a customer can pay with now; cached briefly by the caller. */
  listBanks(method: "fpx" | "ewallet"): Promise<{ ok: true; banks: PayableBank[]; exchange: Exchange | null } | ({ ok: false } & Failure)>;
  createMandate(req: MandateRequest): Promise<MandateResult>;
  /**
   * Where a mandate stands now (a webhook that never came). Without a `mandateRef` (its token never
   * reached us) the provider looks it up by its authorisation, `providerRef`.
   */
  queryMandate(ref: {
    customerRef: string;
    mandateRef: string | null;
    providerRef?: string | null;
  }): Promise<{ ok: true; event: MandateEvent; exchange: Exchange } | ({ ok: false } & Failure)>;
  /** Ends a mandate at the provider (the member cancelled the policy or changed how they pay). */
  cancelMandate(ref: { customerRef: string; mandateRef: string }): Promise<{ ok: true; exchange: Exchange } | ({ ok: false } & Failure)>;
}

export function takesMandates(provider: PaymentProvider): provider is PaymentProvider & MandateProvider & SavedMethodProvider {
  return typeof (provider as Partial<MandateProvider>).createMandate === "function" && savesMethods(provider);
}

/**
 * Providers where the customer's approval is not yet the payment: we take the money with a second
 * call once they are back (PayPal's capture). `idempotencyKey` makes a repeated capture harmless.
 */
export interface CapturingProvider {
  capture(providerRef: string, idempotencyKey: string): Promise<QueryResult>;
}

export function capturesPayments(provider: PaymentProvider): provider is PaymentProvider & CapturingProvider {
  return typeof (provider as Partial<CapturingProvider>).capture === "function";
}

export interface PaymentEvent extends PaymentStatus {
  kind: "payment";
  /** Unique per provider and identical across redeliveries: the key to store events under. */
  providerEventId: string;
}

export interface RefundEvent {
  kind: "refund";
  providerEventId: string;
  /** The refund's id as `refund()` returned it, when the event names it. */
  refundRef: string | null;
  /** The refunded payment's providerRef, when the event names it. */
  providerRef: string | null;
  outcome: "completed" | "failed" | "pending";
  /** This refund's amount. */
  amountMinor?: number;
  /** Everything refunded on the payment so far, when the provider reports that instead (Stripe charge.refunded). */
  totalRefundedMinor?: number;
  currency?: string;
  reasonCode?: string;
  message?: string;
  occurredAt?: string;
  raw: unknown;
}

/**
 * Where a dispute stands, in our words: `open` (an inquiry or a chargeback not decided yet), `won`
 * (closed with the money staying with the merchant: won, an inquiry closed, reinstated) or `lost`
 * (decided for the cardholder: the money is gone for good).
 */
export type DisputeOutcome = "open" | "won" | "lost";

/** A cardholder's dispute (chargeback) of a payment, as the provider reports it at this event. */
export interface DisputeEvent {
  kind: "dispute";
  providerEventId: string;
  /** The provider's id of the dispute (Stripe `dp_…`, Paystack's numeric id as text). */
  disputeRef: string;
  /** The disputed payment's providerRef (Stripe PaymentIntent id, Paystack reference), when the event names it. */
  providerRef: string | null;
  outcome: DisputeOutcome;
  /** The provider's own status words (needs_response, under_review, resolved/merchant-accepted …), for staff. */
  providerStatus: string;
  /** The disputed amount (for a lost dispute, what was taken back), in minor units. */
  amountMinor?: number;
  currency?: string;
  /** Why the cardholder disputed (Stripe reason, Paystack category and message). */
  reason?: string;
  /** ISO 8601: when the dispute was opened at the provider. */
  openedAt?: string;
  /** ISO 8601: the last day to answer with evidence, when the provider says. */
  respondBy?: string;
  /** ISO 8601: when this event happened (for a lost or won dispute, when it was decided). */
  occurredAt?: string;
  raw: unknown;
}

export type ProviderEvent = PaymentEvent | RefundEvent | DisputeEvent | MandateEvent;

export interface WebhookInput {
  headers: Headers;
  /** The body exactly as received: signatures are over these bytes. */
  rawBody: string;
  /**
   * For unsigned callbacks (M-Pesa): the secret token we put in the callback URL for this attempt
   * (`expected`, from our record) and the one the request arrived with (`received`, from the path).
   */
  callbackToken?: { expected: string; received: string };
}

export type WebhookRejection = "bad_signature" | "bad_token" | "wrong_mode" | "malformed";

export type WebhookResult =
  | { ok: true; event: ProviderEvent }
  /** Authentic, but not an event payments act on (transfer.success, customer.created …): answer 200. */
  | { ok: true; event: null; ignored: string }
  /** Answer 400 (401 for signatures) and store nothing but a log line. */
  | { ok: false; reason: WebhookRejection; detail: string };

export type QueryResult =
  | { ok: true; status: PaymentStatus; exchange: Exchange }
  | ({ ok: false; reason: "not_found" | "error" } & Omit<Failure, "reasonCode" | "customerMessage"> & { message: string });

export interface RefundRequest {
  /** The payment's providerRef. */
  providerRef: string;
  /** M-Pesa: the receipt number to reverse (required there). */
  receipt?: string;
  amountMinor: number;
  currency: string;
  /** Free text for staff (kept in provider metadata/remarks, trimmed to fit). */
  reason: string;
  idempotencyKey: string;
  /** M-Pesa: where the asynchronous reversal result is posted (with its callback token). */
  callbackUrl?: string;
}

export type RefundResult = { status: "completed" | "pending"; refundRef: string; exchange: Exchange } | ({ status: "refused" } & Failure);

/**
 * One HTTP exchange with a provider, ready for the gateway log: credentials, tokens, passwords and
 * client secrets are replaced by "[redacted]" before this object exists.
 */
export interface Exchange {
  request: { method: string; url: string; headers?: Record<string, string>; body?: unknown };
  response: { status: number; body: unknown } | { error: string };
  durationMs: number;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  readonly mode: Mode;
  initiate(req: InitiateRequest): Promise<InitiateResult>;
  /** The provider's status API (STK query, Paystack verify, Stripe retrieve). */
  query(providerRef: string): Promise<QueryResult>;
  parseWebhook(input: WebhookInput): Promise<WebhookResult>;
  refund(req: RefundRequest): Promise<RefundResult>;
}

// ---------------------------------------------------------------------------------------------
// Payouts: money from the agency to a person (a claim settlement; later agents' commissions)
// ---------------------------------------------------------------------------------------------

/**
 * One payout attempt. `idempotencyKey` names the attempt: sending the same request again (a retried
 * job, a worker that died mid-call) must never pay twice — every payout adapter either passes it to
 * a provider that refuses duplicates (M-Pesa's OriginatorConversationID) or derives everything from
 * it (the sandbox). An adapter that cannot promise that must answer an unknown outcome as
 * `failed` with `maybeSent: true` and `retryable: false`, and let staff decide.
 */
export interface PayoutRequest {
  tenantId: string;
  /** Our record's id (a claim settlement's). */
  payoutId: string;
  /** Stable across retries of this attempt; the provider's reference where it takes ours. */
  idempotencyKey: string;
  /** People-facing reference, e.g. BWM-STL-2026-000123 (shown to the payee where the provider allows). */
  reference: string;
  /** Integer minor units of `currency`. */
  amountMinor: number;
  currency: string;
  payee: {
    name: string;
    /** M-Pesa: the receiving phone, in any format `normaliseKenyanPhone` accepts. */
    phone?: string;
  };
  /** Why the money is sent, for the provider's records ("Claim BWM-CLM-2026-000012"). */
  description: string;
  /** Where the provider posts the result; carries the payout's unguessable token for unsigned providers. */
  resultUrl: string;
  /** Where the provider posts a request that timed out in its queue (M-Pesa's QueueTimeOutURL). */
  timeoutUrl: string;
}

export type PayoutResult =
  /** Paid at once (the sandbox). */
  | { status: "completed"; providerRef: string; receipt: string; exchange: Exchange }
  /** Accepted: the result comes later to `resultUrl` (M-Pesa B2C). */
  | { status: "pending"; providerRef: string; details: Record<string, string>; exchange: Exchange }
  /**
   * Not paid. `retryable`: send the same request again later. `maybeSent`: the provider may have
   * acted (a timeout after the request left); with `retryable` the provider's duplicate check makes
   * the retry safe, without it staff must find out before anything is sent again.
   */
  | ({ status: "failed"; maybeSent: boolean } & Failure);

/** A payout's result as the provider reports it (a callback, or the answer to a status query). */
export interface PayoutEvent {
  kind: "payout";
  /** Unique per provider and identical across redeliveries. */
  providerEventId: string;
  /** The attempt the result is for (M-Pesa: the OriginatorConversationID), when the body names it. */
  providerRef: string | null;
  /**
   * completed: the money reached the payee; failed: it did not and will not; timeout: the provider
   * gave up waiting in its queue — the payment may or may not happen, ask again; unknown: an answer
   * that says neither (a status query that found nothing to report).
   */
  outcome: "completed" | "failed" | "timeout" | "unknown";
  amountMinor?: number;
  currency?: string;
  /** The provider's transaction id (an M-Pesa receipt such as SG632NMUAB). */
  receipt?: string;
  /** The payee as the provider names them ("254705912645 - JOHN DOE"), for staff. */
  payeeName?: string;
  reasonCode?: string;
  /** The provider's raw result code. */
  providerCode?: string;
  providerMessage?: string;
  occurredAt?: string;
  raw: unknown;
}

/** Which of our URLs a payout callback came to: the result, the queue timeout, or a status query's answer. */
export type PayoutChannel = "result" | "timeout" | "status";

export interface PayoutCallbackInput extends WebhookInput {
  channel: PayoutChannel;
}

export type PayoutCallbackResult =
  { ok: true; event: PayoutEvent } | { ok: true; event: null; ignored: string } | { ok: false; reason: WebhookRejection; detail: string };

export interface PayoutQueryRequest {
  providerRef: string;
  amountMinor: number;
  currency: string;
  /** Where an asynchronous answer is posted (M-Pesa's transaction status result). */
  resultUrl: string;
  timeoutUrl: string;
}

export type PayoutQueryResult =
  /** `event` null: asked; the answer comes to `resultUrl`. */
  | { ok: true; event: PayoutEvent | null; exchange: Exchange | null }
  | { ok: false; message: string; retryable: boolean; exchange: Exchange | null };

/** The payout side of a provider (decision 025). Adapters touch no database, as for payments. */
export interface PayoutProvider {
  readonly name: ProviderName;
  readonly mode: Mode;
  payout(req: PayoutRequest): Promise<PayoutResult>;
  /** Asks the provider where a payout stands (a callback that never came). */
  queryPayout(req: PayoutQueryRequest): Promise<PayoutQueryResult>;
  /** Verifies, then parses, a payout callback (as `parseWebhook` does for payments). */
  parsePayoutResult(input: PayoutCallbackInput): Promise<PayoutCallbackResult>;
}

/** What an adapter may be given instead of the real world (tests, clocks). */
export interface ProviderDeps {
  /** Defaults to the global fetch, looked up at call time (msw intercepts it). */
  fetch?: typeof fetch;
  now?: () => Date;
  /** Per request. Default 15 s. */
  timeoutMs?: number;
  /** M-Pesa OAuth tokens; defaults to a process-wide in-memory cache. */
  tokenCache?: TokenCache;
  /** Stripe SDK retries (with the same idempotency key). Default 2. */
  stripeMaxNetworkRetries?: number;
}

export interface CachedToken {
  token: string;
  /** Epoch ms after which the token is not used any more. */
  expiresAt: number;
}

export interface TokenCache {
  get(key: string): CachedToken | undefined;
  set(key: string, value: CachedToken): void;
  delete(key: string): void;
}

// ---------------------------------------------------------------------------------------------
// Per-tenant configuration (stored encrypted in the tenant's settings)
// ---------------------------------------------------------------------------------------------

const mode = z.enum(["test", "live"]);
const shortcode = lineText().regex(/^\d{5,7}$/, "must be 5 to 7 digits");

export const mpesaConfigSchema = z
  .object({
    mode,
    consumerKey: lineText().min(1),
    consumerSecret: lineText().min(1),
    /** BusinessShortCode: the paybill, or for Buy Goods the store (head office) number. */
    shortcode,
    /** Lipa na M-Pesa Online passkey. */
    passkey: lineText().min(1),
    transactionType: z.enum(["CustomerPayBillOnline", "CustomerBuyGoodsOnline"]).default("CustomerPayBillOnline"),
    /** Buy Goods: the till that receives the money (PartyB). Defaults to the shortcode. */
    tillNumber: shortcode.optional(),
    /** Reversals (refunds): the API initiator's user name … */
    initiatorName: lineText().min(1).optional(),
    /** … and its security credential, encrypted with Safaricom's certificate as the Daraja portal issues it. */
    securityCredential: lineText().min(1).optional(),
    /** Payouts (B2C): the disbursement short code the money leaves from. Defaults to the shortcode. */
    b2cShortcode: shortcode.optional(),
    /** Payouts (B2C): BusinessPayment (a plain payment) or PromotionPayment (a congratulatory SMS). */
    b2cCommand: z.enum(["BusinessPayment", "PromotionPayment"]).default("BusinessPayment"),
  })
  .superRefine((c, ctx) => {
    if (Boolean(c.initiatorName) !== Boolean(c.securityCredential)) {
      ctx.addIssue({ code: "custom", path: ["securityCredential"], message: "initiatorName and securityCredential go together" });
    }
  });

function keyMatchesMode(prefixes: string[], field: string) {
  return (c: { mode: Mode } & Record<string, unknown>, ctx: z.RefinementCtx) => {
    const value = c[field];
    if (typeof value !== "string") return;
    if (!prefixes.some((p) => value.startsWith(`${p}_${c.mode}_`))) {
      ctx.addIssue({
        code: "custom",
        path: [field],
        message: `must be a ${c.mode} key (${prefixes.map((p) => `${p}_${c.mode}_…`).join(" or ")})`,
      });
    }
  };
}

export const paystackConfigSchema = z
  .object({
    mode,
    secretKey: lineText().regex(/^sk_(test|live)_\w+$/, "must look like sk_test_… or sk_live_…"),
    publicKey: lineText().regex(/^pk_(test|live)_\w+$/, "must look like pk_test_… or pk_live_…"),
  })
  .superRefine((c, ctx) => {
    keyMatchesMode(["sk"], "secretKey")(c, ctx);
    keyMatchesMode(["pk"], "publicKey")(c, ctx);
  });

export const stripeConfigSchema = z
  .object({
    mode,
    secretKey: lineText().regex(/^(sk|rk)_(test|live)_\w+$/, "must look like sk_test_… or sk_live_…"),
    publishableKey: lineText().regex(/^pk_(test|live)_\w+$/, "must look like pk_test_… or pk_live_…"),
    webhookSecret: lineText().regex(/^whsec_\w+$/, "must look like whsec_…"),
  })
  .superRefine((c, ctx) => {
    keyMatchesMode(["sk", "rk"], "secretKey")(c, ctx);
    keyMatchesMode(["pk"], "publishableKey")(c, ctx);
  });

export const sandboxConfigSchema = z.object({
  mode: z.literal("test", { errorMap: () => ({ message: "the sandbox takes no real money: test mode only" }) }),
  /** Signs the sandbox page's callbacks (HMAC-SHA256), per tenant. */
  secret: lineText().min(16),
});

/** Curlec (Razorpay's API, decision 044): key id and secret, and the dashboard's webhook secret (a different value). */
export const curlecConfigSchema = z
  .object({
    mode,
    keyId: lineText().regex(/^rzp_(test|live)_\w+$/, "must look like rzp_test_… or rzp_live_…"),
    keySecret: lineText().min(8),
    webhookSecret: lineText().min(8),
    /** Recurring payments (e-mandates) are a feature Curlec enables per account on request. */
    recurring: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean()).default(false),
  })
  .superRefine((c, ctx) => keyMatchesMode(["rzp"], "keyId")(c, ctx));

/** PayPal REST app credentials, and the id of the webhook registered for this host (verification needs it). */
export const paypalConfigSchema = z.object({
  mode,
  clientId: lineText().min(8),
  clientSecret: lineText().min(8),
  webhookId: lineText().min(4),
});

export const providerConfigSchemas = {
  mpesa: mpesaConfigSchema,
  paystack: paystackConfigSchema,
  stripe: stripeConfigSchema,
  sandbox: sandboxConfigSchema,
  curlec: curlecConfigSchema,
  paypal: paypalConfigSchema,
} as const;

export type MpesaConfig = z.infer<typeof mpesaConfigSchema>;
export type PaystackConfig = z.infer<typeof paystackConfigSchema>;
export type StripeConfig = z.infer<typeof stripeConfigSchema>;
export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;
export type CurlecConfig = z.infer<typeof curlecConfigSchema>;
export type PaypalConfig = z.infer<typeof paypalConfigSchema>;
export type ProviderConfig<N extends ProviderName = ProviderName> = z.infer<(typeof providerConfigSchemas)[N]>;

/** A tenant's stored configuration does not fit its provider's schema. Names fields, never values. */
export class ProviderConfigError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Invalid ${provider} configuration: ${issues.map((i) => `${i.path || "(config)"}: ${i.message}`).join("; ")}`);
    this.name = "ProviderConfigError";
  }
}

export function parseProviderConfig<N extends ProviderName>(name: N, config: unknown): ProviderConfig<N> {
  const schema = providerConfigSchemas[name] as unknown as z.ZodType<ProviderConfig<N>>;
  const result = schema.safeParse(config);
  if (!result.success) {
    throw new ProviderConfigError(
      name,
      result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return result.data;
}
