import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { lineText } from "~/lib/text";
import { requireUser } from "~/modules/auth/guards.server";
import { markRead } from "~/modules/notifications/inbox.server";

const messageId = lineText().uuid();
const intent = z.enum(["open", "read"]).catch("read");

/**
 * POST /notifications/:id — marks one of the person's notifications read; "open" then goes to the
 * page it is about (only a path on this site), "read" back to the list. Someone else's
 * notification, or none at all, is a 404: nobody learns whether it exists.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const id = messageId.safeParse(params.messageId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const form = await readForm(request);
  const marked = await withTenant(tenant.id, (db) => markRead(db, user.id, id.data));
  if (!marked) throw new Response("Not found", { status: 404 });
  return redirect(intent.parse(form.get("intent")) === "open" && marked.link ? marked.link : "/notifications");
}

export async function loader() {
  return redirect("/notifications");
}
