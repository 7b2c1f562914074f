// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Alert } from "~/components/ui/alert";

/** What the policy's status means for the customer, above everything else on its page. */
export function StatusNotice({ status, declineReason }: { status: string; declineReason: string | null }) {
  switch (status) {
    case "pending_underwriting":
      return (
        <Alert tone="info" title="Awaiting underwriting">
          The insurer is reviewing your application. We will email you as soon as it is decided; if it is declined, your payment is refunded
          in full.
        </Alert>
      );
    case "pending_payment":
      return (
        <Alert tone="info" title="Awaiting payment">
          This policy is issued once its first payment is confirmed.
        </Alert>
      );
    case "grace":
      return (
        <Alert tone="warning" title="Payment overdue">
          An instalment is overdue. You are still covered for now; pay it below to keep your cover.
        </Alert>
      );
    case "lapsed":
      return (
        <Alert tone="error" title="Lapsed">
          This policy lapsed because an instalment was not paid. Contact us to discuss reinstating it.
        </Alert>
      );
    case "declined":
      return (
        <Alert tone="error" title="Declined">
          {declineReason ? `The insurer declined this application: ${declineReason}` : "The insurer declined this application."} Your
          payment for it is refunded.
        </Alert>
      );
    case "cancelled":
      return (
        <Alert tone="warning" title="Cancelled">
          This policy has been cancelled.
        </Alert>
      );
    case "expired":
      return (
        <Alert tone="info" title="Expired">
          This policy&apos;s cover period has ended.
        </Alert>
      );
    default:
      return null;
  }
}
