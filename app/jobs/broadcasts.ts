import type { Task } from "graphile-worker";
import { z } from "zod";
import { dispatchBroadcast } from "~/modules/notifications/broadcasts-dispatch.server";
import type { MessageProvider } from "~/modules/notifications/providers/types";
import { lineText } from "~/lib/text";

const payload = z.object({ tenantId: lineText().uuid(), broadcastId: lineText().uuid() });

/** One paced run of a broadcast's dispatcher; it schedules the next itself (decision 043). */
export function broadcastDispatchTask(provider?: MessageProvider): Task {
  return async (raw, helpers) => {
    const { tenantId, broadcastId } = payload.parse(raw);
    const run = await dispatchBroadcast(tenantId, broadcastId, { provider });
    helpers.logger.debug(`broadcast_dispatch ${broadcastId}: sent ${run.sent}, next ${run.nextRunAt?.toISOString() ?? "none"}`);
  };
}
