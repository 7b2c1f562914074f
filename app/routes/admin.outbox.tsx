// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { withTenant } from "~/lib/db.server";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { LinkedText } from "~/components/linked-text";
import { MessageChannel } from "~/components/messages/message-channel";
import { reviewableBody } from "~/modules/notifications/review";
import { requirePermission } from "~/modules/auth/guards.server";
import { listMessages } from "~/modules/notifications/email.server";

const STATUS_LABELS: Record<string, string> = {
  queued: "Queued",
  outbox: "In outbox",
  sent: "Sent",
  delivered: "Delivered",
  failed: "Failed",
  suppressed: "Not sent: turned off by the customer",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:outbox:any");
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listMessages(db, { page }));
  return json({
    page,
    hasMore: result.hasMore,
    timeZone: tenant.timeZone,
    messages: result.rows.map((m) => ({
      id: m.id,
      channel: m.channel,
      segments: m.segments,
      encoding: m.encoding,
      recipient: m.recipient,
      subject: m.subject ?? "(no subject)",
      template: m.template,
      status: m.status,
      error: m.error,
      body: reviewableBody(m),
      createdAt: formatDateTime(m.created_at, tenant.locale, tenant.timeZone),
      createdIso: m.created_at.toISOString(),
    })),
  });
}

/** The text body with its links clickable (the development outbox is how links get followed). */
export default function AdminOutbox() {
  const { page, hasMore, timeZone, messages } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>Outbox</h1>
          <p className="muted">
            Every email and text message sent on your agency&apos;s behalf, newest first. Without a provider configured for the channel,
            messages stay here (&ldquo;In outbox&rdquo;) instead of being delivered. Times in {timeZone.replace("_", " ")}.
          </p>
        </div>
      </div>
      {messages.length === 0 ? (
        <div className="card empty">
          <p>No messages yet. Confirmation emails, password resets and invitations will be listed here.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Channel</th>
                <th scope="col">Subject</th>
                <th scope="col">Template</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td data-label="To" className="break">
                    <Link to={`/admin/outbox/${m.id}`}>{m.recipient}</Link>
                  </td>
                  <td data-label="Channel">
                    <MessageChannel channel={m.channel} segments={m.segments} encoding={m.encoding} />
                  </td>
                  <td data-label="Subject" className="message-cell">
                    <details>
                      <summary>{m.subject}</summary>
                      <pre className="message-body">
                        <LinkedText text={m.body} />
                      </pre>
                    </details>
                  </td>
                  <td data-label="Template">
                    <code>{m.template}</code>
                  </td>
                  <td data-label="Status">
                    <span>
                      <span className={`badge badge-${m.status}`}>{STATUS_LABELS[m.status] ?? m.status}</span>
                      {m.error ? <span className="field-error">{m.error}</span> : null}
                    </span>
                  </td>
                  <td data-label="Created">
                    <time dateTime={m.createdIso}>{m.createdAt}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Outbox");
