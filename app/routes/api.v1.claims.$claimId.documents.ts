import { apiRoute } from "~/modules/api/endpoint.server";
import { addMyClaimDocuments } from "~/modules/claims/api.server";

export const { loader, action } = apiRoute([addMyClaimDocuments]);
