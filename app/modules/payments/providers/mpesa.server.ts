import { z } from "zod";
import { asRecord, callProvider, str, type HttpCall, type HttpOutcome } from "./exchange.server";
import { b2cRemarks, parseB2cCallback } from "./mpesa-b2c.server";
import { formatKenyanPhone, normaliseKenyanPhone } from "./phone";
import { safeEqual } from "./signatures.server";
import { oauthClient, type AuthorisedOutcome, type OAuthClient } from "./token-cache.server";
import type {
  Exchange,
  Failure,
  InitiateRequest,
  InitiateResult,
  MpesaConfig,
  PaymentOutcome,
  PaymentProvider,
  PaymentStatus,
  PayoutCallbackInput,
  PayoutCallbackResult,
  PayoutProvider,
  PayoutQueryRequest,
  PayoutQueryResult,
  PayoutRequest,
  PayoutResult,
  ProviderDeps,
  QueryResult,
  RefundRequest,
  RefundResult,
  WebhookInput,
  WebhookResult,
} from "./types";
import { lineText } from "~/lib/text";

export { normaliseKenyanPhone } from "./phone";

/**
 * M-Pesa through Safaricom's Daraja API: Lipa na M-Pesa Online (STK push), its callback, the STK
 * query, the Reversal API for refunds, and B2C payouts with the transaction status query
 * (mpesa-b2c.server.ts has B2C's words; decision 025).
 *
 * Decisions
 * - Amounts: M-Pesa moves whole shillings. An amount with cents is REFUSED (reason
 *   `amount_not_whole_shillings`), never rounded: rounding up charges more than the invoice says,
 *   rounding down collects less, and either way our ledger and M-Pesa's would disagree. Checkout
 *   must price an M-Pesa payment in whole shillings.
 * - Callbacks are not signed by Safaricom. Mitigations, all of which callers keep:
 *   1. every attempt gets its own unguessable token in its CallBackURL path
 *      (`newCallbackToken()`); `parseWebhook` refuses a callback whose token does not match the
 *      one stored for the attempt (`callbackToken.expected`), in constant time;
 *   2. the event carries CheckoutRequestID and the paid amount, which the caller compares with its
 *      record (an unknown CheckoutRequestID or a different amount is not a payment);
 *   3. before acting on a success, confirm it with `query()` (the STK query is authenticated with
 *      our own credentials, so it cannot be forged by whoever can reach the callback URL);
 *   4. optionally, accept callbacks only from Safaricom's published source addresses (proxy level).
 * - No idempotency key exists in Daraja: a second `initiate` sends a second PIN prompt. The caller
 *   runs one job per attempt; a transport error is reported `retryable`, and retrying it may prompt
 *   twice (the customer sees and ignores the extra prompt; the attempt records only one ref).
 * - The OAuth token is cached in memory per (environment, consumer key, secret) until a minute
 *   before it expires, and refreshed once if Daraja calls it invalid. Losing the cache costs one
 *   extra token call, nothing else.
 */

export const DARAJA_BASE_URLS = {
  test: "https://sandbox.safaricom.co.ke",
  live: "https://api.safaricom.co.ke",
} as const;

// ---------------------------------------------------------------------------------------------
// Pure protocol helpers
// ---------------------------------------------------------------------------------------------

const nairobiClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Africa/Nairobi",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** Daraja's Timestamp: yyyyMMddHHmmss on the Nairobi clock (UTC+3, no daylight saving). */
export function darajaTimestamp(date: Date): string {
  const parts = nairobiClock.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}${part("month")}${part("day")}${part("hour")}${part("minute")}${part("second")}`;
}

/** A Daraja yyyyMMddHHmmss (Nairobi) value as ISO 8601, or undefined when it is not one. */
export function parseDarajaTimestamp(value: unknown): string | undefined {
  const s = str(value);
  const m = s?.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+03:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The STK Password: base64(BusinessShortCode + Passkey + Timestamp). */
export function stkPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`, "utf8").toString("base64");
}

/**
 * AccountReference, which the customer sees in the prompt and SMS, takes at most 12 characters:
 * BWM-ORD-2026-000012 → BWM000012 (tenant prefix + number); short references only lose their
 * separators; anything else keeps its last 12 letters and digits.
 */
export function accountReferenceFor(reference: string): string {
  const segments = reference
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  const joined = segments.join("");
  if (joined.length <= 12) return joined || "PAYMENT";
  const firstAndLast = segments.length > 1 ? `${segments[0]}${segments[segments.length - 1]}` : "";
  if (firstAndLast && firstAndLast.length <= 12) return firstAndLast;
  return joined.slice(-12);
}

/** TransactionDesc takes at most 13 characters. */
function transactionDesc(description: string): string {
  const clean = description
    .replace(/[^A-Za-z0-9 ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return (clean || "Payment").slice(0, 13).trim();
}

interface StkResultMeaning {
  outcome: PaymentOutcome;
  reasonCode?: string;
  customerMessage?: string;
}

/** Every STK ResultCode we know, with what it means for the customer. */
export const STK_RESULT_CODES: Record<string, StkResultMeaning> = {
  "0": { outcome: "completed" },
  "1": {
    outcome: "failed",
    reasonCode: "insufficient_funds",
    customerMessage: "Your M-Pesa balance was not enough for this payment. Top up, then try again.",
  },
  "1001": {
    outcome: "failed",
    reasonCode: "subscriber_busy",
    customerMessage: "Your phone was busy with another M-Pesa transaction. Wait a minute, then try again.",
  },
  "1019": {
    outcome: "expired",
    reasonCode: "expired",
    customerMessage: "The payment request expired before it was completed. Please try again.",
  },
  "1025": {
    outcome: "failed",
    reasonCode: "system_error",
    customerMessage: "M-Pesa could not send the payment request to your phone. Please try again.",
  },
  "1032": {
    outcome: "cancelled",
    reasonCode: "cancelled_by_customer",
    customerMessage: "You cancelled the M-Pesa request. You can try again whenever you are ready.",
  },
  "1037": {
    outcome: "expired",
    reasonCode: "no_response",
    customerMessage: "We could not reach your phone, or the request timed out. Check it is on and has signal, then try again.",
  },
  "2001": {
    outcome: "failed",
    reasonCode: "wrong_pin",
    customerMessage: "The M-Pesa PIN entered was not correct. Please try again.",
  },
  // STK query only: the customer has not answered yet.
  "4999": { outcome: "pending", reasonCode: "processing", customerMessage: "Waiting for you to enter your M-Pesa PIN." },
  "9999": {
    outcome: "failed",
    reasonCode: "system_error",
    customerMessage: "M-Pesa had a problem completing the payment. Please try again.",
  },
};

/** What an STK ResultCode means; an unknown code is a failure that names the code. */
export function stkResultMeaning(code: string): Required<StkResultMeaning> | { outcome: "completed" } {
  const known = STK_RESULT_CODES[code];
  if (known?.outcome === "completed") return { outcome: "completed" };
  if (known) return known as Required<StkResultMeaning>;
  return {
    outcome: "failed",
    reasonCode: `mpesa_${code}`,
    customerMessage: `M-Pesa could not complete the payment (code ${code}). Please try again.`,
  };
}

function statusFromResultCode(checkoutRequestId: string, code: string, desc: string | undefined, raw: unknown): PaymentStatus {
  const meaning = stkResultMeaning(code);
  if (meaning.outcome === "completed") {
    return { providerRef: checkoutRequestId, outcome: "completed", final: true, providerCode: code, raw };
  }
  return {
    providerRef: checkoutRequestId,
    outcome: meaning.outcome,
    // One CheckoutRequestID gets one result: whatever it is, it is the last word.
    final: meaning.outcome !== "pending",
    reasonCode: meaning.reasonCode,
    providerCode: code,
    customerMessage: meaning.customerMessage,
    ...(desc ? { providerMessage: desc } : {}),
    raw,
  };
}

// ---------------------------------------------------------------------------------------------
// Callback bodies
// ---------------------------------------------------------------------------------------------

const code = z.union([z.number(), lineText().min(1)]).transform(String);
const item = z.object({ Name: lineText(), Value: z.union([lineText(), z.number()]).optional() });

const stkCallbackSchema = z.object({
  Body: z.object({
    stkCallback: z.object({
      MerchantRequestID: lineText().optional(),
      CheckoutRequestID: lineText().min(1),
      ResultCode: code,
      ResultDesc: lineText().optional(),
      CallbackMetadata: z.object({ Item: z.array(item) }).optional(),
    }),
  }),
});

const resultParameter = z.object({ Key: lineText(), Value: z.union([lineText(), z.number()]).optional() });
const reversalResultSchema = z.object({
  Result: z.object({
    ResultType: z.union([z.number(), lineText()]).optional(),
    ResultCode: code,
    ResultDesc: lineText().optional(),
    OriginatorConversationID: lineText().optional(),
    ConversationID: lineText().min(1),
    TransactionID: lineText().optional(),
    // Daraja sends a single parameter as an object, several as an array.
    ResultParameters: z
      .object({ ResultParameter: z.union([z.array(resultParameter), resultParameter]) })
      .optional()
      .nullable(),
  }),
});

function wholeShillingsToMinor(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  return Math.round(n * 100);
}

/** Parses an STK or reversal callback body; no authentication (see parseWebhook). */
export function parseMpesaCallback(body: unknown): WebhookResult {
  const stk = stkCallbackSchema.safeParse(body);
  if (stk.success) {
    const cb = stk.data.Body.stkCallback;
    const providerEventId = `stk:${cb.CheckoutRequestID}:${cb.ResultCode}`;
    const status = statusFromResultCode(cb.CheckoutRequestID, cb.ResultCode, cb.ResultDesc, body);
    if (status.outcome === "completed") {
      const meta = new Map((cb.CallbackMetadata?.Item ?? []).map((i) => [i.Name, i.Value]));
      const amountMinor = wholeShillingsToMinor(meta.get("Amount"));
      const receipt = str(meta.get("MpesaReceiptNumber"));
      if (amountMinor === undefined || !receipt || !/^[A-Z0-9]{6,20}$/.test(receipt)) {
        // A success without what every genuine success carries is not trusted.
        return { ok: false, reason: "malformed", detail: "successful STK callback without Amount or MpesaReceiptNumber" };
      }
      return {
        ok: true,
        event: {
          ...status,
          kind: "payment",
          providerEventId,
          amountMinor,
          currency: "KES",
          receipt,
          occurredAt: parseDarajaTimestamp(meta.get("TransactionDate")),
        },
      };
    }
    return { ok: true, event: { ...status, kind: "payment", providerEventId } };
  }

  const reversal = reversalResultSchema.safeParse(body);
  if (reversal.success) {
    const r = reversal.data.Result;
    const params = r.ResultParameters?.ResultParameter;
    const values = new Map((Array.isArray(params) ? params : params ? [params] : []).map((p) => [p.Key, p.Value]));
    const completed = r.ResultCode === "0";
    const amountMinor = wholeShillingsToMinor(values.get("Amount"));
    return {
      ok: true,
      event: {
        kind: "refund",
        providerEventId: `reversal:${r.ConversationID}:${r.ResultCode}`,
        refundRef: r.ConversationID,
        providerRef: null,
        outcome: completed ? "completed" : "failed",
        ...(amountMinor !== undefined ? { amountMinor, currency: "KES" } : {}),
        ...(completed ? {} : { reasonCode: `mpesa_reversal_${r.ResultCode}` }),
        ...(r.ResultDesc ? { message: r.ResultDesc } : {}),
        occurredAt: parseDarajaTimestamp(values.get("TransCompletedTime")),
        raw: body,
      },
    };
  }
  return { ok: false, reason: "malformed", detail: "neither an STK callback nor a reversal result" };
}

// ---------------------------------------------------------------------------------------------
// OAuth token cache
// ---------------------------------------------------------------------------------------------

export { newTokenCache } from "./token-cache.server";

// ---------------------------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------------------------

const UNAVAILABLE = "M-Pesa is not answering right now. Please try again in a few minutes, or choose another payment method.";
const NOT_STARTED = "M-Pesa could not start this payment. Check the phone number and try again, or choose another payment method.";

export class MpesaProvider implements PaymentProvider, PayoutProvider {
  readonly name = "mpesa" as const;
  readonly mode: MpesaConfig["mode"];
  private readonly baseUrl: string;
  private readonly oauth: OAuthClient;

  constructor(
    private readonly config: MpesaConfig,
    private readonly deps: ProviderDeps = {},
  ) {
    this.mode = config.mode;
    this.baseUrl = DARAJA_BASE_URLS[config.mode];
    this.oauth = oauthClient({
      baseUrl: this.baseUrl,
      clientId: config.consumerKey,
      clientSecret: config.consumerSecret,
      tokenCache: deps.tokenCache,
      now: () => this.now().getTime(),
      request: { method: "GET", url: `${this.baseUrl}/oauth/v1/generate?grant_type=client_credentials` },
      defaultLifetimeSeconds: 3599,
      send: (call) => this.http(call),
      failure: tokenFailure,
    });
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Everything that must never reach a log, including values derived from the credentials. */
  private secrets(extra: (string | undefined)[] = []): string[] {
    return [
      this.config.consumerKey,
      this.config.consumerSecret,
      this.config.passkey,
      this.config.securityCredential,
      this.oauth.basicAuth,
      this.oauth.currentToken(),
      ...extra,
    ].filter((s): s is string => Boolean(s));
  }

  private http(call: HttpCall, extraSecrets: (string | undefined)[] = []): Promise<HttpOutcome> {
    return callProvider(call, {
      fetch: this.deps.fetch,
      timeoutMs: this.deps.timeoutMs,
      secrets: this.secrets(extraSecrets),
    });
  }

  /** POST with a bearer token; a token Daraja calls invalid is replaced once. */
  private post(path: string, body: Record<string, unknown>, extraSecrets: string[]): Promise<AuthorisedOutcome> {
    return this.oauth.authorised(
      (token) =>
        this.http({ method: "POST", url: `${this.baseUrl}${path}`, headers: { authorization: `Bearer ${token}` }, body }, [
          token,
          ...extraSecrets,
        ]),
      (outcome) => outcome.kind === "response" && (outcome.status === 401 || asRecord(outcome.body).errorCode === "404.001.03"),
    );
  }

  private passwordAndTimestamp() {
    const timestamp = darajaTimestamp(this.now());
    return { timestamp, password: stkPassword(this.config.shortcode, this.config.passkey, timestamp) };
  }

  private get partyB(): string {
    return this.config.transactionType === "CustomerBuyGoodsOnline"
      ? (this.config.tillNumber ?? this.config.shortcode)
      : this.config.shortcode;
  }

  async initiate(req: InitiateRequest): Promise<InitiateResult> {
    const amount = wholeShillings(req.amountMinor, req.currency);
    if (!amount.ok) return { status: "failed", ...amount.failure };
    const phone = normaliseKenyanPhone(req.phone ?? "");
    if (!phone.ok) return { status: "failed", ...refusal("invalid_phone", phone.message) };
    const callback = checkCallbackUrl(req.callbackUrl, this.mode);
    if (callback) return { status: "failed", ...callback };

    const { timestamp, password } = this.passwordAndTimestamp();
    const outcome = await this.post(
      "/mpesa/stkpush/v1/processrequest",
      {
        BusinessShortCode: this.config.shortcode,
        Password: password,
        Timestamp: timestamp,
        TransactionType: this.config.transactionType,
        Amount: amount.shillings,
        PartyA: phone.phone,
        PartyB: this.partyB,
        PhoneNumber: phone.phone,
        CallBackURL: req.callbackUrl,
        AccountReference: accountReferenceFor(req.reference),
        TransactionDesc: transactionDesc(req.description),
      },
      [password],
    );
    if (outcome.kind === "token_failure") return { status: "failed", ...outcome.failure };
    if (outcome.kind === "network_error") return { status: "failed", ...unavailable(outcome.exchange, outcome.error) };

    const body = asRecord(outcome.body);
    const checkoutRequestId = str(body.CheckoutRequestID);
    if (outcome.status === 200 && str(body.ResponseCode) === "0" && checkoutRequestId) {
      const merchantRequestId = str(body.MerchantRequestID);
      return {
        status: "pending",
        providerRef: checkoutRequestId,
        customerAction: {
          type: "stk_push",
          phone: phone.phone,
          message: `Check your phone (${formatKenyanPhone(phone.phone)}) and enter your M-Pesa PIN to pay KES ${amount.shillings.toLocaleString("en-KE")}.`,
        },
        details: merchantRequestId ? { merchantRequestId } : {},
        exchange: outcome.exchange,
      };
    }
    return { status: "failed", ...darajaError(outcome.status, body, outcome.exchange) };
  }

  async query(providerRef: string): Promise<QueryResult> {
    const { timestamp, password } = this.passwordAndTimestamp();
    const outcome = await this.post(
      "/mpesa/stkpushquery/v1/query",
      { BusinessShortCode: this.config.shortcode, Password: password, Timestamp: timestamp, CheckoutRequestID: providerRef },
      [password],
    );
    if (outcome.kind === "token_failure") {
      const { failure } = outcome;
      return {
        ok: false,
        reason: "error",
        message: failure.providerMessage ?? failure.reasonCode,
        retryable: failure.retryable,
        exchange: failure.exchange,
      };
    }
    if (outcome.kind === "network_error") {
      return { ok: false, reason: "error", message: outcome.error, retryable: true, exchange: outcome.exchange };
    }
    const body = asRecord(outcome.body);
    const resultCode = str(body.ResultCode);
    if (outcome.status === 200 && resultCode !== undefined) {
      return {
        ok: true,
        status: statusFromResultCode(providerRef, resultCode, str(body.ResultDesc), outcome.body),
        exchange: outcome.exchange,
      };
    }
    const errorCode = str(body.errorCode);
    const errorMessage = str(body.errorMessage) ?? str(body.ResponseDescription) ?? `Daraja answered ${outcome.status}`;
    if (
      (errorCode === "500.001.1001" && /being processed/i.test(errorMessage)) ||
      (outcome.status === 200 && str(body.ResponseCode) === "0")
    ) {
      // "The transaction is being processed": the customer has not answered the prompt yet.
      return {
        ok: true,
        status: { providerRef, outcome: "pending", final: false, reasonCode: "processing", providerCode: errorCode, raw: outcome.body },
        exchange: outcome.exchange,
      };
    }
    if (errorCode?.startsWith("400.") && /CheckoutRequestID/i.test(errorMessage)) {
      return { ok: false, reason: "not_found", message: errorMessage, retryable: false, exchange: outcome.exchange };
    }
    return { ok: false, reason: "error", message: errorMessage, retryable: outcome.status >= 500, exchange: outcome.exchange };
  }

  async parseWebhook(input: WebhookInput): Promise<WebhookResult> {
    const token = input.callbackToken;
    if (!token || !token.expected || !safeEqual(token.received, token.expected)) {
      return { ok: false, reason: "bad_token", detail: "the callback URL's token does not match this attempt" };
    }
    let body: unknown;
    try {
      body = JSON.parse(input.rawBody);
    } catch {
      return { ok: false, reason: "malformed", detail: "body is not JSON" };
    }
    return parseMpesaCallback(body);
  }

  /** B2C, below: the same credentials, token cache and Daraja POST as the rest. */
  private get payouts(): MpesaPayouts {
    return new MpesaPayouts(this.mode, this.config, (path, body, extraSecrets) => this.post(path, body, extraSecrets));
  }

  payout(req: PayoutRequest): Promise<PayoutResult> {
    return this.payouts.payout(req);
  }

  queryPayout(req: PayoutQueryRequest): Promise<PayoutQueryResult> {
    return this.payouts.queryPayout(req);
  }

  parsePayoutResult(input: PayoutCallbackInput): Promise<PayoutCallbackResult> {
    return this.payouts.parsePayoutResult(input);
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const { initiatorName, securityCredential } = this.config;
    if (!initiatorName || !securityCredential) {
      return { status: "refused", ...refusal("not_configured", "M-Pesa refunds are not set up for this agency.", false) };
    }
    if (!req.receipt) return { status: "refused", ...refusal("receipt_required", "An M-Pesa refund needs the payment's receipt number.") };
    const amount = wholeShillings(req.amountMinor, req.currency);
    if (!amount.ok) return { status: "refused", ...amount.failure };
    if (!req.callbackUrl) return { status: "refused", ...refusal("callback_url_required", "An M-Pesa refund needs a result URL.") };
    const callback = checkCallbackUrl(req.callbackUrl, this.mode);
    if (callback) return { status: "refused", ...callback };

    const outcome = await this.post(
      "/mpesa/reversal/v1/request",
      {
        Initiator: initiatorName,
        SecurityCredential: securityCredential,
        CommandID: "TransactionReversal",
        TransactionID: req.receipt,
        Amount: amount.shillings,
        ReceiverParty: this.partyB,
        // Daraja's own spelling.
        RecieverIdentifierType: "11",
        ResultURL: req.callbackUrl,
        QueueTimeOutURL: req.callbackUrl,
        Remarks: (req.reason.trim() || "Refund").slice(0, 100),
        // Not an idempotency key (Daraja has none), but it ties M-Pesa's records to ours.
        Occasion: req.idempotencyKey.slice(0, 100),
      },
      [],
    );
    if (outcome.kind === "token_failure") return { status: "refused", ...outcome.failure };
    if (outcome.kind === "network_error") return { status: "refused", ...unavailable(outcome.exchange, outcome.error) };
    const body = asRecord(outcome.body);
    const conversationId = str(body.ConversationID) ?? str(body.OriginatorConversationID);
    if (outcome.status === 200 && str(body.ResponseCode) === "0" && conversationId) {
      // The result arrives later at ResultURL (a reversal result callback → RefundEvent).
      return { status: "pending", refundRef: conversationId, exchange: outcome.exchange };
    }
    const failure = darajaError(outcome.status, body, outcome.exchange);
    if (failure.reasonCode === "rejected") {
      return {
        status: "refused",
        ...failure,
        reasonCode: "refund_refused",
        customerMessage: `M-Pesa refused the reversal: ${failure.providerMessage}`,
      };
    }
    return { status: "refused", ...failure };
  }
}

// ---------------------------------------------------------------------------------------------
// Payouts (B2C)

type DarajaPost = (
  path: string,
  body: Record<string, unknown>,
  extraSecrets: string[],
) => Promise<HttpOutcome | { kind: "token_failure"; failure: Failure }>;

class MpesaPayouts {
  constructor(
    private readonly mode: MpesaConfig["mode"],
    private readonly config: MpesaConfig,
    private readonly post: DarajaPost,
  ) {}

  private get initiator(): { ok: true; name: string; credential: string } | { ok: false; failure: Failure } {
    const { initiatorName, securityCredential } = this.config;
    if (!initiatorName || !securityCredential) {
      return {
        ok: false,
        failure: refusal("not_configured", "M-Pesa payouts need the initiator name and security credential in the payment settings."),
      };
    }
    return { ok: true, name: initiatorName, credential: securityCredential };
  }

  private get partyA(): string {
    return this.config.b2cShortcode ?? this.config.shortcode;
  }

  async payout(req: PayoutRequest): Promise<PayoutResult> {
    const refused = (failure: Failure): PayoutResult => ({ status: "failed", maybeSent: false, ...failure });
    const initiator = this.initiator;
    if (!initiator.ok) return refused(initiator.failure);
    const amount = wholeShillings(req.amountMinor, req.currency);
    if (!amount.ok) return refused(amount.failure);
    const phone = normaliseKenyanPhone(req.payee.phone ?? "");
    if (!phone.ok) return refused(refusal("invalid_phone", phone.message));
    for (const url of [req.resultUrl, req.timeoutUrl]) {
      const bad = checkCallbackUrl(url, this.mode);
      if (bad) return refused(bad);
    }
    const outcome = await this.post(
      "/mpesa/b2c/v3/paymentrequest",
      {
        OriginatorConversationID: req.idempotencyKey,
        InitiatorName: initiator.name,
        SecurityCredential: initiator.credential,
        CommandID: this.config.b2cCommand,
        Amount: amount.shillings,
        PartyA: this.partyA,
        PartyB: phone.phone,
        Remarks: b2cRemarks(req.description),
        QueueTimeOutURL: req.timeoutUrl,
        ResultURL: req.resultUrl,
        // Daraja's own spelling.
        Occassion: req.reference.slice(0, 100),
      },
      [],
    );
    // No token, no request: nothing was sent.
    if (outcome.kind === "token_failure") return refused(outcome.failure);
    if (outcome.kind === "network_error") {
      // Retried with the same OriginatorConversationID, which Daraja refuses as a duplicate if the
      // first one got through: safe either way.
      return { status: "failed", maybeSent: outcome.maybeSent, ...unavailable(outcome.exchange, outcome.error) };
    }
    const body = asRecord(outcome.body);
    const errorMessage = str(body.errorMessage) ?? "";
    if (outcome.status === 200 && str(body.ResponseCode) === "0") {
      const conversationId = str(body.ConversationID);
      return {
        status: "pending",
        providerRef: req.idempotencyKey,
        details: conversationId ? { conversationId } : {},
        exchange: outcome.exchange,
      };
    }
    if (/duplicate originatorconversationid/i.test(errorMessage)) {
      // An earlier send of this very attempt reached Daraja: its result is on its way.
      return { status: "pending", providerRef: req.idempotencyKey, details: { duplicate: "true" }, exchange: outcome.exchange };
    }
    const failure = darajaError(outcome.status, body, outcome.exchange);
    // Daraja answered an error: a 4xx acted on nothing; a 5xx may have, and a retry is deduplicated.
    return { status: "failed", maybeSent: failure.retryable, ...failure };
  }

  async queryPayout(req: PayoutQueryRequest): Promise<PayoutQueryResult> {
    const initiator = this.initiator;
    if (!initiator.ok) return { ok: false, message: initiator.failure.customerMessage, retryable: false, exchange: null };
    const outcome = await this.post(
      "/mpesa/transactionstatus/v1/query",
      {
        Initiator: initiator.name,
        SecurityCredential: initiator.credential,
        CommandID: "TransactionStatusQuery",
        OriginalConversationID: req.providerRef,
        PartyA: this.partyA,
        IdentifierType: "4",
        ResultURL: req.resultUrl,
        QueueTimeOutURL: req.timeoutUrl,
        Remarks: "Payout status",
        Occasion: req.providerRef.slice(0, 100),
      },
      [],
    );
    if (outcome.kind === "token_failure") {
      const f = outcome.failure;
      return { ok: false, message: f.providerMessage ?? f.reasonCode, retryable: f.retryable, exchange: f.exchange };
    }
    if (outcome.kind === "network_error") return { ok: false, message: outcome.error, retryable: true, exchange: outcome.exchange };
    const body = asRecord(outcome.body);
    // Asynchronous: the answer comes to ResultURL as a "status" callback.
    if (outcome.status === 200 && str(body.ResponseCode) === "0") return { ok: true, event: null, exchange: outcome.exchange };
    const failure = darajaError(outcome.status, body, outcome.exchange);
    return { ok: false, message: failure.providerMessage ?? failure.reasonCode, retryable: failure.retryable, exchange: outcome.exchange };
  }

  async parsePayoutResult(input: PayoutCallbackInput): Promise<PayoutCallbackResult> {
    const token = input.callbackToken;
    if (!token || !token.expected || !safeEqual(token.received, token.expected)) {
      return { ok: false, reason: "bad_token", detail: "the callback URL's token does not match a payout" };
    }
    let body: unknown;
    try {
      body = JSON.parse(input.rawBody);
    } catch {
      // Whatever reaches the timeout URL means "not processed in time", even a body we cannot read.
      if (input.channel !== "timeout") return { ok: false, reason: "malformed", detail: "body is not JSON" };
    }
    return parseB2cCallback(input.channel, body, input.rawBody);
  }
}

// ---------------------------------------------------------------------------------------------
// Small shared pieces
// ---------------------------------------------------------------------------------------------

function refusal(reasonCode: string, customerMessage: string, retryable = false): Failure {
  return { reasonCode, customerMessage, retryable, exchange: null };
}

/** A token request that gave no token: Daraja down (retry later), or credentials it refuses. */
function tokenFailure(outcome: HttpOutcome): Failure {
  if (outcome.kind === "network_error") return unavailable(outcome.exchange, outcome.error);
  const retryable = outcome.status >= 500;
  return {
    reasonCode: retryable ? "provider_unavailable" : "provider_auth_failed",
    customerMessage: retryable ? UNAVAILABLE : "M-Pesa payments are not available right now. Please choose another payment method.",
    providerMessage: str(asRecord(outcome.body).errorMessage) ?? `OAuth answered ${outcome.status}`,
    retryable,
    exchange: outcome.exchange,
  };
}

function unavailable(exchange: Exchange, providerMessage: string): Failure {
  return { reasonCode: "provider_unavailable", customerMessage: UNAVAILABLE, providerMessage, retryable: true, exchange };
}

function wholeShillings(amountMinor: number, currency: string): { ok: true; shillings: number } | { ok: false; failure: Failure } {
  if (currency !== "KES") {
    return {
      ok: false,
      failure: refusal("currency_not_supported", "M-Pesa takes Kenya shillings only. Please choose another payment method."),
    };
  }
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 100) {
    return { ok: false, failure: refusal("invalid_amount", "This amount cannot be paid by M-Pesa.") };
  }
  if (amountMinor % 100 !== 0) {
    return {
      ok: false,
      failure: refusal(
        "amount_not_whole_shillings",
        "M-Pesa takes whole shillings only, and this amount has cents. Please choose another payment method.",
      ),
    };
  }
  return { ok: true, shillings: amountMinor / 100 };
}

function checkCallbackUrl(url: string, mode: MpesaConfig["mode"]): Failure | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refusal("invalid_callback_url", NOT_STARTED);
  }
  // Daraja needs a public HTTPS URL in production; the sandbox is lenient.
  if (parsed.protocol !== "https:" && (mode === "live" || parsed.protocol !== "http:")) return refusal("invalid_callback_url", NOT_STARTED);
  return null;
}

function darajaError(status: number, body: Record<string, unknown>, exchange: Exchange): Failure {
  const errorCode = str(body.errorCode);
  const providerMessage =
    str(body.errorMessage) ?? str(body.ResponseDescription) ?? str(body.CustomerMessage) ?? `Daraja answered ${status}`;
  // Daraja reuses 500.001.1001 for unrelated errors; the message tells them apart.
  if (errorCode === "500.001.1001" && /lock subscriber|already in process/i.test(providerMessage)) {
    // "Unable to lock subscriber, a transaction is already in process for the current subscriber".
    return {
      reasonCode: "subscriber_busy",
      customerMessage: "There is already an M-Pesa request on your phone. Complete or cancel it, then try again.",
      providerMessage,
      retryable: true,
      exchange,
    };
  }
  // "Wrong credentials", "Merchant does not exist": our configuration, not a passing fault.
  if (errorCode === "500.001.1001" && /credential|merchant|invalid/i.test(providerMessage)) {
    return { reasonCode: "rejected", customerMessage: NOT_STARTED, providerMessage, retryable: false, exchange };
  }
  if (status >= 500 || status === 429) return unavailable(exchange, providerMessage);
  return { reasonCode: "rejected", customerMessage: NOT_STARTED, providerMessage, retryable: false, exchange };
}
