import type { SerializeFrom } from "@remix-run/node";
import type { saleView } from "~/modules/members/sale-page.server";

/** What the sale page shows at each step, as the browser receives it (one shape per `stage`). */
export type SaleData = SerializeFrom<typeof saleView>;
export type SaleStage<S extends SaleData["stage"]> = Extract<SaleData, { stage: S }>;
