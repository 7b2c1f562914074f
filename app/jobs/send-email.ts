import type { Task } from "graphile-worker";
import { z } from "zod";
import { withTenant } from "~db/client";
import { defaultEmailSender, deliverMessage, type EmailSender } from "~/modules/notifications/delivery.server";
import { lineText } from "~/lib/text";

const payload = z.object({ tenantId: lineText().uuid(), messageId: lineText().uuid() });

export function sendEmailTask(sender: EmailSender = defaultEmailSender()): Task {
  return async (raw, helpers) => {
    const { tenantId, messageId } = payload.parse(raw);
    const result = await withTenant(tenantId, (db) => deliverMessage(db, messageId, sender));
    helpers.logger.debug(`send_email ${messageId}: ${result}`);
  };
}
