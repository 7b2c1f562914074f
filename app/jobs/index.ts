import type { TaskList } from "graphile-worker";
import type { MessageProvider } from "~/modules/notifications/providers/types";
import {
  instalmentReceiptTask,
  issueOrderTask,
  orderDocumentsTask,
  policyCertificateTask,
  premiumScheduleTask,
  premiumScheduleTenantTask,
  processProviderEventTask,
  reconcileMandatesTask,
  reconcilePaymentsTask,
  reconcileTenantMandatesTask,
  reconcileTenantPaymentsTask,
  refundDuplicatePaymentTask,
  settleInstalmentTask,
  submitRefundTask,
} from "./payments";
import { sweepAbuseRecordsTask, sweepSignInFailuresTask } from "./abuse";
import { autodebitInstalmentTask, describeSavedMethodTask } from "./autodebit";
import {
  claimNotificationTask,
  processPayoutEventTask,
  reconcileSettlementsTask,
  reconcileTenantSettlementsTask,
  submitPayoutTask,
} from "./claims";
import { commissionTasks } from "./commissions";
import { submitCommissionPayoutTask } from "./commission-payouts";
import { commissionStatementsTask, commissionStatementTask } from "./commissions-statements";
import { sweepOrphanFilesTask, sweepOrphanFilesTenantTask } from "./files";
import { buildDataExportTask, expireDataExportsTask, expireDataExportsTenantTask } from "./privacy";
import { policyVersionAppliedTask } from "./endorsements";
import { policyLifecycleTask, policyLifecycleTenantTask } from "./renewals";
import { sendMessageTask } from "./send-message";
import { broadcastDispatchTask } from "./broadcasts";
import { checkAlertsTask, checkAlertsTenantTask, platformAlertEmailTask } from "./alerts";
import { workflowAutomaticTask, workflowTimeoutTask } from "./workflows";
import { cancellationDocumentsTask } from "./cancellations";

/** Every task the worker runs. Each parses its payload with zod and works inside withTenant. */
export function taskList(deps: { messageProvider?: MessageProvider } = {}): TaskList {
  return {
    send_message: sendMessageTask(deps.messageProvider),
    process_provider_event: processProviderEventTask,
    issue_order: issueOrderTask,
    order_documents: orderDocumentsTask,
    policy_certificate: policyCertificateTask,
    settle_instalment: settleInstalmentTask,
    instalment_receipt: instalmentReceiptTask,
    submit_refund: submitRefundTask,
    refund_duplicate_payment: refundDuplicatePaymentTask,
    reconcile_payments: reconcilePaymentsTask,
    reconcile_tenant_payments: reconcileTenantPaymentsTask,
    // e-mandates whose answer never came (decision 046)
    reconcile_mandates: reconcileMandatesTask,
    reconcile_tenant_mandates: reconcileTenantMandatesTask,
    premium_schedule: premiumScheduleTask,
    premium_schedule_tenant: premiumScheduleTenantTask,
    ...commissionTasks,
    // commission statements (H5)
    commission_statements: commissionStatementsTask,
    commission_statement: commissionStatementTask,
    sweep_abuse_records: sweepAbuseRecordsTask,
    sweep_sign_in_failures: sweepSignInFailuresTask,
    sweep_orphan_files: sweepOrphanFilesTask,
    sweep_orphan_files_tenant: sweepOrphanFilesTenantTask,
    workflow_automatic: workflowAutomaticTask,
    workflow_timeout: workflowTimeoutTask,
    // claim settlements, letters and notifications (decision 025)
    submit_payout: submitPayoutTask,
    process_payout_event: processPayoutEventTask,
    reconcile_settlements: reconcileSettlementsTask,
    reconcile_tenant_settlements: reconcileTenantSettlementsTask,
    claim_notification: claimNotificationTask,
    // agents' commission payouts by M-Pesa B2C (decision 047)
    submit_commission_payout: submitCommissionPayoutTask,
    // the customer's data-protection rights (decision 034)
    build_data_export: buildDataExportTask,
    expire_data_exports: expireDataExportsTask,
    expire_data_exports_tenant: expireDataExportsTenantTask,
    // a cancelled policy's letter and notice (decision 030)
    cancellation_documents: cancellationDocumentsTask,
    // saved cards and auto-debit of instalments (decision 029)
    autodebit_instalment: autodebitInstalmentTask,
    describe_saved_method: describeSavedMethodTask,
    // a policy's version came into force: its certificate and notice (issue 13)
    policy_version_applied: policyVersionAppliedTask,
    // expiry, renewal offers, auto-renew (decision 028)
    policy_lifecycle: policyLifecycleTask,
    policy_lifecycle_tenant: policyLifecycleTenantTask,
    // broadcasts, paced at the agency's rate (decision 043)
    broadcast_dispatch: broadcastDispatchTask(deps.messageProvider),
    // alerts for admins: a close that did not finish, a failing provider, a webhook backlog (decision 043)
    check_alerts: checkAlertsTask,
    check_alerts_tenant: checkAlertsTenantTask,
    platform_alert_email: platformAlertEmailTask,
  };
}

/**
 * Few entries with stable ids; each fans out to per-tenant jobs (docs/architecture.md §5). Reconciliation
 * every five minutes; the premium schedule hourly, so every tenant's midnight is met within the
 * hour whatever its time zone (a run is idempotent).
 */
export const crontab = [
  "*/5 * * * * reconcile_payments ?id=reconcile_payments",
  // E-mandates still pending after a quarter hour are asked about; after a day, expired (decision 046).
  "*/15 * * * * reconcile_mandates ?id=reconcile_mandates",
  // Claim payouts nobody has heard back about (decision 025).
  "*/5 * * * * reconcile_settlements ?id=reconcile_settlements",
  "7 * * * * premium_schedule ?id=premium_schedule",
  // Expiry and renewal offers: hourly, so each tenant's day is met in its own zone (decision 028).
  "11 * * * * policy_lifecycle ?id=policy_lifecycle",
  // Monthly commission close: asked hourly so each tenant's close day is met in its own time zone.
  "17 * * * * close_commission_months ?id=close_commission_months",
  // Rate-limit buckets and old sign-in failures (decision 012).
  "37 * * * * sweep_abuse_records ?id=sweep_abuse_records",
  // Stored files nothing points to, once a day at a quiet hour (UTC).
  "41 3 * * * sweep_orphan_files ?id=sweep_orphan_files",
  // Customers' data exports past their seven days (decision 034).
  "51 3 * * * expire_data_exports ?id=expire_data_exports",
  // Alerts: every quarter hour, each tenant's close, providers and webhook backlog (decision 043).
  "*/15 * * * * check_alerts ?id=check_alerts",
].join("\n");
