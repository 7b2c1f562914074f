/**
 * A module's field errors (`{ email: [...], form: [...] }`) as conform's reply options: the
 * `form` key (and any key named in `formKeys`, such as a hidden token) becomes a form-level error
 * shown above the fields, the rest stay on their fields.
 */
export function replyErrors(errors: Record<string, string[]>, formKeys: string[] = []) {
  const formErrors: string[] = [];
  const fieldErrors: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors)) {
    if (key === "form" || formKeys.includes(key)) formErrors.push(...messages);
    else fieldErrors[key] = messages;
  }
  return { formErrors, fieldErrors };
}
