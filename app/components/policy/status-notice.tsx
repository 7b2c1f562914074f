import { Alert } from "~/components/ui/alert";
import { useTranslation } from "react-i18next";

/** What the policy's status means for the customer, above everything else on its page. */
export function StatusNotice({ status, declineReason }: { status: string; declineReason: string | null }) {
  const { t } = useTranslation("policy");
  switch (status) {
    case "pending_underwriting":
      return (
        <Alert tone="info" title={t("notice.pending_underwriting.title")}>
          {t("notice.pending_underwriting.text")}
        </Alert>
      );
    case "pending_payment":
      return (
        <Alert tone="info" title={t("notice.pending_payment.title")}>
          {t("notice.pending_payment.text")}
        </Alert>
      );
    case "grace":
      return (
        <Alert tone="warning" title={t("notice.grace.title")}>
          {t("notice.grace.text")}
        </Alert>
      );
    case "lapsed":
      return (
        <Alert tone="error" title={t("notice.lapsed.title")}>
          {t("notice.lapsed.text")}
        </Alert>
      );
    case "declined":
      return (
        <Alert tone="error" title={t("notice.declined.title")}>
          {declineReason ? t("notice.declined.textWithReason", { reason: declineReason }) : t("notice.declined.text")}
        </Alert>
      );
    case "cancelled":
      return (
        <Alert tone="warning" title={t("notice.cancelled.title")}>
          {t("notice.cancelled.text")}
        </Alert>
      );
    case "expired":
      return (
        <Alert tone="info" title={t("notice.expired.title")}>
          {t("notice.expired.text")}
        </Alert>
      );
    default:
      return null;
  }
}
