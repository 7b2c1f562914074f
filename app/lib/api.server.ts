import { json } from "@remix-run/node";

/**
 * The JSON API's error shape (the agencies' plan): `{ status, code, message, errors }`, where
 * `errors` maps a field to its messages. Every /api/v1 failure answers this way, never HTML.
 */
export interface ApiErrorBody {
  status: "error";
  code: string;
  message: string;
  errors: Record<string, string[]>;
}

export function apiError(status: number, code: string, message: string, errors: Record<string, string[]> = {}): Response {
  return json<ApiErrorBody>({ status: "error", code, message, errors }, { status, headers: { "Cache-Control": "no-store" } });
}

export const API_ERRORS = {
  notFound: (what = "Resource") => apiError(404, "NOT_FOUND", `${what} not found`),
  validation: (errors: Record<string, string[]>, message = "Invalid input data") => apiError(400, "VALIDATION_ERROR", message, errors),
  badJson: () => apiError(400, "INVALID_JSON", "The request body is not valid JSON"),
  method: () => apiError(405, "METHOD_NOT_ALLOWED", "Method not allowed"),
} as const;

/** Reads a JSON body; a non-JSON body becomes the API's error, not an exception. */
export async function readJson(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  try {
    return { ok: true, body: await request.json() };
  } catch {
    return { ok: false, response: API_ERRORS.badJson() };
  }
}
