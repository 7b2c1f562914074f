import { chargeSavedMethod } from "~/modules/payments/autodebit.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";

/**
 * Auto-renew charges the customer's saved payment method for the renewal order (issue 13 item 2
 * builds saved methods: Stripe off-session payments, Paystack authorisations). The daily job is
 * written against this small interface so it can be wired to the real one at merge and tested with
 * a fake meanwhile.
 *
 * Contract: start a payment of the order (a draft at the payment step, terms accepted) with the
 * user's saved method, off-session; once-only per order (a second call while one is in flight or
 * done starts nothing). `ok: true` means a payment was started: its completion issues the renewal
 * through the ordinary payment → `issue_order` path. `ok: false` (no saved method, or the provider
 * refused at once) makes the job send the customer the offer to renew by hand.
 */
export type ChargeSaved = (
  tenant: TenantInfo,
  input: { userId: string; orderId: string },
) => Promise<{ ok: true; transactionId: string } | { ok: false; reason: "no_saved_method" | "declined" | "error"; message: string }>;

/** A tenant with no saved methods at all, and tests that want the offer path. */
export const noSavedMethod: ChargeSaved = async () => ({ ok: false, reason: "no_saved_method", message: "No saved payment method" });

/**
 * The real charge: the customer's default saved card, off-session (decision 029). Charging the same
 * order again returns the payment already made, so the job may ask twice. "unreachable" without a
 * code means nothing is known to have been charged: the offer goes out, and the next run may try again.
 */
export const savedMethodCharge: ChargeSaved = async (tenant, input) => {
  const charged = await chargeSavedMethod(tenant, { userId: input.userId, orderId: input.orderId });
  if (charged.ok) return { ok: true, transactionId: charged.transactionId };
  if (charged.reason === "no_saved_method") return { ok: false, reason: "no_saved_method", message: charged.message };
  if (charged.reason === "declined") return { ok: false, reason: "declined", message: charged.message };
  return { ok: false, reason: "error", message: charged.message };
};
