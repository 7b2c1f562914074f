import { http, HttpResponse, type HttpHandler } from "msw";

/**
 * Safaricom's Daraja API as it behaves for Lipa na M-Pesa Online: OAuth tokens (Basic auth,
 * expiring), STK push (checks the Password it can recompute, the amount, phone and field limits),
 * STK query (processing until the customer answers), the Reversal API, B2C payouts (refusing a
 * repeated OriginatorConversationID, as Daraja does) with the transaction status query, and builders
 * for the callbacks Daraja would post. Configurable to fail the way Daraja fails.
 */

export const DARAJA_SANDBOX = "https://sandbox.safaricom.co.ke";

/** An agency's Daraja app in the tests: Safaricom's public sandbox shortcode and passkey; the rest is made up for the mock. */
export const DARAJA_TEST_CREDS = {
  consumerKey: "GtFqXkR2bowmanConsumerKey9a",
  consumerSecret: "Zq8vN3secretBowmanDaraja",
  shortcode: "174379",
  passkey: "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919",
  initiatorName: "testapi",
  securityCredential: "kV2f9EncryptedInitiatorCredentialXw==",
};

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
  /** Make the next B2C payment requests fail this way ("down" drops the connection). */
  b2c?: DarajaError | "down";
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

/** A B2C payment request Daraja accepted. */
export interface B2cPayout {
  body: Record<string, unknown>;
  originatorConversationId: string;
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
    b2c: [] as B2cPayout[],
    /** Every B2C request, duplicates and refusals included. */
    b2cRequests: [] as Record<string, unknown>[],
    statusQueries: [] as Record<string, unknown>[],
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

    http.post(`${base}/mpesa/b2c/v3/paymentrequest`, async ({ request }) => {
      if (!authorised(request)) return invalidToken();
      const body = (await request.json()) as Record<string, unknown>;
      state.b2cRequests.push(body);
      if (options.b2c === "down") return HttpResponse.error();
      if (options.b2c) return error(options.b2c);
      if (body.InitiatorName !== options.initiatorName || body.SecurityCredential !== options.securityCredential) {
        return error({ status: 400, errorCode: "400.002.02", errorMessage: "Bad Request - Invalid Initiator Information" });
      }
      if (!["BusinessPayment", "PromotionPayment", "SalaryPayment"].includes(String(body.CommandID))) return badRequest("CommandID");
      if (!Number.isInteger(Number(body.Amount)) || Number(body.Amount) < 10) return badRequest("Amount");
      if (!/^254[71]\d{8}$/.test(String(body.PartyB))) return badRequest("PartyB");
      if (!/^https?:\/\//.test(String(body.ResultURL)) || !/^https?:\/\//.test(String(body.QueueTimeOutURL)))
        return badRequest("ResultURL");
      const remarks = String(body.Remarks ?? "");
      if (remarks.length < 2 || remarks.length > 100) return badRequest("Remarks");
      const originatorConversationId = String(body.OriginatorConversationID ?? "");
      if (!originatorConversationId) return badRequest("OriginatorConversationID");
      if (state.b2c.some((p) => p.originatorConversationId === originatorConversationId)) {
        return error({ status: 500, errorCode: "500.002.1001", errorMessage: "Duplicate OriginatorConversationID." });
      }
      const payout: B2cPayout = {
        body,
        originatorConversationId,
        conversationId: `AG_20261207_${String(state.b2c.length + 1).padStart(20, "0")}`,
      };
      state.b2c.push(payout);
      return HttpResponse.json({
        ConversationID: payout.conversationId,
        OriginatorConversationID: originatorConversationId,
        ResponseCode: "0",
        ResponseDescription: "Accept the service request successfully.",
      });
    }),

    http.post(`${base}/mpesa/transactionstatus/v1/query`, async ({ request }) => {
      if (!authorised(request)) return invalidToken();
      const body = (await request.json()) as Record<string, unknown>;
      if (body.CommandID !== "TransactionStatusQuery") return badRequest("CommandID");
      if (body.Initiator !== options.initiatorName || body.SecurityCredential !== options.securityCredential) {
        return error({ status: 400, errorCode: "400.003.02", errorMessage: "Bad Request - Invalid Initiator Information" });
      }
      state.statusQueries.push(body);
      return HttpResponse.json({
        OriginatorConversationID: `5118-111210482-${state.statusQueries.length}`,
        ConversationID: `AG_20261207_status${String(state.statusQueries.length).padStart(12, "0")}`,
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

/** The B2C ResultDesc Daraja sends with each documented ResultCode. */
export const B2C_RESULT_DESCRIPTIONS: Record<string, string> = {
  "0": "The service request is processed successfully.",
  "1": "The balance is insufficient for the transaction.",
  "2": "Declined due to limit rule: less than the minimum transaction amount.",
  "3": "Declined due to limit rule: greater than the maximum transaction amount.",
  "4": "Declined due to limit rule: would exceed daily transfer limit.",
  "8": "Declined due to limit rule: would exceed the maximum balance.",
  "11": "The DebitParty is in an invalid state.",
  "21": "The initiator is not allowed to initiate this request.",
  "2001": "The initiator information is invalid.",
  "2006": "Declined due to account rule: The account status does not allow this transaction.",
  "2028": "The request is not permitted according to product assignment.",
  "2040": "Credit Party customer type (Unregistered or Registered Customer) can't be supported by the service.",
  "8006": "The security credential is locked.",
  SFC_IC0003: "The operator does not exist.",
};

/** What Daraja posts to a B2C request's ResultURL once M-Pesa has processed it. */
export function b2cResultBody(
  payout: Pick<B2cPayout, "originatorConversationId" | "conversationId" | "body">,
  resultCode: string | number = 0,
  overrides: { amount?: number; receipt?: string } = {},
) {
  const code = String(resultCode);
  const receipt = overrides.receipt ?? "TL7SG632NM";
  const Result: Record<string, unknown> = {
    ResultType: 0,
    ResultCode: /^\d+$/.test(code) ? Number(code) : code,
    ResultDesc: B2C_RESULT_DESCRIPTIONS[code] ?? "Unknown result",
    OriginatorConversationID: payout.originatorConversationId,
    ConversationID: payout.conversationId,
    TransactionID: code === "0" ? receipt : "TL70000000",
    ReferenceData: {
      ReferenceItem: { Key: "QueueTimeoutURL", Value: "https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit" },
    },
  };
  if (code === "0") {
    Result.ResultParameters = {
      ResultParameter: [
        { Key: "TransactionAmount", Value: overrides.amount ?? Number(payout.body.Amount) },
        { Key: "TransactionReceipt", Value: receipt },
        { Key: "ReceiverPartyPublicName", Value: `${String(payout.body.PartyB)} - WANJIRU KAMAU` },
        { Key: "TransactionCompletedDateTime", Value: "07.12.2026 10:48:52" },
        { Key: "B2CUtilityAccountAvailableFunds", Value: 8959269.6 },
        { Key: "B2CWorkingAccountAvailableFunds", Value: 1199371.0 },
        { Key: "B2CRecipientIsRegisteredCustomer", Value: "Y" },
        { Key: "B2CChargesPaidAccountAvailableFunds", Value: -1980.0 },
      ],
    };
  }
  return { Result };
}

/** What Daraja posts to QueueTimeOutURL when a request waited too long in its queue. */
export function b2cTimeoutBody(payout: Pick<B2cPayout, "originatorConversationId" | "conversationId">) {
  return {
    Result: {
      ResultType: 0,
      ResultCode: "SVC0001",
      ResultDesc: "The request timed out while waiting in the queue.",
      OriginatorConversationID: payout.originatorConversationId,
      ConversationID: payout.conversationId,
    },
  };
}

/** A transaction status query's answer, posted to the query's ResultURL. */
export function b2cStatusBody(
  payout: Pick<B2cPayout, "originatorConversationId" | "body">,
  options: { completed: boolean; receipt?: string; amount?: number; queryConversationId?: string },
) {
  return {
    Result: {
      ConversationID: options.queryConversationId ?? "AG_20261207_status000000000001",
      OriginatorConversationID: "5118-111210482-1",
      ResultCode: options.completed ? 0 : 2001,
      ResultDesc: options.completed ? "The service request is processed successfully." : "The transaction receipt number does not exist.",
      ResultType: 0,
      TransactionID: options.receipt ?? "TL7SG632NM",
      ResultParameters: options.completed
        ? {
            ResultParameter: [
              { Key: "DebitPartyName", Value: "600310 - Bowman Insurance" },
              { Key: "CreditPartyName", Value: `${String(payout.body.PartyB)} - WANJIRU KAMAU` },
              { Key: "OriginatorConversationID", Value: payout.originatorConversationId },
              { Key: "InitiatedTime", Value: "20261207104812" },
              { Key: "DebitAccountType", Value: "Utility Account" },
              { Key: "ReasonType", Value: "Business Payment to Customer via API" },
              { Key: "TransactionStatus", Value: "Completed" },
              { Key: "FinalisedTime", Value: "20261207104852" },
              { Key: "Amount", Value: String(options.amount ?? Number(payout.body.Amount)) },
              { Key: "ReceiptNo", Value: options.receipt ?? "TL7SG632NM" },
            ],
          }
        : null,
    },
  };
}
