import { useTranslation } from "react-i18next";

const ENCODING_LABELS: Record<string, string> = { gsm7: "GSM-7", ucs2: "Unicode" };

/**
 * A message's channel, and for an SMS what it costs: the parts it was split into and the alphabet
 * (a single emoji turns a text into Unicode and more than doubles the parts; issue 14).
 */
export function MessageChannel({ channel, segments, encoding }: { channel: string; segments: number | null; encoding: string | null }) {
  const { t } = useTranslation("admin-messages");
  const label = t(`log.channel.${channel}`, { defaultValue: channel });
  if (channel !== "sms" || !segments) return <span>{label}</span>;
  return (
    <span>
      {label}
      <span className="muted small">
        {" "}
        · {t("log.parts", { count: segments })}
        {encoding ? `, ${ENCODING_LABELS[encoding] ?? encoding}` : ""}
      </span>
    </span>
  );
}
