const CHANNEL_LABELS: Record<string, string> = { email: "Email", sms: "SMS", whatsapp: "WhatsApp", in_app: "In app" };
const ENCODING_LABELS: Record<string, string> = { gsm7: "GSM-7", ucs2: "Unicode" };

/**
 * A message's channel, and for an SMS what it costs: the parts it was split into and the alphabet
 * (a single emoji turns a text into Unicode and more than doubles the parts; issue 14).
 */
export function MessageChannel({ channel, segments, encoding }: { channel: string; segments: number | null; encoding: string | null }) {
  const label = CHANNEL_LABELS[channel] ?? channel;
  if (channel !== "sms" || !segments) return <span>{label}</span>;
  return (
    <span>
      {label}
      <span className="muted small">
        {" "}
        · {segments} {segments === 1 ? "part" : "parts"}
        {encoding ? `, ${ENCODING_LABELS[encoding] ?? encoding}` : ""}
      </span>
    </span>
  );
}
