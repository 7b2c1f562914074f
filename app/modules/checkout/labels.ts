import type { TFunction } from "i18next";
import type { TransactionMethod } from "~db/schema";

/**
 * A way to pay as checkout offers it, in the customer's language (checkout namespace): "M-Pesa",
 * "Kadi", with "(sandbox)" while the agency is testing. The English METHOD_LABELS stay for the
 * back office.
 */
export function paymentOptionLabel(t: TFunction, option: { method: TransactionMethod; provider?: string }): string {
  const method = t(`method.${option.method}`);
  return option.provider === "sandbox" ? t("plan.sandbox", { method }) : method;
}
