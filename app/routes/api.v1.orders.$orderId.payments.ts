import { startOrderPayment } from "~/modules/checkout/api.server";
import { apiRoute } from "~/modules/api/endpoint.server";

export const { loader, action } = apiRoute([startOrderPayment]);
