import type { PaymentMethod, ProviderName, TransactionMethod, TransactionProvider } from "~db/schema";

/** What checkout, receipts and both back offices call a payment method (browser-safe). */
export const METHOD_LABELS: Record<TransactionMethod, string> = {
  mpesa: "M-Pesa",
  card: "Card",
  fpx: "FPX online banking",
  ewallet: "E-wallet",
  paypal: "PayPal",
  cash: "Cash",
  bank_transfer: "Bank transfer",
};

/** Who took a payment, as the back office names it: a provider, or an agent offline (browser-safe). */
export const TRANSACTION_PROVIDER_LABELS: Record<TransactionProvider, string> = {
  mpesa: "M-Pesa (Daraja)",
  paystack: "Paystack",
  stripe: "Stripe",
  sandbox: "Sandbox",
  curlec: "Curlec",
  paypal: "PayPal",
  offline: "Offline (agent)",
};

/** Methods a provider takes online; cash and bank transfers are collected by agents and confirmed by staff. */
export function isProviderMethod(method: TransactionMethod): method is PaymentMethod {
  return method !== "cash" && method !== "bank_transfer";
}

/** A payment taken by a provider (its adapter can be asked about it), not one collected offline. */
export function isProviderName(provider: TransactionProvider): provider is ProviderName {
  return provider !== "offline";
}
