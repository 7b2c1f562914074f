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

/** The fields conform sends its list and validation intents (its "add a row" buttons) and its state in, as JSON. */
const CONFORM_INTENT = "__intent__";
const CONFORM_STATE = "__state__";
const INTENT_TYPES = ["validate", "update", "reset", "insert", "remove", "reorder"];

/**
 * Drops a conform intent or state that is not what conform writes: only a hand-made request sends
 * one, and conform's parse would throw on it (a 500) instead of validating the form.
 */
export function withoutForgedIntent(form: FormData): FormData {
  const intents = form.getAll(CONFORM_INTENT);
  if (intents.length > 1 || (intents.length === 1 && !isConformIntent(intents[0]!))) form.delete(CONFORM_INTENT);
  const states = form.getAll(CONFORM_STATE);
  if (states.length > 1 || (states.length === 1 && parsedJson(states[0]!) === undefined)) form.delete(CONFORM_STATE);
  return form;
}

function isConformIntent(value: FormDataEntryValue): boolean {
  const intent = parsedJson(value) as { type?: unknown; payload?: Record<string, unknown> } | undefined;
  if (!intent || typeof intent !== "object" || !INTENT_TYPES.includes(intent.type as string)) return false;
  const payload = intent.payload;
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return false;
  const position = (n: unknown) => n === undefined || (Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 1000);
  return (
    (payload.name === undefined || typeof payload.name === "string") &&
    position(payload.index) &&
    position(payload.from) &&
    position(payload.to)
  );
}

function parsedJson(value: FormDataEntryValue): unknown {
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The form an action was sent, read the one way every action reads it: a body that is not a form
 * (a broken multipart body, a boundary that does not match its header) answers 400, never a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response("This form could not be read. Reload the page and send it again.", { status: 400 });
  }
  return withoutForgedIntent(form);
}
