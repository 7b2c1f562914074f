import { apiRoute } from "~/modules/api/endpoint.server";
import { fileMyClaim, listMyClaims } from "~/modules/claims/api.server";

export const { loader, action } = apiRoute([listMyClaims, fileMyClaim]);
