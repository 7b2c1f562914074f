import type { Task } from "graphile-worker";
import { z } from "zod";
import { withTenant } from "~db/client";
import { deliverMessage, recordSendFailure } from "~/modules/notifications/delivery.server";
import type { MessageProvider } from "~/modules/notifications/providers/types";
import { lineText } from "~/lib/text";

const payload = z.object({ tenantId: lineText().uuid(), messageId: lineText().uuid() });

/**
 * Sends one message (one side effect per job). A failed attempt is written to the message's
 * history in its own transaction, then rethrown so graphile-worker retries with back-off; the
 * last attempt marks the message failed.
 */
export function sendMessageTask(provider?: MessageProvider): Task {
  return async (raw, helpers) => {
    const { tenantId, messageId } = payload.parse(raw);
    try {
      const result = await withTenant(tenantId, (db) => deliverMessage(db, tenantId, messageId, { provider }));
      helpers.logger.debug(`send_message ${messageId}: ${result}`);
    } catch (error) {
      await withTenant(tenantId, (db) =>
        recordSendFailure(db, messageId, error, { number: helpers.job.attempts, max: helpers.job.max_attempts }),
      );
      throw error;
    }
  };
}
