import { createHash } from "node:crypto";
import { z } from "zod";
import { str } from "./exchange.server";
import type { PayoutCallbackResult, PayoutChannel, PayoutEvent } from "./types";
import { lineText } from "~/lib/text";

/**
 * M-Pesa B2C (Business to Customer) through Daraja: the protocol without the network, for payouts
 * (decision 025). The adapter's calls live in mpesa.server.ts; this file knows Daraja's words.
 *
 * - Our OriginatorConversationID names one attempt (`<reference>-<attempt>`): Daraja refuses a
 *   second request with the same one ("Duplicate OriginatorConversationID"), which is what makes
 *   sending an attempt again after a lost answer safe.
 * - Results come to ResultURL, queue timeouts to QueueTimeOutURL, transaction status answers to
 *   their own ResultURL; all three URLs carry the settlement's unguessable token (callbacks are
 *   unsigned) and say which of the three they are by their last segment.
 */

/** What each documented B2C ResultCode means, in staff's words (the claimant is told only that the payment is delayed). */
export const B2C_RESULT_CODES: Record<string, { reasonCode: string; message: string }> = {
  "1": {
    reasonCode: "insufficient_funds",
    message: "The agency's M-Pesa disbursement account does not hold enough money: top it up, then pay again.",
  },
  "2": { reasonCode: "amount_below_minimum", message: "M-Pesa refused the amount: it is below the smallest B2C payment allowed." },
  "3": {
    reasonCode: "amount_above_maximum",
    message: "M-Pesa refused the amount: it is above the largest B2C payment allowed. Pay by bank transfer.",
  },
  "4": {
    reasonCode: "payee_daily_limit",
    message: "The payment would take the claimant past M-Pesa's daily limit: pay tomorrow, or by bank transfer.",
  },
  "8": {
    reasonCode: "payee_balance_limit",
    message: "The payment would take the claimant's M-Pesa balance past its limit: pay by bank transfer.",
  },
  "11": { reasonCode: "payout_account_inactive", message: "The agency's M-Pesa disbursement account is not active." },
  "21": {
    reasonCode: "initiator_not_allowed",
    message: "The M-Pesa API user has no B2C initiator role: ask the business administrator to add it.",
  },
  "2001": {
    reasonCode: "initiator_invalid",
    message: "M-Pesa refused the initiator name or security credential: check them in the payment settings.",
  },
  "2006": { reasonCode: "payout_account_inactive", message: "The agency's M-Pesa disbursement account does not allow this payment." },
  "2028": { reasonCode: "shortcode_not_permitted", message: "The B2C short code is not allowed to make B2C payments." },
  "2040": {
    reasonCode: "payee_not_registered",
    message: "The phone number is not registered for M-Pesa: check it with the claimant, or pay by bank transfer.",
  },
  "8006": {
    reasonCode: "credential_locked",
    message: "The M-Pesa API user's password is locked: the business administrator can unlock it.",
  },
  SFC_IC0003: { reasonCode: "payee_not_found", message: "M-Pesa does not know the phone number: check it with the claimant." },
};

/** The meaning of a failed B2C ResultCode; an unknown one names its code. */
export function b2cFailure(code: string, desc?: string): { reasonCode: string; message: string } {
  return (
    B2C_RESULT_CODES[code] ?? {
      reasonCode: `mpesa_b2c_${code}`,
      message: `M-Pesa did not make the payment (code ${code}${desc ? `: ${desc}` : ""}).`,
    }
  );
}

/** Our OriginatorConversationID for an attempt: the settlement's reference and the attempt's number. */
export function b2cOriginatorId(reference: string, attempt: number): string {
  return `${reference}-${attempt}`;
}

/** Daraja's Remarks take 2 to 100 characters. */
export function b2cRemarks(description: string): string {
  const clean = description.replace(/\s+/g, " ").trim().slice(0, 100);
  return clean.length >= 2 ? clean : "Payout";
}

const code = z.union([z.number(), lineText().min(1)]).transform(String);
const parameter = z.object({ Key: lineText(), Value: z.union([lineText(), z.number()]).optional().nullable() });
const resultSchema = z.object({
  Result: z.object({
    ResultType: z.union([z.number(), lineText()]).optional(),
    ResultCode: code,
    ResultDesc: lineText().optional(),
    OriginatorConversationID: lineText().optional(),
    ConversationID: lineText().optional(),
    TransactionID: lineText().optional(),
    // Daraja sends one parameter as an object, several as an array.
    ResultParameters: z
      .object({ ResultParameter: z.union([z.array(parameter), parameter]) })
      .optional()
      .nullable(),
  }),
});

function toMinor(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value.replace(/,/g, "")) : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  return Math.round(n * 100);
}

/** "06.07.2024 22:48:52" (Nairobi) or "20180223054112" as ISO 8601. */
export function parseB2cTime(value: unknown): string | undefined {
  const s = str(value);
  const dotted = s?.match(/^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})$/);
  const compact = s?.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/);
  const parts = dotted ? [dotted[3], dotted[2], dotted[1], dotted[4], dotted[5], dotted[6]] : compact?.slice(1);
  if (!parts) return undefined;
  const date = new Date(`${parts[0]}-${parts[1]}-${parts[2]}T${parts[3]}:${parts[4]}:${parts[5]}+03:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const RECEIPT = /^[A-Z0-9]{6,20}$/;

/**
 * Parses a B2C callback body (no authentication: see the adapter's parsePayoutResult). A result's
 * event id is the attempt and its code; a timeout's the attempt (or, when Daraja names none, the
 * body's hash); a status answer's the query's conversation and its code.
 */
export function parseB2cCallback(channel: PayoutChannel, body: unknown, rawBody: string): PayoutCallbackResult {
  const parsed = resultSchema.safeParse(body);
  if (!parsed.success) {
    if (channel === "timeout") {
      // Whatever Daraja posts to the queue-timeout URL means the same thing: not processed in time.
      const hash = createHash("sha256").update(rawBody).digest("hex").slice(0, 32);
      return { ok: true, event: timeoutEvent(`b2c-timeout:${hash}`, null, undefined, body) };
    }
    return { ok: false, reason: "malformed", detail: "not a B2C result" };
  }
  const r = parsed.data.Result;
  const list = r.ResultParameters?.ResultParameter;
  const values = new Map((Array.isArray(list) ? list : list ? [list] : []).map((p) => [p.Key, p.Value ?? undefined]));
  const ref = r.OriginatorConversationID ?? null;

  if (channel === "timeout") {
    const id = ref ?? createHash("sha256").update(rawBody).digest("hex").slice(0, 32);
    return { ok: true, event: timeoutEvent(`b2c-timeout:${id}`, ref, r.ResultDesc, body) };
  }

  if (channel === "status") {
    // A transaction status answer: its own conversation, the original's details in its parameters.
    const original = str(values.get("OriginatorConversationID")) ?? null;
    const status = str(values.get("TransactionStatus"));
    const receipt = str(values.get("ReceiptNo")) ?? r.TransactionID;
    const amountMinor = toMinor(values.get("Amount"));
    const eventId = `b2c-status:${r.ConversationID ?? ref ?? "?"}:${r.ResultCode}`;
    if (r.ResultCode === "0" && status?.toLowerCase() === "completed" && receipt && RECEIPT.test(receipt) && amountMinor !== undefined) {
      return {
        ok: true,
        event: {
          kind: "payout",
          providerEventId: eventId,
          providerRef: original,
          outcome: "completed",
          amountMinor,
          currency: "KES",
          receipt,
          providerCode: r.ResultCode,
          providerMessage: r.ResultDesc,
          occurredAt: parseB2cTime(values.get("FinalisedTime")),
          raw: body,
        },
      };
    }
    return {
      ok: true,
      event: {
        kind: "payout",
        providerEventId: eventId,
        providerRef: original,
        outcome: "unknown",
        providerCode: r.ResultCode,
        providerMessage: [r.ResultDesc, status ? `status ${status}` : null].filter(Boolean).join("; ") || undefined,
        raw: body,
      },
    };
  }

  if (!ref) return { ok: false, reason: "malformed", detail: "a B2C result without OriginatorConversationID" };
  const eventId = `b2c:${ref}:${r.ResultCode}`;
  if (r.ResultCode === "0") {
    const receipt = str(values.get("TransactionReceipt")) ?? r.TransactionID;
    const amountMinor = toMinor(values.get("TransactionAmount"));
    // A success without what every genuine success carries is not trusted.
    if (!receipt || !RECEIPT.test(receipt) || amountMinor === undefined) {
      return { ok: false, reason: "malformed", detail: "a successful B2C result without TransactionReceipt or TransactionAmount" };
    }
    return {
      ok: true,
      event: {
        kind: "payout",
        providerEventId: eventId,
        providerRef: ref,
        outcome: "completed",
        amountMinor,
        currency: "KES",
        receipt,
        payeeName: str(values.get("ReceiverPartyPublicName")),
        providerCode: "0",
        providerMessage: r.ResultDesc,
        occurredAt: parseB2cTime(values.get("TransactionCompletedDateTime")),
        raw: body,
      },
    };
  }
  const failure = b2cFailure(r.ResultCode, r.ResultDesc);
  return {
    ok: true,
    event: {
      kind: "payout",
      providerEventId: eventId,
      providerRef: ref,
      outcome: "failed",
      reasonCode: failure.reasonCode,
      providerCode: r.ResultCode,
      providerMessage: r.ResultDesc ?? failure.message,
      raw: body,
    },
  };
}

function timeoutEvent(providerEventId: string, providerRef: string | null, desc: string | undefined, raw: unknown): PayoutEvent {
  return {
    kind: "payout",
    providerEventId,
    providerRef,
    outcome: "timeout",
    reasonCode: "queue_timeout",
    providerMessage: desc ?? "The request timed out in M-Pesa's queue",
    raw,
  };
}
