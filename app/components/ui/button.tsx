import { forwardRef, type ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

export const Button = forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }>(
  function Button({ variant = "primary", busy = false, className, children, disabled, ...props }, ref) {
    return (
      <button
        ref={ref}
        className={`btn btn-${variant}${className ? ` ${className}` : ""}`}
        disabled={disabled || busy}
        aria-busy={busy || undefined}
        {...props}
      >
        {children}
      </button>
    );
  },
);
