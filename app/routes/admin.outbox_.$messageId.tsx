// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LinkedText } from "~/components/linked-text";
import { formatDateTime } from "~/lib/dates";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { requirePermission } from "~/modules/auth/guards.server";
import { messageWithHistory } from "~/modules/notifications/message-history.server";
import { reviewableBody } from "~/modules/notifications/review";

const CHANNEL_LABELS: Record<string, string> = { email: "Email", sms: "SMS", whatsapp: "WhatsApp", in_app: "In the app" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:outbox:any");
  const id = uuidParam(params, "messageId");
  const found = await withTenant(tenant.id, (db) => messageWithHistory(db, id));
  if (!found) throw new Response("Not found", { status: 404 });
  const { message: m, events } = found;
  const when = (d: Date | null) => (d ? formatDateTime(d, tenant.locale, tenant.timeZone) : null);
  // A delivered message's one-time links were for its recipient only (review.ts), in its values too.
  const hide = (text: string) => reviewableBody({ status: m.status, body_text: text });
  return json({
    timeZone: tenant.timeZone,
    message: {
      id: m.id,
      channel: CHANNEL_LABELS[m.channel] ?? m.channel,
      recipient: m.recipient,
      subject: m.subject,
      body: hide(m.body_text),
      event: m.event ?? m.template,
      language: m.language,
      status: m.status,
      provider: m.provider,
      providerMessageId: m.provider_message_id,
      providerStatus: m.provider_status,
      segments: m.segments,
      encoding: m.encoding,
      error: m.error,
      attempts: m.attempts,
      variables: m.variables ? Object.entries(m.variables).map(([key, value]) => ({ key, value: hide(String(value)) })) : [],
      createdAt: when(m.created_at),
      sentAt: when(m.sent_at),
      deliveredAt: when(m.delivered_at),
      failedAt: when(m.failed_at),
      sendAfter: when(m.send_after),
    },
    events: events.map((e) => ({
      id: e.id,
      status: e.status,
      detail: e.detail ? hide(e.detail) : null,
      providerStatus: e.provider_status,
      at: when(e.created_at),
      iso: e.created_at.toISOString(),
    })),
  });
}

const none = <span className="muted">None</span>;

/** One message's whole story, for answering "did my customer get it?". */
export default function OutboxMessage() {
  const { message: m, events, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/outbox">Message log</Link> / {m.recipient}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {m.channel} to {m.recipient} <span className={`badge badge-${m.status}`}>{m.status}</span>
          </h1>
          <p className="muted">
            {m.event} · created {m.createdAt} · times in {timeZone.replace("_", " ")}
          </p>
        </div>
      </div>

      <section className="card" aria-labelledby="delivery-title">
        <h2 id="delivery-title">Delivery</h2>
        <dl className="details-list">
          <dt>Recipient</dt>
          <dd className="break">{m.recipient}</dd>
          <dt>Channel</dt>
          <dd>{m.channel}</dd>
          <dt>Event</dt>
          <dd>
            <code>{m.event}</code>
          </dd>
          <dt>Language</dt>
          <dd>{m.language ?? none}</dd>
          <dt>Status</dt>
          <dd>
            {m.status}
            {m.providerStatus ? <span className="muted"> (provider: {m.providerStatus})</span> : null}
          </dd>
          <dt>Provider</dt>
          <dd className="break">
            {m.provider ?? none}
            {m.providerMessageId ? <span className="muted"> · id {m.providerMessageId}</span> : null}
          </dd>
          {m.segments ? (
            <>
              <dt>Segments</dt>
              <dd>
                {m.segments}
                {m.encoding ? <span className="muted"> ({m.encoding === "ucs2" ? "Unicode" : "GSM-7"})</span> : null}
              </dd>
            </>
          ) : null}
          <dt>Attempts</dt>
          <dd>{m.attempts}</dd>
          <dt>Error</dt>
          <dd className="break">{m.error ? <span className="field-error">{m.error}</span> : none}</dd>
          {m.sendAfter ? (
            <>
              <dt>Held until</dt>
              <dd>{m.sendAfter}</dd>
            </>
          ) : null}
          <dt>Sent</dt>
          <dd>{m.sentAt ?? none}</dd>
          <dt>Delivered</dt>
          <dd>{m.deliveredAt ?? none}</dd>
          <dt>Failed</dt>
          <dd>{m.failedAt ?? none}</dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {events.length === 0 ? (
          <p className="muted">No changes recorded yet.</p>
        ) : (
          <ol className="gateway-log">
            {events.map((e) => (
              <li key={e.id}>
                <time dateTime={e.iso}>{e.at}</time> · <strong>{e.status}</strong>
                {e.providerStatus ? <span className="muted"> ({e.providerStatus})</span> : null}
                {e.detail ? <div className="break">{e.detail}</div> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="card" aria-labelledby="content-title">
        <h2 id="content-title">Content</h2>
        {m.subject ? (
          <p>
            <strong>{m.subject}</strong>
          </p>
        ) : null}
        <pre className="message-body">
          <LinkedText text={m.body} />
        </pre>
        {m.variables.length ? (
          <>
            <h3>Template values</h3>
            <dl className="details-list">
              {m.variables.map((v) => (
                <div key={v.key}>
                  <dt>{v.key}</dt>
                  <dd className="break">{v.value}</dd>
                </div>
              ))}
            </dl>
          </>
        ) : null}
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Message");
