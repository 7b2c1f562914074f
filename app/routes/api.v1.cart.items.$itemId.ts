import { removeCartItem } from "~/modules/cart/api.server";
import { apiRoute } from "~/modules/api/endpoint.server";

export const { loader, action } = apiRoute([removeCartItem]);
