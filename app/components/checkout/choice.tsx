import type { ReactNode } from "react";

/** One radio option with a large tap target: its label, and a line of detail under it. */
export function Choice({
  name,
  value,
  checked,
  label,
  detail,
}: {
  name: string;
  value: string;
  checked: boolean;
  label: string;
  detail?: ReactNode;
}) {
  const id = `${name}-${value}`.replace(/[^\w-]+/g, "-");
  return (
    <div className="choice">
      <input type="radio" id={id} name={name} value={value} defaultChecked={checked} />
      <label htmlFor={id}>
        <strong>{label}</strong>
        {detail ? <span className="muted small choice-detail">{detail}</span> : null}
      </label>
    </div>
  );
}
