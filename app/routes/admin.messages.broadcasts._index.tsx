import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { BROADCAST_STATUS_LABELS, CHANNEL_LABELS } from "~/components/admin/broadcast-labels";
import { listBroadcasts } from "~/modules/notifications/broadcasts.server";
import { describeSegment } from "~/modules/notifications/broadcasts-segments.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "send:broadcast:any");
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listBroadcasts(db, { page }));
  const t = await serverT(tenant.language, "admin-messages");
  return json({
    title: t("broadcasts.title"),
    page,
    hasMore: result.hasMore,
    broadcasts: result.rows.map((b) => ({
      id: b.id,
      title: b.title,
      channel: b.channel,
      segment: describeSegment(t, b.segment),
      status: b.status,
      recipients: b.recipientCount,
      createdAt: formatDateTime(b.createdAt, tenant.locale, tenant.timeZone),
      createdIso: b.createdAt.toISOString(),
    })),
  });
}

export default function Broadcasts() {
  const { page, hasMore, broadcasts } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-messages");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("broadcasts.title")}</h1>
          <p className="muted">{t("broadcasts.intro")}</p>
        </div>
        <Link to="/admin/messages/broadcasts/new" className="btn">
          {t("broadcasts.new")}
        </Link>
      </div>
      {broadcasts.length === 0 ? (
        <div className="card empty">
          <p>{page > 1 ? t("broadcasts.noMore") : t("broadcasts.none")}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("broadcasts.titleColumn")}</th>
                <th scope="col">{t("templates.channel")}</th>
                <th scope="col">{t("log.to")}</th>
                <th scope="col">{t("broadcasts.recipients")}</th>
                <th scope="col">{t("log.status")}</th>
                <th scope="col">{t("log.created")}</th>
              </tr>
            </thead>
            <tbody>
              {broadcasts.map((b) => (
                <tr key={b.id}>
                  <td data-label={t("broadcasts.titleColumn")}>
                    <Link to={`/admin/messages/broadcasts/${b.id}`}>{b.title}</Link>
                  </td>
                  <td data-label={t("templates.channel")}>{t(`channel.${b.channel}`, { defaultValue: CHANNEL_LABELS[b.channel] })}</td>
                  <td data-label={t("log.to")}>{b.segment}</td>
                  <td data-label={t("broadcasts.recipients")}>{b.recipients ?? "—"}</td>
                  <td data-label={t("log.status")}>
                    <span className={`badge badge-${b.status}`}>
                      {t(`broadcastStatus.${b.status}`, { defaultValue: BROADCAST_STATUS_LABELS[b.status] })}
                    </span>
                  </td>
                  <td data-label={t("log.created")}>
                    <time dateTime={b.createdIso}>{b.createdAt}</time>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Broadcasts");
