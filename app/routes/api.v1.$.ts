import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_ERRORS } from "~/lib/api.server";

/** Any /api/v1 path no route answers: the API's NOT_FOUND, in JSON, whatever the method. */
export function loader(_args: LoaderFunctionArgs) {
  return API_ERRORS.notFound("Endpoint");
}

export function action(_args: ActionFunctionArgs) {
  return API_ERRORS.notFound("Endpoint");
}
