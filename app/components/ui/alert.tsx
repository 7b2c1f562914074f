import type { ReactNode } from "react";
import { useErrorText } from "./field";

export function Alert({
  tone = "info",
  title,
  children,
}: {
  tone?: "info" | "success" | "warning" | "error";
  title?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"}>
      {title ? <strong className="alert-title">{title}</strong> : null}
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/** Form-level errors (conform's `form.errors`), shown above the fields. */
export function FormErrors({ errors }: { errors?: string[] }) {
  const errorText = useErrorText();
  if (!errors?.length) return null;
  return <Alert tone="error">{errorText(errors)}</Alert>;
}
