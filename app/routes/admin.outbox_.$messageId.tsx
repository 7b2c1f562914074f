import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LinkedText } from "~/components/linked-text";
import { formatDateTime } from "~/lib/dates";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { messageWithHistory } from "~/modules/notifications/message-history.server";
import { reviewableBody } from "~/modules/notifications/review";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:outbox:any");
  const id = uuidParam(params, "messageId");
  const found = await withTenant(tenant.id, (db) => messageWithHistory(db, id));
  if (!found) throw new Response("Not found", { status: 404 });
  const { message: m, events } = found;
  const when = (d: Date | null) => (d ? formatDateTime(d, tenant.locale, tenant.timeZone) : null);
  // A delivered message's one-time links were for its recipient only (review.ts), in its values too.
  const hide = (text: string) => reviewableBody({ status: m.status, body_text: text });
  const t = await serverT(tenant.language, "admin-messages");
  const channel = t(`message.channel.${m.channel}`, { defaultValue: m.channel });
  return json({
    title: t("message.title", { channel, recipient: m.recipient }),
    timeZone: tenant.timeZone,
    message: {
      id: m.id,
      channel,
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

/** One message's whole story, for answering "did my customer get it?". */
export default function OutboxMessage() {
  const { message: m, events, timeZone } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-messages");
  const none = <span className="muted">{t("message.none")}</span>;
  // The state as a word (English keeps the code itself, as the provider log does).
  const status = (s: string) => t(`message.status.${s}`, { defaultValue: s });
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/outbox">{t("message.log")}</Link> / {m.recipient}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {t("message.title", { channel: m.channel, recipient: m.recipient })}{" "}
            <span className={`badge badge-${m.status}`}>{status(m.status)}</span>
          </h1>
          <p className="muted">
            {m.event} · {t("message.createdAt", { at: m.createdAt })} · {t("message.timesIn", { zone: timeZone.replace("_", " ") })}
          </p>
        </div>
      </div>

      <section className="card" aria-labelledby="delivery-title">
        <h2 id="delivery-title">{t("message.delivery")}</h2>
        <dl className="details-list">
          <dt>{t("message.recipient")}</dt>
          <dd className="break">{m.recipient}</dd>
          <dt>{t("log.channelHeading")}</dt>
          <dd>{m.channel}</dd>
          <dt>{t("message.event")}</dt>
          <dd>
            <code>{m.event}</code>
          </dd>
          <dt>{t("message.language")}</dt>
          <dd>{m.language ?? none}</dd>
          <dt>{t("log.status")}</dt>
          <dd>
            {status(m.status)}
            {m.providerStatus ? <span className="muted"> {t("message.providerSays", { status: m.providerStatus })}</span> : null}
          </dd>
          <dt>{t("message.provider")}</dt>
          <dd className="break">
            {m.provider ?? none}
            {m.providerMessageId ? <span className="muted"> · {t("message.providerId", { id: m.providerMessageId })}</span> : null}
          </dd>
          {m.segments ? (
            <>
              <dt>{t("message.segments")}</dt>
              <dd>
                {m.segments}
                {m.encoding ? <span className="muted"> ({m.encoding === "ucs2" ? "Unicode" : "GSM-7"})</span> : null}
              </dd>
            </>
          ) : null}
          <dt>{t("message.attempts")}</dt>
          <dd>{m.attempts}</dd>
          <dt>{t("message.error")}</dt>
          <dd className="break">{m.error ? <span className="field-error">{m.error}</span> : none}</dd>
          {m.sendAfter ? (
            <>
              <dt>{t("message.heldUntil")}</dt>
              <dd>{m.sendAfter}</dd>
            </>
          ) : null}
          <dt>{t("message.sent")}</dt>
          <dd>{m.sentAt ?? none}</dd>
          <dt>{t("message.delivered")}</dt>
          <dd>{m.deliveredAt ?? none}</dd>
          <dt>{t("message.failed")}</dt>
          <dd>{m.failedAt ?? none}</dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t("message.history")}</h2>
        {events.length === 0 ? (
          <p className="muted">{t("message.noHistory")}</p>
        ) : (
          <ol className="gateway-log">
            {events.map((e) => (
              <li key={e.id}>
                <time dateTime={e.iso}>{e.at}</time> · <strong>{status(e.status)}</strong>
                {e.providerStatus ? <span className="muted"> ({e.providerStatus})</span> : null}
                {e.detail ? <div className="break">{e.detail}</div> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="card" aria-labelledby="content-title">
        <h2 id="content-title">{t("message.content")}</h2>
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
            <h3>{t("message.values")}</h3>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Message");
