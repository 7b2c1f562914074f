import { useEffect, useState } from "react";

/**
 * "Copy" for a value shown in a read-only field: only rendered once the browser can copy (no
 * JavaScript: the field stays, selectable), and says so to screen readers when it has.
 */
export function CopyButton({ value, label = "Copy link" }: { value: string; label?: string }) {
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
        {label}
      </button>
      <span role="status" aria-live="polite" className="muted small">
        {copied === "done" ? "Copied" : copied === "failed" ? "Could not copy: select the link and copy it" : ""}
      </span>
    </>
  );
}
