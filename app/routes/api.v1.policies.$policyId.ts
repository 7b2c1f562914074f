import { getPolicy } from "~/modules/policies/api.server";
import { apiRoute } from "~/modules/api/endpoint.server";

export const { loader, action } = apiRoute([getPolicy]);
