import type { LanguageDefaults } from "./types";

/** English: the wording the product sent before the catalogue (issue 14), as templates. */
const NOT_YOU = "If this was not you, change your password now and contact the agency: someone may have your password.";
const QUESTIONS = "If you have questions, reply to this email or contact the agency.";

export const en: LanguageDefaults = {
  phone_code: {
    sms: { body: "{{code}} is your {{tenantName}} confirmation code. It expires in {{minutes}} minutes. Do not share it." },
  },
  payment_received: {
    email: {
      subject: "Receipt {{receiptNumber}} from {{tenantName}}",
      body: "Hello {{name}},\n\nWe received {{amount}} for {{description}}. Your receipt is attached.\n\n[See my payments]({{link}})",
    },
    sms: { body: "{{tenantName}}: we received {{amount}} for {{description}}. Receipt {{receiptNumber}}." },
    in_app: { subject: "Payment received", body: "{{amount}} for {{description}}. Receipt {{receiptNumber}}." },
  },

  welcome: {
    email: {
      subject: "Welcome to {{tenantName}}",
      body: "Hello {{name}},\n\nYour {{tenantName}} account is ready. From it you can buy cover, pay, and follow your policies and claims.\n\n[Open my account]({{link}})",
    },
    in_app: {
      subject: "Welcome to {{tenantName}}",
      body: "Your account is ready: buy cover, pay and follow your policies and claims here.",
    },
  },
  verify_email: {
    email: {
      subject: "Confirm your email for {{tenantName}}",
      body: "Hello {{name}},\n\nPlease confirm your email address to finish setting up your {{tenantName}} account.\n\n[Confirm my email]({{link}})\n\nThis link works for 48 hours. If you did not create an account, you can ignore this email.",
    },
  },
  reset_password: {
    email: {
      subject: "Reset your {{tenantName}} password",
      body: "Hello {{name}},\n\nWe received a request to reset your password. Choose a new one with the link below.\n\n[Choose a new password]({{link}})\n\nThis link works once, for 60 minutes. If you did not ask for it, your password has not changed and you can ignore this email.",
    },
  },
  account_exists: {
    email: {
      subject: "Someone tried to create a {{tenantName}} account with your email",
      body: "Hello {{name}},\n\nSomeone, perhaps you, tried to create a new {{tenantName}} account with this email address. You already have one, so no new account was made.\n\n[Sign in]({{signInLink}})\n\nForgotten your password? Choose a new one here:\n\n[Reset my password]({{resetLink}})\n\nIf this was not you, you can ignore this email: nothing about your account has changed.",
    },
  },
  invite: {
    email: {
      subject: "You're invited to run {{tenantName}} on Covera",
      body: "Hello {{name}},\n\nYou have been added as {{role}} of {{tenantName}}. Set your password to sign in.\n\n[Set my password]({{link}})\n\nThis invitation works once, for 7 days.",
    },
  },
  two_factor_on: {
    email: {
      subject: "Two-factor sign-in is on for your {{tenantName}} account",
      body: `Hello {{name}},\n\nTwo-factor sign-in was turned on for your account: from now on, signing in asks for a code from your authenticator app after your password.\n\nKeep your recovery codes somewhere safe: each one signs you in once if you lose your phone.\n\n[Your two-factor settings]({{link}})\n\n${NOT_YOU}`,
    },
  },
  two_factor_off: {
    email: {
      subject: "Two-factor sign-in was turned off for your {{tenantName}} account",
      body: `Hello {{name}},\n\nTwo-factor sign-in was turned off for your account: signing in now needs only your password.\n\n[Turn it on again]({{link}})\n\n${NOT_YOU}`,
    },
  },
  two_factor_recovery_code_used: {
    email: {
      subject: "A recovery code was used to sign in to {{tenantName}}",
      body: `Hello {{name}},\n\nSomeone signed in to your account with one of your recovery codes instead of a code from your authenticator app. That code will not work again.\n\nRecovery codes left: {{codesLeft}}. With none left, make new ones now, or you may be locked out if you lose your phone.\n\n[Your two-factor settings]({{link}})\n\n${NOT_YOU}`,
    },
  },
  api_session_revoked: {
    email: {
      subject: "We signed {{app}} out of your {{tenantName}} account",
      body: `Hello {{name}},\n\nOn {{time}} the key that keeps {{app}} signed in to your account was used a second time. That can mean someone copied it, so we ended that sign-in: the app will ask you to sign in again.\n\n[Your security settings]({{link}})\n\n${NOT_YOU}`,
    },
  },
  email_change_confirm: {
    email: {
      subject: "Confirm your new email for {{tenantName}}",
      body: "Hello {{name}},\n\nYou asked to sign in to {{tenantName}} with {{newEmail}} from now on. Confirm this address to make the change.\n\n[Confirm my new email]({{link}})\n\nThis link works once, for {{hours}} hours. If you did not ask for this, ignore this email: nothing changes.",
    },
  },
  email_change_notice: {
    email: {
      subject: "Your {{tenantName}} sign-in email is being changed",
      body: "Hello {{name}},\n\nSomeone signed in to your {{tenantName}} account asked to change its email address to {{newEmail}}. Nothing changes until the new address is confirmed.\n\nIf this was you, there is nothing to do here.\n\n[This wasn't me: cancel the change]({{cancelLink}})\n\nIf it was not you, cancel the change, then change your password from your account's security page.",
    },
  },
  email_changed: {
    email: {
      subject: "Your {{tenantName}} sign-in email has changed",
      body: "Hello {{name}},\n\nYour {{tenantName}} account now signs in with {{newEmail}}. We will write to you there from now on.\n\nIf you did not make this change, contact us at once.",
    },
  },
  data_export_ready: {
    email: {
      subject: "Your {{tenantName}} data is ready to download",
      body: "Hello {{name}},\n\nThe copy of your data you asked for is ready: everything {{tenantName}} holds about you, in a ZIP file with your documents.\n\n[Download my data]({{link}})\n\nThe link works when you are signed in to your account, until {{expiresOn}}. After that the file is deleted; you can ask for a new one at any time.\n\nIf you did not ask for this, sign in and change your password.",
    },
    in_app: { subject: "Your data is ready", body: "Your copy of your data can be downloaded until {{expiresOn}}." },
  },
  data_export_failed: {
    email: {
      subject: "We could not prepare your {{tenantName}} data",
      body: "Hello {{name}},\n\nSomething went wrong while we were preparing the copy of your data. Nothing about your account has changed.\n\n[Try again]({{link}})",
    },
    in_app: { subject: "Your data could not be prepared", body: "Something went wrong: please ask for your copy again." },
  },
  account_closed: {
    email: {
      subject: "Your {{tenantName}} account is closed",
      body: "Hello {{name}},\n\nAs you asked, your {{tenantName}} account is closed: you have been signed out everywhere and your personal details have been removed.\n\nWe keep the records of your policies and payments for as long as the law requires, and nothing else.\n\nIf you did not ask for this, please contact us straight away.",
    },
  },

  quote_saved: {
    email: {
      subject: "Your {{productName}} quote from {{tenantName}}",
      body: "Hello {{name}},\n\nWe saved your quote for {{productName}}: {{amount}}. It holds until {{validUntil}}.\n\n[Continue with my quote]({{link}})",
    },
    in_app: { subject: "Quote saved", body: "{{productName}}: {{amount}}, until {{validUntil}}." },
  },
  application_received: {
    email: {
      subject: "Receipt {{receiptNumber}} from {{tenantName}}",
      body: "Hello {{name}},\n\nWe received {{amount}} for order {{orderReference}}. Your receipt is attached.\n\nThe insurer is reviewing your application; your certificate follows once it is approved.\n\n[See my policies]({{link}})",
    },
    sms: { body: "{{tenantName}}: we received {{amount}} for order {{orderReference}}. The insurer is reviewing your application." },
    in_app: { subject: "Payment received", body: "{{amount}} for order {{orderReference}}. Your application is being reviewed." },
  },
  payment_failed: {
    email: {
      subject: "Your {{tenantName}} payment did not go through",
      body: "Hello {{name}},\n\nYour payment of {{amount}} for order {{orderReference}} did not go through, and nothing was taken.\n\n[Try again]({{link}})",
    },
    sms: { body: "{{tenantName}}: your payment of {{amount}} for order {{orderReference}} did not go through. Please try again." },
    in_app: { subject: "Payment failed", body: "{{amount}} for order {{orderReference}} did not go through." },
  },
  instalment_due: {
    email: {
      subject: "Your {{tenantName}} premium of {{amount}} is due",
      body: "Hello {{name}},\n\nThe next instalment of policy {{policyNumber}}, {{amount}}, is due on {{dueDate}}.\n\n[Pay now]({{link}})\n\nIf it stays unpaid, the policy goes into its grace period and may then lapse.",
    },
    sms: { body: "{{tenantName}}: {{amount}} for policy {{policyNumber}} is due on {{dueDate}}. Pay from your account." },
    in_app: { subject: "Premium due", body: "{{amount}} for policy {{policyNumber}}, due on {{dueDate}}." },
  },
  payment_overdue: {
    email: {
      subject: "Your {{tenantName}} premium of {{amount}} is overdue",
      body: "Hello {{name}},\n\nThe instalment of policy {{policyNumber}}, {{amount}}, was due on {{dueDate}} and is not paid. The policy is now in its grace period.\n\n[Pay now]({{link}})\n\nIf it stays unpaid until the grace period ends, the policy lapses and you are no longer covered.",
    },
    sms: { body: "{{tenantName}}: {{amount}} for policy {{policyNumber}} was due on {{dueDate}}. Pay now to keep your cover." },
    in_app: {
      subject: "Premium overdue",
      body: "{{amount}} for policy {{policyNumber}} was due on {{dueDate}}. Pay now to keep your cover.",
    },
  },
  autodebit_failed: {
    email: {
      subject: "We could not take your {{tenantName}} premium of {{amount}}",
      body: "Hello {{name}},\n\nWe tried to charge {{amount}} for the instalment of policy {{policyNumber}} due on {{dueDate}} to your card {{card}}, and it did not go through: {{reason}}\n\nPlease pay it yourself with the link below. Your card stays saved, and we will try it again for your next instalment.\n\n[Pay now]({{link}})\n\nIf the instalment stays unpaid, the policy goes into its grace period and may then lapse.",
    },
    sms: { body: "{{tenantName}}: we could not charge {{amount}} for policy {{policyNumber}} to your card. Please pay from your account." },
    in_app: { subject: "Card payment failed", body: "{{amount}} for policy {{policyNumber}} could not be charged to {{card}}: {{reason}}" },
  },

  policy_documents: {
    email: {
      subject: "Your {{tenantName}} cover is in place: {{orderReference}}",
      body: "Hello {{name}},\n\nThank you for your payment. Your documents are attached.\n\n{{policies}}. Anyone can check a policy at the address shown.\n\n[See my policies]({{link}})\n\nKeep this email: the certificates are your proof of cover.",
    },
    sms: { body: "{{tenantName}}: your cover is in place. Policy {{policyNumbers}}. Your certificate is in your email and account." },
    in_app: { subject: "Your cover is in place", body: "Policy {{policyNumbers}}: your certificate is ready." },
  },
  policy_declined: {
    email: {
      subject: "Your {{productName}} application with {{tenantName}}",
      body: "Hello {{name}},\n\nWe are sorry: after review, the insurer could not offer {{productName}}. Reason: {{reason}}\n\nWe are refunding {{refund}} to the way you paid. You will get a receipt when it is done.\n\n[See my policies]({{link}})",
    },
    in_app: { subject: "Application declined", body: "The insurer could not offer {{productName}}. {{refund}} is being refunded." },
  },
  policy_changed: {
    email: {
      subject: "Policy {{policyNumber}} changed from {{effectiveDate}}",
      body: "Hello {{name}},\n\nYour policy {{policyNumber}} has changed from {{effectiveDate}} (version {{version}}):\n\n{{changes}}\n\nAdditional premium paid: {{premiumPaid}}. Premium coming back to you: {{premiumReturned}}.\n\nThe annual premium is now {{annualPremium}} before levies. Your updated certificate is attached.\n\n[See my policy]({{link}})",
    },
    in_app: { subject: "Policy changed", body: "Policy {{policyNumber}} changed from {{effectiveDate}}: {{changes}}" },
  },
  policy_cancelled: {
    email: {
      subject: "Your {{productName}} policy {{policyNumber}} is cancelled",
      body: "Hello {{name}},\n\nYour {{productName}} policy {{policyNumber}} is cancelled: its cover ended at the start of {{cancelledOn}}.\n\nPremium coming back to you: {{refund}}, returned the way you paid. Of it, returned by {{tenantName}} directly (cash or bank-in): {{byAgency}}. You can follow the refund on the policy's page.\n\nThe cancellation letter is attached: it shows what comes back and why. Keep it for your records.\n\n[See the policy]({{link}})",
    },
    in_app: { subject: "Policy cancelled", body: "Policy {{policyNumber}} is cancelled from {{cancelledOn}}. Refund: {{refund}}." },
  },
  policy_lapsed: {
    email: {
      subject: "Your {{tenantName}} policy {{policyNumber}} has lapsed",
      body: "Hello {{name}},\n\nYour policy {{policyNumber}} has lapsed: its premium stayed unpaid after the grace period, and you are no longer covered by it.\n\n[See the policy]({{link}})\n\nContact us if you want to be covered again.",
    },
    sms: {
      body: "{{tenantName}}: policy {{policyNumber}} has lapsed for unpaid premium. You are no longer covered. Contact us to restore it.",
    },
    in_app: { subject: "Policy lapsed", body: "Policy {{policyNumber}} has lapsed: you are no longer covered by it." },
  },
  policy_reinstated: {
    email: {
      subject: "Your {{tenantName}} policy {{policyNumber}} is back in force",
      body: "Hello {{name}},\n\nYour policy {{policyNumber}} is reinstated: you are covered again.\n\n[See the policy]({{link}})",
    },
    in_app: { subject: "Policy reinstated", body: "Policy {{policyNumber}} is back in force." },
  },
  renewal_offer: {
    email: {
      subject: "Renew your {{tenantName}} cover: {{policyNumber}}",
      body: "Hello {{name}},\n\nYour {{productName}} policy {{policyNumber}} ends on {{endDate}}. Renew it to stay covered from {{startDate}}: {{price}}.\n\nWhat changed since last term: {{changes}}\n\n[Renew my policy]({{link}})",
    },
    in_app: { subject: "Time to renew", body: "Policy {{policyNumber}} ends on {{endDate}}. Renew it for {{price}}." },
  },
  renewal_reminder: {
    email: {
      subject: "Reminder: renew {{policyNumber}} before {{endDate}}",
      body: "Hello {{name}},\n\nYour {{productName}} policy {{policyNumber}} ends on {{endDate}}. Renew it to stay covered from {{startDate}}: {{price}}.\n\nWhat changed since last term: {{changes}}\n\n[Renew my policy]({{link}})",
    },
    in_app: { subject: "Renewal reminder", body: "Policy {{policyNumber}} ends on {{endDate}}. Renew it for {{price}}." },
  },
  auto_renew_failed: {
    email: {
      subject: "Renew your {{tenantName}} cover: {{policyNumber}}",
      body: "Hello {{name}},\n\nYour {{productName}} policy {{policyNumber}} ends on {{endDate}}. Renew it to stay covered from {{startDate}}: {{price}}.\n\nAuto-renew is on, but we could not charge a saved payment method, so please renew with the link below.\n\n[Renew my policy]({{link}})",
    },
    in_app: { subject: "Auto-renew could not charge", body: "Please renew policy {{policyNumber}} before {{endDate}}." },
  },
  policy_renewed: {
    email: {
      subject: "Renewed: your new policy is {{newPolicyNumber}}",
      body: "Hello {{name}},\n\nPolicy {{oldPolicyNumber}} is renewed. Your new policy {{newPolicyNumber}} covers you from {{startDate}} to {{endDate}}; its certificate follows by email.\n\n[See my new policy]({{link}})",
    },
    in_app: { subject: "Policy renewed", body: "Your new policy {{newPolicyNumber}} covers you from {{startDate}} to {{endDate}}." },
  },
  policy_expiring: {
    email: {
      subject: "Your cover {{policyNumber}} ends on {{endDate}}",
      body: "Hello {{name}},\n\nYour {{productName}} policy {{policyNumber}} ends on {{endDate}} and is not renewed yet.\n\n[Stay covered]({{link}})",
    },
    sms: { body: "{{tenantName}}: policy {{policyNumber}} ends on {{endDate}} and is not renewed yet. Renew from your account." },
    in_app: { subject: "Cover ending", body: "Policy {{policyNumber}} ends on {{endDate}} and is not renewed yet." },
  },
  policy_expired: {
    email: {
      subject: "Your cover {{policyNumber}} has ended",
      body: "Hello {{name}},\n\nYour {{productName}} policy {{policyNumber}} ended on {{endDate}}. You are no longer covered by it.\n\n[Get new cover]({{link}})",
    },
    in_app: { subject: "Cover ended", body: "Policy {{policyNumber}} ended on {{endDate}}." },
  },

  claim_filed: {
    email: {
      subject: "Claim {{claimNumber}} received",
      body: "Hello {{name}},\n\nWe have received claim {{claimNumber}} of {{claimantName}} for {{claimed}} on policy {{policyNumber}}.\n\nAn assessor will look at it and tell you what happens next. You can follow it, and send any document we ask for, from the claim's page.\n\n[Follow the claim]({{link}})",
    },
    in_app: { subject: "Claim received", body: "Claim {{claimNumber}} for {{claimed}} is with an assessor." },
  },
  claim_documents_requested: {
    email: {
      subject: "We need more documents for claim {{claimNumber}}",
      body: "Hello {{name}},\n\nTo finish assessing claim {{claimNumber}} of {{claimantName}}, the assessor asks:\n\n{{message}}\n\nDocuments to send: {{documents}}\n\n[Send the documents]({{link}})",
    },
    in_app: { subject: "Documents needed", body: "Claim {{claimNumber}}: {{message}}" },
  },
  claim_documents_reminder: {
    email: {
      subject: "We are still waiting for documents for claim {{claimNumber}}",
      body: "Hello {{name}},\n\nYour claim {{claimNumber}} is waiting for the documents we asked for. We can only finish assessing it once they arrive.\n\n[Send the documents]({{link}})\n\nIf you cannot get a document, reply to this email and tell us why: we will look at what you can send.",
    },
    in_app: { subject: "Documents still needed", body: "Claim {{claimNumber}} is waiting for the documents we asked for." },
  },
  document_verified: {
    in_app: { subject: "Document accepted", body: "{{document}} for claim {{claimNumber}} is accepted." },
  },
  claim_approved: {
    email: {
      subject: "Claim {{claimNumber}} is approved",
      body: "Hello {{name}},\n\nClaim {{claimNumber}} of {{claimantName}} is approved: {{approved}}, less the excess of {{excess}}. We will pay {{payable}}.\n\nWe will tell you as soon as the payment is made, with your settlement letter.\n\n[See the claim]({{link}})",
    },
    sms: { body: "{{tenantName}}: claim {{claimNumber}} is approved. We will pay {{payable}} and tell you when it is paid." },
    in_app: { subject: "Claim approved", body: "Claim {{claimNumber}}: we will pay {{payable}}." },
  },
  claim_rejected: {
    email: {
      subject: "Decision on claim {{claimNumber}}",
      body: "Hello {{name}},\n\nWe are sorry: after assessing claim {{claimNumber}} of {{claimantName}}, we cannot pay it.\n\nWhy: {{reasons}}\n\nThe decision letter is attached. If you disagree, you can appeal until {{appealBy}}: tell us why from the claim's page.\n\n[See the claim]({{link}})",
    },
    sms: { body: "{{tenantName}}: we cannot pay claim {{claimNumber}}. The letter is in your email. You may appeal until {{appealBy}}." },
    in_app: { subject: "Claim decision", body: "Claim {{claimNumber}} cannot be paid. You may appeal until {{appealBy}}." },
  },
  claim_settled: {
    email: {
      subject: "Claim {{claimNumber}} is paid",
      body: "Hello {{name}},\n\nWe have paid {{amount}} for claim {{claimNumber}} of {{claimantName}} by {{method}} (reference {{reference}}).\n\nThe settlement letter {{settlementReference}} is attached. Keep it for your records.\n\n[See the claim]({{link}})",
    },
    sms: { body: "{{tenantName}}: we have paid {{amount}} for claim {{claimNumber}} by {{method}}, ref {{reference}}." },
    in_app: { subject: "Claim paid", body: "{{amount}} paid for claim {{claimNumber}} by {{method}}." },
  },

  agent_approve: {
    email: {
      subject: "Welcome to the {{tenantName}} agent network",
      body: `Hello {{name}},\n\nYour application is approved: you are now an active agent, number {{agentNumber}}.\n\nShare your referral link, register members and follow your commissions in the agent portal.\n\n[Open the agent portal]({{link}})\n\n${QUESTIONS}`,
    },
    in_app: { subject: "Welcome, agent {{agentNumber}}", body: "Your application is approved: you are now an active agent." },
  },
  agent_reject: {
    email: {
      subject: "Your {{tenantName}} agent application",
      body: `Hello {{name}},\n\nWe are sorry: your application to join the agent network was not approved.\n\nReason: {{reason}}\n\n${QUESTIONS}`,
    },
  },
  agent_suspend: {
    email: {
      subject: "Your {{tenantName}} agent account is suspended",
      body: `Hello {{name}},\n\nYour agent account {{agentNumber}} is suspended: you earn no commission until it is reinstated.\n\nReason: {{reason}}\n\n${QUESTIONS}`,
    },
    in_app: { subject: "Agent account suspended", body: "You earn no commission until it is reinstated. Reason: {{reason}}" },
  },
  agent_reinstate: {
    email: {
      subject: "Your {{tenantName}} agent account is active again",
      body: `Hello {{name}},\n\nYour agent account {{agentNumber}} is active again.\n\nReason: {{reason}}\n\n[Open the agent portal]({{link}})\n\n${QUESTIONS}`,
    },
    in_app: { subject: "Agent account active again", body: "Your agent account {{agentNumber}} is active again." },
  },
  agent_terminate: {
    email: {
      subject: "Your {{tenantName}} agent account has ended",
      body: `Hello {{name}},\n\nYour agent account {{agentNumber}} has been terminated.\n\nReason: {{reason}}\n\n${QUESTIONS}`,
    },
  },
  member_invite: {
    email: {
      subject: "Your {{tenantName}} account is ready",
      body: "Hello {{name}},\n\n{{agentName}}, your {{tenantName}} agent, has registered you as a member. With your account you can see your policies, certificates and payments at any time.\n\n[Set my password]({{link}})\n\nThis link works once, for 7 days. Afterwards, use Forgot password on the sign-in page.",
    },
  },
  member_linked: {
    email: {
      subject: "{{agentName}} is now your {{tenantName}} agent",
      body: "Hello {{name}},\n\n{{agentName}}, an agent of {{tenantName}}, has registered you as their member. They can now sell you cover, and see the policies and payments you make through them or on our website from now on. Your earlier policies stay private.\n\nYou sign in as before, with your own password.\n\n[My policies]({{link}})\n\nIf you do not know this agent, reply to this email or contact the agency.",
    },
    in_app: {
      subject: "{{agentName}} is now your agent",
      body: "{{agentName}} can now sell you cover. Your earlier policies stay private.",
    },
  },
  member_payment_link: {
    email: {
      subject: "Your {{tenantName}} cover is ready to pay: {{orderReference}}",
      body: "Hello {{name}},\n\n{{agentName}} has prepared {{products}} for you (order {{orderReference}}). The first payment is {{amount}}.\n\n[Review and pay]({{link}})\n\nSign in with your email to pay. If you have not set a password yet, use the link in your welcome email or Forgot password on the sign-in page.",
    },
    in_app: { subject: "Cover ready to pay", body: "{{agentName}} prepared {{products}}: {{amount}} to pay." },
  },
  member_suspend: {
    email: {
      subject: "Your {{tenantName}} membership is suspended",
      body: "Hello {{name}},\n\nYour membership is suspended: no new policy can be bought through your agent and no new claim filed until it is reinstated.\n\nYour policies stay in force: keep paying your instalments as they fall due. Claims you have already made go on as before.\n\nReason: {{reason}}\n\n[Open my account]({{link}})\n\nIf you have questions, reply to this email or contact your agent or the agency.",
    },
    in_app: { subject: "Membership suspended", body: "Your policies stay in force. Reason: {{reason}}" },
  },
  member_reinstate: {
    email: {
      subject: "Your {{tenantName}} membership is active again",
      body: "Hello {{name}},\n\nYour membership is active again: you can buy cover and make claims as before.\n\nReason: {{reason}}\n\n[Open my account]({{link}})\n\nIf you have questions, reply to this email or contact your agent or the agency.",
    },
    in_app: { subject: "Membership active again", body: "You can buy cover and make claims as before." },
  },
  member_terminate: {
    email: {
      subject: "Your {{tenantName}} membership has ended",
      body: "Hello {{name}},\n\nYour membership has ended and your account is closed for sign-in.\n\nYour policies are not cancelled by this: the agency will write to you about each of them. Claims you have already made go on.\n\nReason: {{reason}}\n\nIf you have questions, reply to this email or contact your agent or the agency.",
    },
  },
  member_suspend_agent: {
    email: {
      subject: "Your member {{memberName}} was suspended",
      body: "Hello {{name}},\n\nThe agency has suspended your member {{memberName}}.\n\nReason: {{reason}}\n\n[Open the member]({{link}})",
    },
    in_app: { subject: "Member suspended", body: "{{memberName}} was suspended. Reason: {{reason}}" },
  },
  member_reinstate_agent: {
    email: {
      subject: "Your member {{memberName}} was reinstated",
      body: "Hello {{name}},\n\nThe agency has reinstated your member {{memberName}}.\n\nReason: {{reason}}\n\n[Open the member]({{link}})",
    },
    in_app: { subject: "Member reinstated", body: "{{memberName}} was reinstated. Reason: {{reason}}" },
  },
  member_terminate_agent: {
    email: {
      subject: "Your member {{memberName}} was terminated",
      body: "Hello {{name}},\n\nThe agency has terminated your member {{memberName}}.\n\nReason: {{reason}}\n\n[Open the member]({{link}})",
    },
    in_app: { subject: "Member terminated", body: "{{memberName}} was terminated. Reason: {{reason}}" },
  },
  offline_payment_rejected: {
    email: {
      subject: "Payment {{reference}} was not confirmed: {{orderReference}}",
      body: "Hello {{name}},\n\nThe {{amount}} payment you recorded for {{memberName}} (order {{orderReference}}, reference {{reference}}) was not confirmed by our staff.\n\nReason: {{reason}}\n\nThe order is still open: record the payment again with the right details, or send the member a link to pay online.\n\n[Open the member]({{link}})",
    },
    in_app: { subject: "Payment not confirmed", body: "{{amount}} for {{memberName}} (order {{orderReference}}): {{reason}}" },
  },
  commission_statement: {
    email: {
      subject: "Your statement for {{month}} is ready",
      body: "Hello {{name}},\n\nYour {{tenantName}} commission statement for {{month}} (agent {{agentNumber}}) is ready: you earned {{earned}} this month, and {{payable}} is payable.\n\nPayout batch: {{payoutReference}}.\n\n[See my statements]({{link}})",
    },
    in_app: { subject: "Statement for {{month}} ready", body: "You earned {{earned}}; {{payable}} is payable." },
  },
  payout_paid: {
    email: {
      subject: "Your {{tenantName}} commission of {{amount}} is paid",
      body: "Hello {{name}},\n\nWe have paid you {{amount}} in commission (payout {{payoutReference}}).\n\n[See my statements]({{link}})",
    },
    in_app: { subject: "Commission paid", body: "{{amount}} paid (payout {{payoutReference}})." },
  },

  chargeback_opened: {
    email: {
      subject: "Chargeback on {{payment}}: answer by {{respondBy}}",
      body: "Hello {{name}},\n\nA cardholder disputed {{amount}} of payment {{payment}} with their bank. Reason given: {{reason}}.\n\nAnswer with evidence at the payment provider by {{respondBy}}, or the dispute is lost.\n\n[Open the payment]({{link}})",
    },
    in_app: { subject: "Chargeback on {{payment}}", body: "{{amount}} disputed. Answer by {{respondBy}}." },
  },
  chargeback_lost: {
    email: {
      subject: "Chargeback lost on {{payment}}",
      body: "Hello {{name}},\n\nThe cardholder's bank decided the dispute of payment {{payment}} against the agency: {{amount}} went back to them.\n\nAny agent commission on this payment is taken back, as for a refund. Check the policy the payment paid for.\n\n[Open the payment]({{link}})",
    },
    in_app: { subject: "Chargeback lost on {{payment}}", body: "{{amount}} went back to the cardholder." },
  },
  alert_raised: {
    email: {
      subject: "Alert: {{title}}",
      body: "Hello {{name}},\n\n{{title}}\n\n{{detail}}\n\nYou will not be emailed again about this until it is resolved.\n\n[Open the alerts]({{link}})",
    },
    in_app: { subject: "Alert: {{title}}", body: "{{detail}} Open the alerts page to see it." },
  },
  mandate_active: {
    email: {
      subject: "Automatic debit is on for policy {{policyNumber}}",
      body: "Hello {{name}},\n\nYour bank {{bank}} accepted the direct debit mandate for policy {{policyNumber}}. From now on {{tenantName}} debits each instalment on its due date, up to {{maxAmount}} a debit.\n\nYou can cancel the mandate on your policy's page at any time.\n\n[Open my policy]({{link}})",
    },
    in_app: {
      subject: "Automatic debit is on",
      body: "Instalments of policy {{policyNumber}} are debited from {{bank}} on their due dates.",
    },
  },
  mandate_stopped: {
    email: {
      subject: "Automatic debit stopped for policy {{policyNumber}}",
      body: "Hello {{name}},\n\nThe direct debit mandate on {{bank}} for policy {{policyNumber}} is {{status}}. We will not debit your account for it any more.\n\nPlease pay your next instalments yourself, or set up a new mandate on your policy's page.\n\n[Open my policy]({{link}})",
    },
    sms: {
      body: "{{tenantName}}: automatic debit for policy {{policyNumber}} stopped ({{status}}). Please pay your instalments from your account.",
    },
    in_app: {
      subject: "Automatic debit stopped",
      body: "The mandate for policy {{policyNumber}} is {{status}}. Pay your instalments yourself or set up a new one.",
    },
  },
};
