import type { PaymentMethod } from "~db/schema";

/** What checkout, receipts and both back offices call a payment method (browser-safe). */
export const METHOD_LABELS: Record<PaymentMethod, string> = { mpesa: "M-Pesa", card: "Card" };
