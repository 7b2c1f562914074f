import type { MessageProvider } from "./types";

/**
 * The default for every channel until an agency connects a provider: the message row is the
 * delivery, listed in the development outbox (docs/architecture.md §6), so everything works offline.
 */
export const outboxProvider: MessageProvider = {
  name: "outbox",
  send: async () => ({ provider: "outbox", status: "outbox", providerMessageId: null }),
};
