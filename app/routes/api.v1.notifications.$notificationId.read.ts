import { readNotification } from "~/modules/notifications/api.server";
import { apiRoute } from "~/modules/api/endpoint.server";

export const { loader, action } = apiRoute([readNotification]);
