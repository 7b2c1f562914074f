import { z } from "zod";
import { lineText } from "~/lib/text";

/**
 * The messaging settings form (/admin/messages/settings), shared by the server and the browser's
 * validation: quiet hours as two "HH:MM" times (both or neither, not the same), and the broadcast
 * rate per minute.
 */
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const time = (what: string) => lineText().regex(TIME, `Enter the time ${what} as HH:MM, from 00:00 to 23:59.`).optional();

export const MAX_BROADCAST_RATE = 100_000;
/** Migration 0026's default. */
export const DEFAULT_BROADCAST_RATE = 600;

export const messagingSettingsSchema = z
  .object({
    quietStart: time("quiet hours start"),
    quietEnd: time("quiet hours end"),
    broadcastRatePerMinute: z
      .number({
        required_error: "Enter how many broadcast messages to send per minute.",
        invalid_type_error: `Enter the rate as a whole number from 1 to ${MAX_BROADCAST_RATE.toLocaleString("en")}.`,
      })
      .int(`Enter the rate as a whole number from 1 to ${MAX_BROADCAST_RATE.toLocaleString("en")}.`)
      .min(1, "Send at least 1 message per minute.")
      .max(MAX_BROADCAST_RATE, `At most ${MAX_BROADCAST_RATE.toLocaleString("en")} messages per minute.`),
  })
  .superRefine((v, ctx) => {
    if (v.quietStart && !v.quietEnd)
      ctx.addIssue({ code: "custom", path: ["quietEnd"], message: "Enter when quiet hours end too, or clear the start." });
    if (v.quietEnd && !v.quietStart)
      ctx.addIssue({ code: "custom", path: ["quietStart"], message: "Enter when quiet hours start too, or clear the end." });
    if (v.quietStart && v.quietStart === v.quietEnd)
      ctx.addIssue({ code: "custom", path: ["quietEnd"], message: "Quiet hours must end at another time than they start." });
  })
  .transform((v) => ({ quietStart: v.quietStart ?? null, quietEnd: v.quietEnd ?? null, broadcastRatePerMinute: v.broadcastRatePerMinute }));
