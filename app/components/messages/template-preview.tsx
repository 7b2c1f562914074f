// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
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
  return (
    <section className="card stack template-preview" aria-labelledby="template-preview-title" aria-live="polite">
      <h2 id="template-preview-title">Preview with sample values</h2>
      {preview.unknown.length ? (
        <p className="field-error">
          Not a variable of this message, would be left empty: {preview.unknown.map((n) => `{{${n}}}`).join(", ")}
        </p>
      ) : null}
      {preview.subject !== null ? (
        <p>
          <strong>{channel === "email" ? "Subject" : "Title"}:</strong> <span data-preview="subject">{preview.subject}</span>
        </p>
      ) : null}
      {preview.html ? (
        <iframe title="Email preview" className="template-preview-frame" sandbox="" srcDoc={preview.html} />
      ) : (
        <pre className="template-text" data-preview="text">
          {preview.text}
        </pre>
      )}
      {preview.sms ? (
        <p className="template-sms-length" data-preview="sms">
          {preview.sms.length.toLocaleString("en")} characters · {preview.sms.encoding === "gsm7" ? "GSM-7" : "UCS-2 (Unicode)"} ·{" "}
          {preview.sms.segments} {preview.sms.segments === 1 ? "SMS part" : "SMS parts"} · {preview.sms.remaining} left in the last part
          {preview.sms.encoding === "ucs2" ? (
            <span className="muted"> A character outside the GSM-7 alphabet (an emoji, curly quotes) makes every part shorter.</span>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}
