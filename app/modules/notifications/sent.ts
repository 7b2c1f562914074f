import type { MessageChannel } from "~db/schema";

/** The message `notify` queued on one channel, or null (a repeat, turned off, or no address). */
export function sentOn(results: readonly { channel: MessageChannel; messageId: string | null }[], channel: MessageChannel): string | null {
  return results.find((r) => r.channel === channel)?.messageId ?? null;
}
