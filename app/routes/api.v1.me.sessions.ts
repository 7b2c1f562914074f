import { listMySessions } from "~/modules/auth/api.server";
import { apiRoute } from "~/modules/api/endpoint.server";

export const { loader, action } = apiRoute([listMySessions]);
