import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { withTenant } from "~/lib/db.server";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { LinkedText } from "~/components/linked-text";
import { MessageChannel } from "~/components/messages/message-channel";
import { reviewableBody } from "~/modules/notifications/review";
import { requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { listMessages } from "~/modules/notifications/email.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:outbox:any");
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listMessages(db, { page }));
  const t = await serverT(tenant.language, "admin-messages");
  return json({
    title: t("log.title"),
    page,
    hasMore: result.hasMore,
    timeZone: tenant.timeZone,
    messages: result.rows.map((m) => ({
      id: m.id,
      channel: m.channel,
      segments: m.segments,
      encoding: m.encoding,
      recipient: m.recipient,
      subject: m.subject ?? t("log.noSubject"),
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
  const { t } = useTranslation("admin-messages");
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>{t("log.title")}</h1>
          <p className="muted">{t("log.intro", { zone: timeZone.replace("_", " ") })}</p>
        </div>
      </div>
      {messages.length === 0 ? (
        <div className="card empty">
          <p>{t("log.empty")}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("log.to")}</th>
                <th scope="col">{t("log.channelHeading")}</th>
                <th scope="col">{t("log.subject")}</th>
                <th scope="col">{t("log.template")}</th>
                <th scope="col">{t("log.status")}</th>
                <th scope="col">{t("log.created")}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td data-label={t("log.to")} className="break">
                    <Link to={`/admin/outbox/${m.id}`}>{m.recipient}</Link>
                  </td>
                  <td data-label={t("log.channelHeading")}>
                    <MessageChannel channel={m.channel} segments={m.segments} encoding={m.encoding} />
                  </td>
                  <td data-label={t("log.subject")} className="message-cell">
                    <details>
                      <summary>{m.subject}</summary>
                      <pre className="message-body">
                        <LinkedText text={m.body} />
                      </pre>
                    </details>
                  </td>
                  <td data-label={t("log.template")}>
                    <code>{m.template}</code>
                  </td>
                  <td data-label={t("log.status")}>
                    <span>
                      <span className={`badge badge-${m.status}`}>{t(`log.statusLabel.${m.status}`, { defaultValue: m.status })}</span>
                      {m.error ? <span className="field-error">{m.error}</span> : null}
                    </span>
                  </td>
                  <td data-label={t("log.created")}>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Outbox");
