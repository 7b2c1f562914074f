import { getMe } from "~/modules/account/api.server";
import { apiRoute } from "~/modules/api/endpoint.server";

export const { loader, action } = apiRoute([getMe]);
