import { z } from "zod";
import { withTenant } from "~db/client";
import { lineText } from "~/lib/text";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { cursorQuery, pageFrom, pageOf } from "~/modules/api/pagination.server";
import { afterCursor, positionKey } from "~/modules/api/positions.server";
import { notFound } from "~/modules/api/problem.server";
import { requireApiUser } from "~/modules/api/principal.server";
import { inboxAfter, markRead, type InboxItem } from "./inbox.server";

/** The in-app notification centre over /api/v1 (decision 045, decision 042): the person's own messages only. */
const notificationSchema = z.object({
  id: answerText().uuid(),
  subject: answerText().nullable(),
  text: answerText(),
  link: answerText().nullable().describe("A path on the agency's site this message is about, or null."),
  read: z.boolean(),
  createdAt: answerText().datetime(),
});

const toApiNotification = (n: InboxItem): z.infer<typeof notificationSchema> => ({
  id: n.id,
  subject: n.subject,
  text: n.text,
  link: n.link,
  read: n.read,
  createdAt: n.createdAt.toISOString(),
});

export const listNotifications = endpoint({
  method: "GET",
  path: "/notifications",
  operationId: "listNotifications",
  summary: "Your notifications",
  tags: ["Notifications"],
  auth: "user",
  query: z.object(cursorQuery),
  responses: { 200: { description: "A page of in-app notifications, newest first.", schema: pageOf(notificationSchema) } },
  async handler({ request, tenant, principal, query }) {
    const user = requireApiUser(principal);
    const rows = await withTenant(tenant.id, (db) => inboxAfter(db, user.id, afterCursor(query.cursor), query.limit + 1));
    return { body: pageFrom(rows, query.limit, positionKey, toApiNotification, request) };
  },
});

export const readNotification = endpoint({
  method: "POST",
  path: "/notifications/{notificationId}/read",
  operationId: "readNotification",
  summary: "Mark a notification read",
  tags: ["Notifications"],
  auth: "user",
  params: z.object({ notificationId: lineText().uuid("Not a notification of yours") }),
  responses: { 204: { description: "Read (marking it again changes nothing)." } },
  errors: [404],
  async handler({ tenant, principal, params }) {
    const user = requireApiUser(principal);
    const marked = await withTenant(tenant.id, (db) => markRead(db, user.id, params.notificationId));
    if (!marked) throw notFound("Notification");
    return { status: 204, body: undefined };
  },
});

export const notificationEndpoints = [listNotifications, readNotification];
