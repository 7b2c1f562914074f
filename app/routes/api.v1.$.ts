import { apiFallback } from "~/modules/api/endpoint.server";

/** Any /api/v1 address no route answers: the API's NOT_FOUND, in JSON, whatever the method. */
export const { loader, action } = apiFallback();
