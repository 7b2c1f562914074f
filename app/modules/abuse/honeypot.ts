/**
 * The honeypot on public forms: a field that people never see or reach (app/components/honeypot.tsx)
 * and that form-filling robots fill. Shared with the component, so nothing server-only here.
 */
export const HONEYPOT_FIELD = "website";

/** Whether a form was filled in by a robot: anything at all in the hidden field. */
export function filledByRobot(form: FormData): boolean {
  const value = form.get(HONEYPOT_FIELD);
  return value !== null && (typeof value !== "string" || value.length > 0);
}

/** The quiet refusal where a form cannot pretend to have worked: nothing says why. */
export const ROBOT_REFUSAL = "We could not take this request. Please try again.";

/** What a robot typed as its email, for the "we sent you a message" answer it gets instead of an account. */
export function typedEmail(form: FormData): string {
  const email = form.get("email");
  return typeof email === "string" ? email.trim().toLowerCase().slice(0, 254) : "";
}
