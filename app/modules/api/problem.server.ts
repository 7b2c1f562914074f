import { apiError } from "~/lib/api.server";

/**
 * An expected API failure, thrown from anywhere under an endpoint and answered in the API's one
 * error shape `{ status: "error", code, message, errors }` (docs/architecture.md §7).
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: Record<string, string[]> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiProblem";
  }

  toResponse(): Response {
    const response = apiError(this.status, this.code, this.message, this.errors);
    for (const [name, value] of Object.entries(this.headers)) response.headers.set(name, value);
    return response;
  }
}

export const notFound = (what = "Resource") => new ApiProblem(404, "NOT_FOUND", `${what} not found`);
export const invalid = (errors: Record<string, string[]>, message = "Invalid input data") =>
  new ApiProblem(400, "VALIDATION_ERROR", message, errors);
export const conflict = (code: string, message: string) => new ApiProblem(409, code, message);
