import type { Migration } from "kysely";
import * as foundation from "./2026-11-21-0001-foundation";
import * as enqueueJob from "./2026-11-21-0002-enqueue-job";
import * as catalogue from "./2026-11-21-0003-catalogue";
import * as checkout from "./2026-11-21-0004-checkout";
import * as agentNetwork from "./2026-11-21-0005-agent-network";
import * as chargebacks from "./2026-11-21-0006-chargebacks";
import * as networkAtScale from "./2026-11-21-0007-network-at-scale";
import * as abuseProtection from "./2026-12-07-0008-abuse-protection";
import * as commissionRuleVersions from "./2026-12-07-0009-commission-rule-versions";
import * as webhookBacklogIndex from "./2026-12-07-0011-webhook-backlog-index";
import * as claimsAndWorkflows from "./2026-12-07-0012-claims-and-workflows";
import * as claimSettlements from "./2026-12-07-0014-claim-settlements";
import * as claimDrafts from "./2026-12-07-0015-claim-drafts";
import * as claimsBackOffice from "./2026-12-07-0016-claims-back-office";
import * as workflowTasksAndUnderwriting from "./2026-12-07-0017-workflow-tasks-and-underwriting";
import * as policyLifecycle from "./2026-12-07-0018-policy-lifecycle";
import * as renewals from "./2026-12-07-0019-renewals";
import * as savedPaymentMethods from "./2026-12-07-0020-saved-payment-methods";
import * as cancellationLetters from "./2026-12-07-0021-cancellation-letters";
import * as versionPayments from "./2026-12-07-0022-version-payments";
import * as accountSelfService from "./2026-12-07-0023-account-self-service";
import * as twoFactor from "./2026-12-07-0024-two-factor";
import * as dataProtection from "./2026-12-07-0025-data-protection";
import * as messaging from "./2026-12-07-0026-messaging";
import * as apiAndMalaysianPayments from "./2026-12-07-0027-api-and-malaysian-payments";
import * as mandates from "./2026-12-07-0028-mandates";
import * as commissionPayouts from "./2026-12-07-0029-commission-payouts";
import * as paypalCapture from "./2026-12-07-0030-paypal-capture";
import * as compression from "./2026-12-07-0034-compression";
import * as runningCaps from "./2026-12-07-0036-running-caps";
import * as agentMonths from "./2026-12-08-0037-agent-months";
import * as commissionBonuses from "./2026-12-08-0038-commission-bonuses";

/**
 * Every migration, in order. Listed by hand rather than read from disk so that the bundled
 * release command carries them all (docs/architecture.md §4: forward-only, run by `npm run db:migrate`).
 */
export const migrations: Record<string, Migration> = {
  "2026-11-21-0001-foundation": foundation,
  "2026-11-21-0002-enqueue-job": enqueueJob,
  "2026-11-21-0003-catalogue": catalogue,
  "2026-11-21-0004-checkout": checkout,
  "2026-11-21-0005-agent-network": agentNetwork,
  "2026-11-21-0006-chargebacks": chargebacks,
  "2026-11-21-0007-network-at-scale": networkAtScale,
  "2026-12-07-0008-abuse-protection": abuseProtection,
  "2026-12-07-0009-commission-rule-versions": commissionRuleVersions,
  "2026-12-07-0011-webhook-backlog-index": webhookBacklogIndex,
  "2026-12-07-0012-claims-and-workflows": claimsAndWorkflows,
  "2026-12-07-0014-claim-settlements": claimSettlements,
  "2026-12-07-0015-claim-drafts": claimDrafts,
  "2026-12-07-0016-claims-back-office": claimsBackOffice,
  "2026-12-07-0017-workflow-tasks-and-underwriting": workflowTasksAndUnderwriting,
  "2026-12-07-0018-policy-lifecycle": policyLifecycle,
  "2026-12-07-0019-renewals": renewals,
  "2026-12-07-0020-saved-payment-methods": savedPaymentMethods,
  "2026-12-07-0021-cancellation-letters": cancellationLetters,
  "2026-12-07-0022-version-payments": versionPayments,
  "2026-12-07-0023-account-self-service": accountSelfService,
  "2026-12-07-0024-two-factor": twoFactor,
  "2026-12-07-0025-data-protection": dataProtection,
  "2026-12-07-0026-messaging": messaging,
  "2026-12-07-0027-api-and-malaysian-payments": apiAndMalaysianPayments,
  "2026-12-07-0028-mandates": mandates,
  "2026-12-07-0029-commission-payouts": commissionPayouts,
  "2026-12-07-0030-paypal-capture": paypalCapture,
  "2026-12-07-0034-compression": compression,
  "2026-12-07-0036-running-caps": runningCaps,
  "2026-12-08-0037-agent-months": agentMonths,
  "2026-12-08-0038-commission-bonuses": commissionBonuses,
};
