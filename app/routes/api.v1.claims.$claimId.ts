import { apiRoute } from "~/modules/api/endpoint.server";
import { getMyClaim } from "~/modules/claims/api.server";

export const { loader, action } = apiRoute([getMyClaim]);
