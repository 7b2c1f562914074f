import { http, HttpResponse, type HttpHandler } from "msw";

/**
 * Safaricom's Daraja API as it behaves for Lipa na M-Pesa Online: OAuth tokens (Basic auth,
 * expiring), STK push (checks the Password it can recompute, the amount, phone and field limits),
 * STK query (processing until the customer answers), the Reversal API, and builders for the
 * callbacks Daraja would post. Configurable to fail the way Daraja fails.
 */

export const DARAJA_SANDBOX = "https://sandbox.safaricom.co.ke";

type DarajaError = { status: number; errorCode: string; errorMessage: string };

export interface DarajaMockOptions {
  consumerKey: string;
  consumerSecret: string;
  shortcode: string;
  passkey: string;
  initiatorName?: string;
  securityCredential?: string;
  baseUrl?: string;
  /** Seconds, as the string Daraja sends. */
  expiresIn?: string;
  /** Make the next pushes fail this way ("down" drops the connection). */
  push?: DarajaError | "down";
  oauth?: "down";
}

export interface StkPush {
  body: Record<string, unknown>;
  authorization: string | null;
  checkoutRequestId: string;
  merchantRequestId: string;
}

export interface Reversal {
  body: Record<string, unknown>;
  conversationId: string;
}

/** The result descriptions Daraja sends with each ResultCode. */
export const RESULT_DESCRIPTIONS: Record<string, string> = {
  "0": "The service request is processed successfully.",
  "1": "The balance is insufficient for the transaction.",
  "1001": "Unable to lock subscriber, a transaction is already in process for the current subscriber",
  "1019": "Transaction has expired",
  "1025": "An error occurred while sending a push request",
  "1032": "Request cancelled by user",
  "1037": "DS timeout user cannot be reached",
  "2001": "The initiator information is invalid.",
  "4999": "The transaction is still under processing",
  "9999": "An error occurred while sending a push request.",
};

export function createDarajaMock(options: DarajaMockOptions) {
  const base = options.baseUrl ?? DARAJA_SANDBOX;
  const state = {
    options,
    oauthCalls: 0,
    issuedTokens: [] as string[],
    revoked: new Set<string>(),
    pushes: [] as StkPush[],
    queries: [] as Record<string, unknown>[],
    reversals: [] as Reversal[],
    /** CheckoutRequestID → ResultCode once the customer has answered. */
    results: new Map<string, string>(),
  };

  const error = (e: DarajaError) =>
    HttpResponse.json(
      { requestId: `${1000 + state.pushes.length}-mock`, errorCode: e.errorCode, errorMessage: e.errorMessage },
      { status: e.status },
    );
  const badRequest = (what: string) => error({ status: 400, errorCode: "400.002.02", errorMessage: `Bad Request - Invalid ${what}` });

  function authorised(request: Request): boolean {
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "");
    return Boolean(token && state.issuedTokens.includes(token) && !state.revoked.has(token));
  }
  const invalidToken = () => error({ status: 404, errorCode: "404.001.03", errorMessage: "Invalid Access Token" });

  function passwordOk(body: Record<string, unknown>): boolean {
    const expected = Buffer.from(`${body.BusinessShortCode}${options.passkey}${body.Timestamp}`).toString("base64");
    return String(body.BusinessShortCode) === options.shortcode && /^\d{14}$/.test(String(body.Timestamp)) && body.Password === expected;
  }

  const handlers: HttpHandler[] = [
    http.get(`${base}/oauth/v1/generate`, ({ request }) => {
      state.oauthCalls += 1;
      if (options.oauth === "down") return HttpResponse.error();
      if (new URL(request.url).searchParams.get("grant_type") !== "client_credentials") {
        return error({ status: 400, errorCode: "400.008.02", errorMessage: "Invalid grant type passed" });
      }
      const expected = `Basic ${Buffer.from(`${options.consumerKey}:${options.consumerSecret}`).toString("base64")}`;
      if (request.headers.get("authorization") !== expected) {
        return error({ status: 400, errorCode: "400.008.01", errorMessage: "Invalid Authentication passed" });
      }
      const token = `tok${state.oauthCalls}${Math.random().toString(36).slice(2, 12)}`;
      state.issuedTokens.push(token);
      return HttpResponse.json({ access_token: token, expires_in: options.expiresIn ?? "3599" });
    }),

    http.post(`${base}/mpesa/stkpush/v1/processrequest`, async ({ request }) => {
      if (!authorised(request)) return invalidToken();
      if (options.push === "down") return HttpResponse.error();
      if (options.push) return error(options.push);
      const body = (await request.json()) as Record<string, unknown>;
      if (!passwordOk(body)) return error({ status: 500, errorCode: "500.001.1001", errorMessage: "Wrong credentials" });
      if (!["CustomerPayBillOnline", "CustomerBuyGoodsOnline"].includes(String(body.TransactionType))) return badRequest("TransactionType");
      if (!Number.isInteger(Number(body.Amount)) || Number(body.Amount) < 1) return badRequest("Amount");
      if (!/^254[71]\d{8}$/.test(String(body.PhoneNumber)) || body.PartyA !== body.PhoneNumber) return badRequest("PhoneNumber");
      if (!/^https?:\/\//.test(String(body.CallBackURL))) return badRequest("CallBackURL");
      if (String(body.AccountReference ?? "").length > 12 || !body.AccountReference) return badRequest("AccountReference");
      if (String(body.TransactionDesc ?? "").length > 13) return badRequest("TransactionDesc");
      const n = state.pushes.length + 1;
      const push: StkPush = {
        body,
        authorization: request.headers.get("authorization"),
        checkoutRequestId: `ws_CO_${body.Timestamp}${String(n).padStart(6, "0")}`,
        merchantRequestId: `29115-34620561-${n}`,
      };
      state.pushes.push(push);
      return HttpResponse.json({
        MerchantRequestID: push.merchantRequestId,
        CheckoutRequestID: push.checkoutRequestId,
        ResponseCode: "0",
        ResponseDescription: "Success. Request accepted for processing",
        CustomerMessage: "Success. Request accepted for processing",
      });
    }),

    http.post(`${base}/mpesa/stkpushquery/v1/query`, async ({ request }) => {
      if (!authorised(request)) return invalidToken();
      const body = (await request.json()) as Record<string, unknown>;
      state.queries.push(body);
      if (!passwordOk(body)) return error({ status: 500, errorCode: "500.001.1001", errorMessage: "Wrong credentials" });
      const push = state.pushes.find((p) => p.checkoutRequestId === body.CheckoutRequestID);
      if (!push) return badRequest("CheckoutRequestID");
      const result = state.results.get(push.checkoutRequestId);
      if (result === undefined)
        return error({ status: 500, errorCode: "500.001.1001", errorMessage: "The transaction is being processed" });
      return HttpResponse.json({
        ResponseCode: "0",
        ResponseDescription: "The service request has been accepted successsfully",
        MerchantRequestID: push.merchantRequestId,
        CheckoutRequestID: push.checkoutRequestId,
        ResultCode: result,
        ResultDesc: RESULT_DESCRIPTIONS[result] ?? "Unknown",
      });
    }),

    http.post(`${base}/mpesa/reversal/v1/request`, async ({ request }) => {
      if (!authorised(request)) return invalidToken();
      const body = (await request.json()) as Record<string, unknown>;
      if (body.CommandID !== "TransactionReversal") return badRequest("CommandID");
      if (body.Initiator !== options.initiatorName || body.SecurityCredential !== options.securityCredential) {
        return error({ status: 400, errorCode: "400.002.02", errorMessage: "Bad Request - Invalid Initiator Information" });
      }
      if (!body.TransactionID || !body.ResultURL || !body.QueueTimeOutURL) return badRequest("TransactionID");
      const conversationId = `AG_20260301_${String(state.reversals.length + 1).padStart(14, "0")}`;
      state.reversals.push({ body, conversationId });
      return HttpResponse.json({
        OriginatorConversationID: `71840-27539181-${state.reversals.length}`,
        ConversationID: conversationId,
        ResponseCode: "0",
        ResponseDescription: "Accept the service request successfully.",
      });
    }),
  ];

  /** The customer answers the prompt: STK query reports it, and this is the callback Daraja posts. */
  function answer(push: StkPush, resultCode: string, overrides: { amount?: number; receipt?: string; transactionDate?: number } = {}) {
    state.results.set(push.checkoutRequestId, resultCode);
    return stkCallbackBody(push, resultCode, overrides);
  }

  /** Daraja invalidates every token it has issued (they do expire early in practice). */
  function revokeTokens() {
    for (const t of state.issuedTokens) state.revoked.add(t);
  }

  return { state, handlers, answer, revokeTokens };
}

export function stkCallbackBody(
  push: Pick<StkPush, "checkoutRequestId" | "merchantRequestId" | "body">,
  resultCode: string,
  overrides: { amount?: number; receipt?: string; transactionDate?: number } = {},
) {
  const stkCallback: Record<string, unknown> = {
    MerchantRequestID: push.merchantRequestId,
    CheckoutRequestID: push.checkoutRequestId,
    ResultCode: Number(resultCode),
    ResultDesc: RESULT_DESCRIPTIONS[resultCode] ?? "Unknown result",
  };
  if (resultCode === "0") {
    stkCallback.CallbackMetadata = {
      Item: [
        { Name: "Amount", Value: overrides.amount ?? Number(push.body.Amount) },
        { Name: "MpesaReceiptNumber", Value: overrides.receipt ?? "NLJ7RT61SV" },
        { Name: "Balance" },
        { Name: "TransactionDate", Value: overrides.transactionDate ?? 20191219102115 },
        { Name: "PhoneNumber", Value: Number(push.body.PhoneNumber) },
      ],
    };
  }
  return { Body: { stkCallback } };
}

/** What Daraja posts to ResultURL when a reversal completes (or fails). */
export function reversalResultBody(
  conversationId: string,
  options: { resultCode?: number | string; amount?: number; receipt?: string } = {},
) {
  const resultCode = options.resultCode ?? 0;
  const ok = String(resultCode) === "0";
  return {
    Result: {
      ResultType: 0,
      ResultCode: resultCode,
      ResultDesc: ok ? "The service request is processed successfully." : "The transaction has already been reversed.",
      OriginatorConversationID: "71840-27539181-1",
      ConversationID: conversationId,
      TransactionID: "NLJ41HAY6Q",
      ResultParameters: ok
        ? {
            ResultParameter: [
              { Key: "DebitAccountBalance", Value: "Utility Account|KES|51661.00|51661.00|0.00|0.00" },
              { Key: "Amount", Value: options.amount ?? 1500 },
              { Key: "TransCompletedTime", Value: 20260301101530 },
              { Key: "OriginalTransactionID", Value: options.receipt ?? "NLJ7RT61SV" },
              { Key: "Charge", Value: 0 },
              { Key: "CreditPartyPublicName", Value: "254712345678 - Amina Otieno" },
              { Key: "DebitPartyPublicName", Value: "600610 - Bowman Insurance" },
            ],
          }
        : { ResultParameter: { Key: "OriginalTransactionID", Value: options.receipt ?? "NLJ7RT61SV" } },
      ReferenceData: {
        ReferenceItem: { Key: "QueueTimeoutURL", Value: "https://internalsandbox.safaricom.co.ke/mpesa/reversalresults/v1/submit" },
      },
    },
  };
}
