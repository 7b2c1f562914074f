import { asRecord, str, type HttpCall, type HttpOutcome } from "./exchange.server";
import { curlecFailure, epochIso, refusal } from "./curlec-entities.server";
import { hmacHex, safeEqual } from "./signatures.server";
import type { InitiateRequest, InitiateResult, PaymentEvent, PaymentStatus, QueryResult } from "./types";

/**
 * Card payments through Curlec by Payment Links (decision 044). The card is typed on Curlec's own
 * hosted page, never on ours (PCI DSS stays Curlec's), and the page is reached by a plain redirect
 * to the link's `short_url` — no form POST from our side, unlike Curlec's hosted checkout.
 *
 * - One link per attempt: `reference_id` is our transaction id, which Curlec keeps unique, so a
 *   retried start that Curlec refuses as a duplicate finds and reuses the link it already has.
 * - The link shows cards only (`options.checkout.method`), sends no SMS or e-mail of its own, takes
 *   no part payments, and dies before reconciliation gives up on the attempt (30 minutes), so a
 *   card is never charged on a link for a payment we already called expired.
 * - Our providerRef is the link id (`plink_…`): the status query, the signed return and the
 *   `payment_link.*` webhooks all name it. The captured payment's id becomes the receipt, which is
 *   what a refund names.
 */

type Http = (call: Omit<HttpCall, "headers">) => Promise<HttpOutcome>;

/** A providerRef that is a Payment Link (a card payment), not an order (FPX, e-wallet). */
export function isLinkRef(providerRef: string): boolean {
  return providerRef.startsWith("plink_");
}

/** Long enough for a card and its 3-D Secure step; shorter than reconciliation's 30-minute give-up. */
const LINK_LIFETIME_SECONDS = 20 * 60;

const EXPIRED = "The card payment page expired before the payment was made. Please try again.";
const CANCELLED = "The card payment was cancelled. Please try again.";

export async function startCardLink(http: Http, req: InitiateRequest, now: Date): Promise<InitiateResult> {
  if (!req.email) return { status: "failed", ...refusal("email_required", "Enter your email address to pay online.") };
  const outcome = await http({
    method: "POST",
    url: "/payment_links",
    body: {
      amount: req.amountMinor,
      currency: req.currency,
      accept_partial: false,
      reference_id: req.transactionId,
      description: req.description.slice(0, 2048),
      customer: { email: req.email, ...(req.phone ? { contact: req.phone } : {}) },
      // We send the customer there ourselves: Curlec's own SMS and e-mail would be a second, stray link.
      notify: { sms: false, email: false },
      reminder_enable: false,
      callback_url: req.returnUrl,
      callback_method: "get",
      expire_by: Math.floor(now.getTime() / 1000) + LINK_LIFETIME_SECONDS,
      notes: { transactionId: req.transactionId, tenantId: req.tenantId, reference: req.reference },
      options: { checkout: { method: { card: true, netbanking: false, upi: false, wallet: false } } },
    },
  });
  let link = outcome.kind === "response" && outcome.status === 200 ? asRecord(outcome.body) : null;
  let exchange = outcome.exchange;
  if (!link && outcome.kind === "response" && outcome.status === 400) {
    // A retry of a start whose answer was lost: the reference is taken by the link made then.
    const found = await http({ method: "GET", url: `/payment_links?reference_id=${encodeURIComponent(req.transactionId)}` });
    const links = found.kind === "response" && found.status === 200 ? asArray(asRecord(found.body).payment_links) : [];
    const same = links.find((l) => str(l.reference_id) === req.transactionId);
    if (same && (same.amount !== req.amountMinor || str(same.currency) !== req.currency)) {
      return {
        status: "failed",
        ...refusal("duplicate_reference", "This payment was already started for another amount. Please start again."),
        exchange: found.exchange,
      };
    }
    if (same) {
      link = same;
      exchange = found.exchange;
    }
  }
  const id = link ? str(link.id) : undefined;
  const url = link ? str(link.short_url) : undefined;
  if (link && id && isLinkRef(id) && url && /^https:\/\//.test(url)) {
    return { status: "pending", providerRef: id, customerAction: { type: "redirect", url }, details: {}, exchange };
  }
  return { status: "failed", ...curlecFailure(outcome) };
}

export async function queryLink(http: Http, linkId: string): Promise<QueryResult> {
  const outcome = await http({ method: "GET", url: `/payment_links/${encodeURIComponent(linkId)}` });
  if (outcome.kind === "network_error")
    return { ok: false, reason: "error", message: outcome.error, retryable: true, exchange: outcome.exchange };
  if (outcome.status === 200)
    return { ok: true, status: linkStatus(asRecord(outcome.body), null, outcome.body), exchange: outcome.exchange };
  const message = str(asRecord(asRecord(outcome.body).error).description) ?? `Curlec answered ${outcome.status}`;
  if (outcome.status === 404 || (outcome.status === 400 && /does not exist|invalid/i.test(message))) {
    return { ok: false, reason: "not_found", message, retryable: false, exchange: outcome.exchange };
  }
  return { ok: false, reason: "error", message, retryable: outcome.status >= 500 || outcome.status === 429, exchange: outcome.exchange };
}

/**
 * A link as our PaymentStatus: paid is the money (its captured payment is the receipt), expired
 * and cancelled are final (nobody can pay on it any more), anything else is still open. `payment`
 * is the payment entity a webhook carries; the fetched link lists its payments instead.
 */
export function linkStatus(link: Record<string, unknown>, payment: Record<string, unknown> | null, raw: unknown): PaymentStatus {
  const status = str(link.status) ?? "unknown";
  const linkId = str(link.id) ?? "";
  const listed = asArray(link.payments);
  const captured = listed.find((p) => str(p.status) === "captured") ?? listed[listed.length - 1];
  const paymentId = str(payment?.id) ?? str(captured?.payment_id);
  const base = { providerRef: linkId, providerCode: status, raw };
  switch (status) {
    case "paid": {
      const paid = link.amount_paid ?? payment?.amount;
      const currency = str(payment?.currency) ?? str(link.currency);
      return {
        ...base,
        outcome: "completed",
        final: true,
        ...(typeof paid === "number" && Number.isSafeInteger(paid) ? { amountMinor: paid } : {}),
        ...(currency ? { currency: currency.toUpperCase() } : {}),
        ...(paymentId ? { receipt: paymentId } : {}),
        ...(epochIso(link.updated_at) ? { occurredAt: epochIso(link.updated_at) } : {}),
      };
    }
    case "expired":
      return { ...base, outcome: "expired", final: true, reasonCode: "link_expired", customerMessage: EXPIRED };
    case "cancelled":
      return { ...base, outcome: "cancelled", final: true, reasonCode: "link_cancelled", customerMessage: CANCELLED };
    default:
      // created, or partially_paid (never, with accept_partial off): the customer may still pay on it.
      return { ...base, outcome: "pending", final: false };
  }
}

/** `payment_link.paid` / `.expired` / `.cancelled` as a payment event on the link; others are not ours to act on. */
export function linkEvent(
  event: string,
  link: Record<string, unknown>,
  payment: Record<string, unknown>,
  raw: unknown,
  eventId: (entityId: string) => string,
): PaymentEvent | { malformed: string } | null {
  if (!["payment_link.paid", "payment_link.expired", "payment_link.cancelled"].includes(event)) return null;
  const linkId = str(link.id);
  if (!linkId || !isLinkRef(linkId)) return { malformed: `${event} without a payment link id` };
  const status = linkStatus({ ...link, status: event.slice("payment_link.".length) }, Object.keys(payment).length ? payment : null, raw);
  return { ...status, kind: "payment", providerEventId: eventId(linkId) };
}

/**
 * The customer's return from a link: `razorpay_signature` is HMAC-SHA256 of
 * `payment_link_id|payment_link_reference_id|payment_link_status|payment_id` with the key secret.
 * The link id and reference must be the ones WE stored (our link, our transaction id), never the
 * ones the address names; the status and payment id are the address's, and the signature vouches
 * for them.
 */
export function verifyCurlecLinkReturn(
  input: { linkId: string; referenceId: string; status: string; paymentId: string; signature: string },
  keySecret: string,
): boolean {
  if (!input.linkId || !input.referenceId || !input.status || !input.paymentId || !input.signature) return false;
  const expected = hmacHex("sha256", keySecret, `${input.linkId}|${input.referenceId}|${input.status}|${input.paymentId}`);
  return safeEqual(input.signature.trim().toLowerCase(), expected);
}

function asArray(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(asRecord) : [];
}
