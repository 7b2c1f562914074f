import { createHash } from "node:crypto";
import { z } from "zod";
import { hmacHex, safeEqual } from "./signatures.server";
import type {
  ChargeSavedRequest,
  ChargeSavedResult,
  Exchange,
  InitiateRequest,
  InitiateResult,
  MandateEvent,
  MandateProvider,
  MandateRequest,
  MandateResult,
  PayableBank,
  PaymentEvent,
  PaymentProvider,
  PayoutCallbackResult,
  PayoutEvent,
  PayoutProvider,
  PayoutQueryRequest,
  PayoutQueryResult,
  PayoutRequest,
  PayoutResult,
  ProviderDeps,
  QueryResult,
  RefundRequest,
  RefundResult,
  ReusableMethod,
  SandboxConfig,
  SavedMethodProvider,
  WebhookInput,
  WebhookResult,
} from "./types";
import { lineText } from "~/lib/text";

/**
 * The built-in provider for development and demos: no network, no money, test mode only.
 *
 * `initiate` answers pending with a ref and sends the customer to `/sandbox/pay/<ref>` (a page the
 * app serves), where "the customer's phone or card" approves, declines, cancels or lets it time out.
 * That page builds the callback with `sandboxCallback()` — a body signed with the tenant's sandbox
 * secret (HMAC-SHA256, hex, in `x-covera-sandbox-signature`) — and posts it through the same
 * verify → store raw → job path as every real provider's webhook.
 *
 * Refs and receipts are derived, not random, so retries and redeliveries repeat exactly: the ref
 * from the tenant, the idempotency key and the secret; the receipt ("SBX" + 7) from the ref.
 * The sandbox keeps no state: `query` cannot know what the page chose and answers pending.
 *
 * Payouts (decision 025) complete at once, with a ref and receipt derived from the idempotency key,
 * except an amount ending in .13 (SANDBOX_FAILING_PAYOUT_CENTS: 1,000.13), which is refused the way
 * a wallet with too little in it would refuse it, so staff can try the failure path. `queryPayout`
 * answers the same, so a payout whose answer was lost is found paid (or refused) by reconciliation.
 *
 * Saved cards (decision 029): a card approved on the page of a payment that asked to keep it is
 * reported reusable (its last 4 and expiry ride in the signed callback). Charging it later
 * answers at once, by the card, as Stripe's test cards do: one ending 0341 is declined, one ending
 * 3184 wants authentication nobody is there to give, any other goes through — so demos and
 * browser tests can play a failed auto-debit.
 *
 * FPX and e-wallets (issue 15): `listBanks` gives a fixed list of sandbox banks, one of them offline
 * (SANDBOX_OFFLINE_BANK: initiating with it is refused, as a real bank that is down), and three wallets.
 * E-mandates (decision 046): `createMandate` sends the member to `/sandbox/mandate/<ref>`, where they
 * authorise or reject; that page posts a signed `sandbox.mandate` callback the same way. Debiting a
 * mandate (`chargeSaved` with `{ mandate }`) answers at once; an amount ending in .51
 * (SANDBOX_FAILING_DEBIT_CENTS) is refused for insufficient funds, so the failed-debit path can be played.
 */

export const SANDBOX_SIGNATURE_HEADER = "x-covera-sandbox-signature";
export const SANDBOX_CHOICES = ["approve", "decline", "cancel", "timeout"] as const;
export type SandboxChoice = (typeof SANDBOX_CHOICES)[number];

export const SANDBOX_MANDATE_CHOICES = ["authorise", "reject"] as const;
export type SandboxMandateChoice = (typeof SANDBOX_MANDATE_CHOICES)[number];

/** The sandbox bank that is "offline": listed unavailable, and a payment through it is refused. */
export const SANDBOX_OFFLINE_BANK = "SBX0RHB";
export const SANDBOX_BANKS: readonly PayableBank[] = [
  { code: "SBX0MBB", name: "Maybank2u (sandbox)", available: true },
  { code: "SBX0CIMB", name: "CIMB Clicks (sandbox)", available: true },
  { code: "SBX0PBB", name: "Public Bank (sandbox)", available: true },
  { code: SANDBOX_OFFLINE_BANK, name: "RHB Now (sandbox)", available: false },
  { code: "SBX0HLB", name: "Hong Leong Connect (sandbox)", available: true },
];
export const SANDBOX_WALLETS: readonly PayableBank[] = [
  { code: "TNG", name: "Touch 'n Go eWallet (sandbox)", available: true },
  { code: "BOOST", name: "Boost (sandbox)", available: true },
  { code: "GRABPAY", name: "GrabPay (sandbox)", available: true },
];

/** The least an FPX mandate's authorisation payment may take, as at Curlec (RM 1.00). */
export const SANDBOX_FPX_MIN_MINOR = 100;

/** A mandate debit of an amount whose minor units end in this is refused (insufficient funds). */
export const SANDBOX_FAILING_DEBIT_CENTS = 51;

export function sandboxMandatePath(providerRef: string): string {
  return `/sandbox/mandate/${encodeURIComponent(providerRef)}`;
}

/** The mandate's token, derived from its authorisation's ref (what a debit charges). */
export function sandboxMandateToken(providerRef: string): string {
  return `sbxt_${createHash("sha256").update(`token:${providerRef}`).digest("hex").slice(0, 24)}`;
}

export function sandboxPayPath(providerRef: string): string {
  return `/sandbox/pay/${encodeURIComponent(providerRef)}`;
}

const RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** "SBX" + 7 characters, stable for a ref (an M-Pesa-like receipt for demos). */
export function sandboxReceipt(providerRef: string): string {
  const digest = createHash("sha256").update(`receipt:${providerRef}`).digest();
  let out = "SBX";
  for (let i = 0; i < 7; i += 1) out += RECEIPT_ALPHABET[digest[i]! % RECEIPT_ALPHABET.length];
  return out;
}

/** Saved sandbox cards that fail when charged later; any other card number goes through. */
export const SANDBOX_FAILING_CARDS: Record<string, { reasonCode: string; message: string }> = {
  "0341": { reasonCode: "card_declined", message: "Your card was declined (sandbox card ending 0341)." },
  "3184": {
    reasonCode: "authentication_required",
    message: "Your bank asked to confirm the payment, and you were not there to do it (sandbox card ending 3184).",
  },
};

const cardSchema = z.object({
  last4: lineText().regex(/^\d{4}$/),
  expMonth: z.number().int().min(1).max(12),
  expYear: z.number().int().min(2000).max(2100),
});
export type SandboxCard = z.infer<typeof cardSchema>;

const payloadSchema = z.object({
  type: z.literal("sandbox.payment"),
  providerRef: lineText().regex(/^sbx_[a-f0-9]{24}$/),
  choice: z.enum(SANDBOX_CHOICES),
  amountMinor: z.number().int().positive(),
  currency: lineText().regex(/^[A-Z]{3}$/),
  occurredAt: lineText().datetime(),
  /** The card approved on the page, when the payment asked to keep it. */
  card: cardSchema.optional(),
});
export type SandboxPayload = z.infer<typeof payloadSchema>;

const mandatePayloadSchema = z.object({
  type: z.literal("sandbox.mandate"),
  providerRef: lineText().regex(/^sbxm_[a-f0-9]{24}$/),
  choice: z.enum(SANDBOX_MANDATE_CHOICES),
  maxAmountMinor: z.number().int().positive(),
  bankCode: lineText().max(32).optional(),
  occurredAt: lineText().datetime(),
});
export type SandboxMandatePayload = z.infer<typeof mandatePayloadSchema>;

/** The callback body for the member's answer on the sandbox mandate page. */
export function sandboxMandateBody(input: Omit<SandboxMandatePayload, "type" | "occurredAt"> & { occurredAt?: Date }): string {
  const payload: SandboxMandatePayload = {
    type: "sandbox.mandate",
    providerRef: input.providerRef,
    choice: input.choice,
    maxAmountMinor: input.maxAmountMinor,
    ...(input.bankCode ? { bankCode: input.bankCode } : {}),
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
  };
  return JSON.stringify(payload);
}

/** The mandate event each answer means. Pure, like `sandboxEvent`. */
export function sandboxMandateEvent(payload: SandboxMandatePayload, raw: unknown = payload): MandateEvent {
  const bank = SANDBOX_BANKS.find((b) => b.code === payload.bankCode);
  return {
    kind: "mandate",
    providerEventId: `${payload.providerRef}:${payload.choice}`,
    providerRef: payload.providerRef,
    mandateRef: payload.choice === "authorise" ? sandboxMandateToken(payload.providerRef) : null,
    customerRef: null,
    status: payload.choice === "authorise" ? "active" : "rejected",
    maxAmountMinor: payload.maxAmountMinor,
    ...(bank ? { bankName: bank.name } : {}),
    ...(payload.choice === "reject" ? { reasonCode: "rejected_by_customer", providerMessage: "The mandate was rejected (sandbox)." } : {}),
    occurredAt: payload.occurredAt,
    raw,
  };
}

/** The callback body for a choice on the sandbox page (a string: the signature is over these bytes). */
export function sandboxEventBody(input: {
  providerRef: string;
  choice: SandboxChoice;
  amountMinor: number;
  currency: string;
  occurredAt?: Date;
  card?: SandboxCard;
}): string {
  const payload: SandboxPayload = {
    type: "sandbox.payment",
    providerRef: input.providerRef,
    choice: input.choice,
    amountMinor: input.amountMinor,
    currency: input.currency,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    ...(input.card ? { card: input.card } : {}),
  };
  return JSON.stringify(payload);
}

export function signSandboxBody(secret: string, rawBody: string): string {
  return hmacHex("sha256", secret, rawBody);
}

/** Everything the sandbox page needs to post its callback: the signed body and its headers. */
export function sandboxCallback(secret: string, input: Parameters<typeof sandboxEventBody>[0]): { headers: Headers; rawBody: string } {
  const rawBody = sandboxEventBody(input);
  return {
    rawBody,
    headers: new Headers({ "content-type": "application/json", [SANDBOX_SIGNATURE_HEADER]: signSandboxBody(secret, rawBody) }),
  };
}

/** The event each choice means. Pure: the same payload always gives the same event. */
export function sandboxEvent(payload: SandboxPayload, raw: unknown = payload): PaymentEvent {
  const base = {
    kind: "payment" as const,
    providerEventId: `${payload.providerRef}:${payload.choice}`,
    providerRef: payload.providerRef,
    final: true,
    amountMinor: payload.amountMinor,
    currency: payload.currency,
    providerCode: payload.choice,
    occurredAt: payload.occurredAt,
    raw,
  };
  switch (payload.choice) {
    case "approve":
      return {
        ...base,
        outcome: "completed",
        receipt: sandboxReceipt(payload.providerRef),
        ...(payload.card ? { reusable: sandboxReusable(payload.card) } : {}),
      };
    case "decline":
      return { ...base, outcome: "failed", reasonCode: "declined", customerMessage: "The payment was declined (sandbox)." };
    case "cancel":
      return {
        ...base,
        outcome: "cancelled",
        reasonCode: "cancelled_by_customer",
        customerMessage: "You cancelled the payment (sandbox).",
      };
    case "timeout":
      return { ...base, outcome: "expired", reasonCode: "no_response", customerMessage: "The payment request timed out (sandbox)." };
  }
}

function sandboxReusable(card: SandboxCard): ReusableMethod {
  return {
    reference: { card: card.last4 },
    fingerprint: `sandbox:${card.last4}:${card.expMonth}/${card.expYear}`,
    brand: "visa",
    last4: card.last4,
    expMonth: card.expMonth,
    expYear: card.expYear,
  };
}

/** A sandbox payout of an amount whose minor units end in this is refused (insufficient funds). */
export const SANDBOX_FAILING_PAYOUT_CENTS = 13;

export function sandboxPayoutFails(amountMinor: number): boolean {
  return amountMinor % 100 === SANDBOX_FAILING_PAYOUT_CENTS;
}

export class SandboxProvider implements PaymentProvider, PayoutProvider, SavedMethodProvider, MandateProvider {
  readonly name = "sandbox" as const;
  readonly mode = "test" as const;

  constructor(
    private readonly config: SandboxConfig,
    private readonly deps: ProviderDeps = {},
  ) {}

  private exchange(url: string, body: unknown, response: unknown): Exchange {
    return { request: { method: "POST", url: `sandbox:${url}`, body }, response: { status: 200, body: response }, durationMs: 0 };
  }

  async initiate(req: InitiateRequest): Promise<InitiateResult> {
    if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) {
      return {
        status: "failed",
        reasonCode: "invalid_amount",
        customerMessage: "This amount cannot be paid.",
        retryable: false,
        exchange: null,
      };
    }
    if (req.method === "fpx" || req.method === "ewallet") {
      const bank = (req.method === "fpx" ? SANDBOX_BANKS : SANDBOX_WALLETS).find((b) => b.code === req.bankCode);
      if (!bank || !bank.available) {
        return {
          status: "failed",
          reasonCode: bank ? "bank_unavailable" : "unknown_bank",
          customerMessage: bank ? "This bank is offline right now. Choose another bank or try later." : "Choose a bank to pay with.",
          retryable: Boolean(bank),
          exchange: null,
        };
      }
    }
    const providerRef = `sbx_${hmacHex("sha256", this.config.secret, `${req.tenantId}:${req.idempotencyKey}`).slice(0, 24)}`;
    const url = sandboxPayPath(providerRef);
    return {
      status: "pending",
      providerRef,
      customerAction: { type: "redirect", url },
      details: {},
      exchange: this.exchange(
        "initiate",
        { transactionId: req.transactionId, reference: req.reference, amountMinor: req.amountMinor, currency: req.currency },
        { providerRef, url },
      ),
    };
  }

  async chargeSaved(req: ChargeSavedRequest): Promise<ChargeSavedResult> {
    if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) {
      return { ok: false, reasonCode: "invalid_amount", customerMessage: "This amount cannot be paid.", retryable: false, exchange: null };
    }
    const providerRef = `sbx_${hmacHex("sha256", this.config.secret, `${req.tenantId}:${req.idempotencyKey}`).slice(0, 24)}`;
    const failing = req.method.mandate
      ? req.amountMinor % 100 === SANDBOX_FAILING_DEBIT_CENTS
        ? {
            reasonCode: "insufficient_funds",
            message: "Your bank refused the debit: not enough money in the account (sandbox amount ending .51).",
          }
        : undefined
      : SANDBOX_FAILING_CARDS[req.method.card ?? ""];
    const base = { providerRef, final: true, amountMinor: req.amountMinor, currency: req.currency, raw: null };
    const status = failing
      ? {
          ...base,
          outcome: "failed" as const,
          reasonCode: failing.reasonCode,
          providerCode: failing.reasonCode,
          customerMessage: failing.message,
        }
      : { ...base, outcome: "completed" as const, receipt: sandboxReceipt(providerRef) };
    return {
      ok: true,
      status,
      exchange: this.exchange(
        "charge_saved",
        {
          transactionId: req.transactionId,
          reference: req.reference,
          amountMinor: req.amountMinor,
          currency: req.currency,
          card: req.method.card,
          mandate: req.method.mandate,
        },
        { providerRef, outcome: status.outcome },
      ),
    };
  }

  async query(providerRef: string): Promise<QueryResult> {
    if (!/^sbx_[a-f0-9]{24}$/.test(providerRef)) {
      return {
        ok: false,
        reason: "not_found",
        message: "not a sandbox reference",
        retryable: false,
        exchange: this.exchange("query", { providerRef }, null),
      };
    }
    return {
      ok: true,
      status: { providerRef, outcome: "pending", final: false, raw: null },
      exchange: this.exchange("query", { providerRef }, { outcome: "pending" }),
    };
  }

  async parseWebhook(input: WebhookInput): Promise<WebhookResult> {
    const signature = input.headers.get(SANDBOX_SIGNATURE_HEADER);
    if (!signature) return { ok: false, reason: "bad_signature", detail: `no ${SANDBOX_SIGNATURE_HEADER} header` };
    if (!safeEqual(signature.trim().toLowerCase(), signSandboxBody(this.config.secret, input.rawBody))) {
      return { ok: false, reason: "bad_signature", detail: "signature does not match the body" };
    }
    let json: unknown;
    try {
      json = JSON.parse(input.rawBody);
    } catch {
      return { ok: false, reason: "malformed", detail: "body is not JSON" };
    }
    const mandate = mandatePayloadSchema.safeParse(json);
    if (mandate.success) return { ok: true, event: sandboxMandateEvent(mandate.data, json) };
    const payload = payloadSchema.safeParse(json);
    if (!payload.success) return { ok: false, reason: "malformed", detail: "not a sandbox payment event" };
    return { ok: true, event: sandboxEvent(payload.data, json) };
  }

  async listBanks(method: "fpx" | "ewallet") {
    return { ok: true as const, banks: [...(method === "fpx" ? SANDBOX_BANKS : SANDBOX_WALLETS)], exchange: null };
  }

  async createMandate(req: MandateRequest): Promise<MandateResult> {
    if (!Number.isSafeInteger(req.maxAmountMinor) || req.maxAmountMinor <= 0) {
      return {
        status: "failed",
        reasonCode: "invalid_amount",
        customerMessage: "This amount cannot be debited.",
        retryable: false,
        exchange: null,
      };
    }
    // As Curlec: an FPX authorisation is a payment of at least RM 1.00 (decision 046).
    if (req.method === "fpx" && (!Number.isSafeInteger(req.firstAmountMinor) || req.firstAmountMinor < SANDBOX_FPX_MIN_MINOR)) {
      return {
        status: "failed",
        reasonCode: "invalid_amount",
        customerMessage: "An FPX authorisation takes at least RM 1.00.",
        retryable: false,
        exchange: null,
      };
    }
    const bank = SANDBOX_BANKS.find((b) => b.code === req.bankCode);
    if (req.method === "fpx" && (!bank || !bank.available)) {
      return {
        status: "failed",
        reasonCode: bank ? "bank_unavailable" : "unknown_bank",
        customerMessage: bank ? "This bank is offline right now. Choose another bank or try later." : "Choose a bank to pay with.",
        retryable: Boolean(bank),
        exchange: null,
      };
    }
    const providerRef = `sbxm_${hmacHex("sha256", this.config.secret, `${req.tenantId}:${req.idempotencyKey}`).slice(0, 24)}`;
    const customerRef =
      req.customerRef ?? `sbxc_${hmacHex("sha256", this.config.secret, `${req.tenantId}:${req.customer.email}`).slice(0, 24)}`;
    const url = sandboxMandatePath(providerRef);
    return {
      status: "pending",
      providerRef,
      customerRef,
      customerAction: { type: "redirect", url },
      details: {},
      exchange: this.exchange(
        "create_mandate",
        {
          mandateId: req.mandateId,
          reference: req.reference,
          firstAmountMinor: req.firstAmountMinor,
          maxAmountMinor: req.maxAmountMinor,
          bankCode: req.bankCode,
        },
        { providerRef, customerRef, url },
      ),
    };
  }

  /** The sandbox keeps no state: it cannot say where a mandate stands (its page's callback does). */
  async queryMandate(ref: { customerRef: string; mandateRef: string | null; providerRef?: string | null }) {
    return {
      ok: false as const,
      reasonCode: "not_supported",
      customerMessage: "The sandbox cannot look a mandate up.",
      retryable: false,
      exchange: this.exchange("query_mandate", ref, null),
    };
  }

  async cancelMandate(ref: { customerRef: string; mandateRef: string }) {
    return { ok: true as const, exchange: this.exchange("cancel_mandate", ref, { cancelled: true }) };
  }

  private payoutRef(idempotencyKey: string): string {
    return `sbxp_${hmacHex("sha256", this.config.secret, `payout:${idempotencyKey}`).slice(0, 24)}`;
  }

  private payoutEvent(providerRef: string, amountMinor: number, currency: string): PayoutEvent {
    const base = { kind: "payout" as const, providerRef, amountMinor, currency, raw: null };
    if (sandboxPayoutFails(amountMinor)) {
      return {
        ...base,
        providerEventId: `${providerRef}:failed`,
        outcome: "failed",
        reasonCode: "insufficient_funds",
        providerCode: "declined",
        providerMessage: `The sandbox refuses amounts ending in .${SANDBOX_FAILING_PAYOUT_CENTS} (insufficient funds)`,
      };
    }
    return { ...base, providerEventId: `${providerRef}:completed`, outcome: "completed", receipt: sandboxReceipt(providerRef) };
  }

  async payout(req: PayoutRequest): Promise<PayoutResult> {
    if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) {
      return {
        status: "failed",
        maybeSent: false,
        reasonCode: "invalid_amount",
        customerMessage: "This amount cannot be paid out.",
        retryable: false,
        exchange: null,
      };
    }
    const providerRef = this.payoutRef(req.idempotencyKey);
    const event = this.payoutEvent(providerRef, req.amountMinor, req.currency);
    const exchange = this.exchange(
      "payout",
      { payoutId: req.payoutId, reference: req.reference, amountMinor: req.amountMinor, currency: req.currency },
      { providerRef, outcome: event.outcome, receipt: event.receipt ?? null },
    );
    if (event.outcome === "completed") return { status: "completed", providerRef, receipt: event.receipt!, exchange };
    return {
      status: "failed",
      maybeSent: false,
      reasonCode: event.reasonCode!,
      customerMessage: event.providerMessage!,
      providerMessage: event.providerMessage,
      retryable: false,
      exchange,
    };
  }

  async queryPayout(req: PayoutQueryRequest): Promise<PayoutQueryResult> {
    const event = this.payoutEvent(req.providerRef, req.amountMinor, req.currency);
    return { ok: true, event, exchange: this.exchange("payout_query", { providerRef: req.providerRef }, { outcome: event.outcome }) };
  }

  async parsePayoutResult(): Promise<PayoutCallbackResult> {
    return { ok: false, reason: "malformed", detail: "the sandbox posts no payout callbacks: its payouts complete at once" };
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) {
      return {
        status: "refused",
        reasonCode: "invalid_amount",
        customerMessage: "The refund amount is not valid.",
        retryable: false,
        exchange: null,
      };
    }
    if (!/^sbx_[a-f0-9]{24}$/.test(req.providerRef)) {
      return {
        status: "refused",
        reasonCode: "not_found",
        customerMessage: "There is no such sandbox payment.",
        retryable: false,
        exchange: null,
      };
    }
    const refundRef = `sbxr_${hmacHex("sha256", this.config.secret, `refund:${req.idempotencyKey}`).slice(0, 24)}`;
    const now = (this.deps.now?.() ?? new Date()).toISOString();
    return {
      status: "completed",
      refundRef,
      exchange: this.exchange(
        "refund",
        { providerRef: req.providerRef, amountMinor: req.amountMinor, currency: req.currency },
        { refundRef, at: now },
      ),
    };
  }
}
