import { listPayments } from "~/modules/payments/api.server";
import { apiRoute } from "~/modules/api/endpoint.server";

export const { loader, action } = apiRoute([listPayments]);
