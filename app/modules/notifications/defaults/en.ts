import type { LanguageDefaults } from "./types";

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
  alert_raised: {
    email: {
      subject: "Alert: {{title}}",
      body: "Hello {{name}},\n\n{{title}}\n\n{{detail}}\n\nYou will not be emailed again about this until it is resolved.\n\n[Open the alerts]({{link}})",
    },
    in_app: { subject: "Alert: {{title}}", body: "{{detail}}" },
  },
};
