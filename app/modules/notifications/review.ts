/**
 * What an outbox page may show of a message. One a provider really delivered was for its
 * recipient only: its one-time links (reset, invitation) are hidden, so the back office or an
 * operator cannot use them. Messages kept in the development outbox were never delivered: their
 * links are the only copy, so they stay whole.
 */
export function reviewableBody(message: { status: string; body_text: string }): string {
  if (message.status === "outbox" || message.status === "queued") return message.body_text;
  return message.body_text.replace(/([?&]token=)[A-Za-z0-9_-]+/g, "$1[hidden]");
}
