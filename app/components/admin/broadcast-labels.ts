/** Words for a broadcast's channel and status, on the list and its page. */
export const CHANNEL_LABELS: Record<string, string> = { email: "Email", sms: "SMS", whatsapp: "WhatsApp", in_app: "In-app" };

export const BROADCAST_STATUS_LABELS: Record<string, string> = {
  draft: "Draft",
  queued: "Starting",
  sending: "Sending",
  sent: "Sent",
  cancelled: "Cancelled",
};
