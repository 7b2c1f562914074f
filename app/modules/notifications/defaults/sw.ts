import type { LanguageDefaults } from "./types";

export const sw: LanguageDefaults = {
  phone_code: {
    sms: {
      body: "{{code}} ni nambari yako ya uthibitisho ya {{tenantName}}. Itaisha baada ya dakika {{minutes}}. Usiishiriki na mtu yeyote.",
    },
  },
  payment_received: {
    email: {
      subject: "Risiti {{receiptNumber}} kutoka {{tenantName}}",
      body: "Habari {{name}},\n\nTumepokea {{amount}} kwa ajili ya {{description}}. Risiti yako imeambatishwa.\n\n[Angalia malipo yangu]({{link}})",
    },
    sms: { body: "{{tenantName}}: tumepokea {{amount}} kwa ajili ya {{description}}. Risiti {{receiptNumber}}." },
    in_app: { subject: "Malipo yamepokelewa", body: "{{amount}} kwa ajili ya {{description}}. Risiti {{receiptNumber}}." },
  },
  alert_raised: {
    email: {
      subject: "Tahadhari: {{title}}",
      body: "Habari {{name}},\n\n{{title}}\n\n{{detail}}\n\nHutatumiwa barua pepe nyingine kuhusu jambo hili hadi litakapotatuliwa.\n\n[Fungua tahadhari]({{link}})",
    },
    in_app: { subject: "Tahadhari: {{title}}", body: "{{detail}}" },
  },
};
