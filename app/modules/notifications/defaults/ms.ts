import type { LanguageDefaults } from "./types";

export const ms: LanguageDefaults = {
  phone_code: {
    sms: { body: "{{code}} ialah kod pengesahan {{tenantName}} anda. Kod ini tamat dalam {{minutes}} minit. Jangan kongsikannya." },
  },
  payment_received: {
    email: {
      subject: "Resit {{receiptNumber}} daripada {{tenantName}}",
      body: "Salam {{name}},\n\nKami telah menerima {{amount}} untuk {{description}}. Resit anda dilampirkan.\n\n[Lihat bayaran saya]({{link}})",
    },
    sms: { body: "{{tenantName}}: kami telah menerima {{amount}} untuk {{description}}. Resit {{receiptNumber}}." },
    in_app: { subject: "Bayaran diterima", body: "{{amount}} untuk {{description}}. Resit {{receiptNumber}}." },
  },
  alert_raised: {
    email: {
      subject: "Amaran: {{title}}",
      body: "Salam {{name}},\n\n{{title}}\n\n{{detail}}\n\nAnda tidak akan menerima e-mel lagi tentang perkara ini sehingga ia diselesaikan.\n\n[Buka amaran]({{link}})",
    },
    in_app: { subject: "Amaran: {{title}}", body: "{{detail}}" },
  },
};
