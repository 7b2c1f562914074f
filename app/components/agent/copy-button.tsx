import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * "Copy" for a value shown in a read-only field: only rendered once the browser can copy (no
 * JavaScript: the field stays, selectable), and says so to screen readers when it has.
 */
export function CopyButton({ value, label }: { value: string; label?: string }) {
  const { t } = useTranslation("agent");
  const [supported, setSupported] = useState(false);
  const [copied, setCopied] = useState<"idle" | "done" | "failed">("idle");
  useEffect(() => setSupported(typeof navigator !== "undefined" && Boolean(navigator.clipboard?.writeText)), []);
  useEffect(() => {
    if (copied === "idle") return;
    const timer = setTimeout(() => setCopied("idle"), 3000);
    return () => clearTimeout(timer);
  }, [copied]);
  if (!supported) return null;
  return (
    <>
      <button
        type="button"
        className="btn btn-secondary btn-small"
        onClick={() =>
          navigator.clipboard.writeText(value).then(
            () => setCopied("done"),
            () => setCopied("failed"),
          )
        }
      >
        {label ?? t("copy.link")}
      </button>
      <span role="status" aria-live="polite" className="muted small">
        {copied === "done" ? t("copy.done") : copied === "failed" ? t("copy.failed") : ""}
      </span>
    </>
  );
}
