import { useTranslation } from "react-i18next";
import type { MessageChannel } from "~db/schema";

export interface PreviewData {
  subject: string | null;
  text: string;
  html: string | null;
  sms: { encoding: "gsm7" | "ucs2"; length: number; segments: number; remaining: number } | null;
  unknown: string[];
}

/**
 * The template filled with the sample values, rendered on the server the way it is sent. Email is
 * shown as its HTML in a sandboxed frame (no scripts, no same-origin access; every value and the
 * template's own text are already escaped), other channels as text.
 */
export function TemplatePreviewPanel({ channel, preview }: { channel: MessageChannel; preview: PreviewData }) {
  const { t, i18n } = useTranslation("admin-messages");
  return (
    <section className="card stack template-preview" aria-labelledby="template-preview-title" aria-live="polite">
      <h2 id="template-preview-title">{t("preview.title")}</h2>
      {preview.unknown.length ? (
        <p className="field-error">{t("preview.unknown", { names: preview.unknown.map((n) => `{{${n}}}`).join(", ") })}</p>
      ) : null}
      {preview.subject !== null ? (
        <p>
          <strong>{channel === "email" ? t("preview.subject") : t("preview.heading")}</strong>{" "}
          <span data-preview="subject">{preview.subject}</span>
        </p>
      ) : null}
      {preview.html ? (
        <iframe title={t("preview.emailFrame")} className="template-preview-frame" sandbox="" srcDoc={preview.html} />
      ) : (
        <pre className="template-text" data-preview="text">
          {preview.text}
        </pre>
      )}
      {preview.sms ? (
        <p className="template-sms-length" data-preview="sms">
          {t("preview.characters", { count: preview.sms.length, formatted: preview.sms.length.toLocaleString(i18n.language) })} ·{" "}
          {preview.sms.encoding === "gsm7" ? "GSM-7" : t("preview.unicode")} · {t("preview.parts", { count: preview.sms.segments })} ·{" "}
          {t("preview.left", { count: preview.sms.remaining })}
          {preview.sms.encoding === "ucs2" ? <span className="muted"> {t("preview.ucs2")}</span> : null}
        </p>
      ) : null}
    </section>
  );
}
