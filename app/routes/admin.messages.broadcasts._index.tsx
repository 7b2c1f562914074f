// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { requirePermission } from "~/modules/auth/guards.server";
import { listBroadcasts } from "~/modules/notifications/broadcasts.server";
import { describeSegment } from "~/modules/notifications/broadcasts-segments.server";
import { BROADCAST_STATUS_LABELS, CHANNEL_LABELS } from "~/components/admin/broadcast-labels";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "send:broadcast:any");
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listBroadcasts(db, { page }));
  return json({
    page,
    hasMore: result.hasMore,
    broadcasts: result.rows.map((b) => ({
      id: b.id,
      title: b.title,
      channel: b.channel,
      segment: describeSegment(b.segment),
      status: b.status,
      recipients: b.recipientCount,
      createdAt: formatDateTime(b.createdAt, tenant.locale, tenant.timeZone),
      createdIso: b.createdAt.toISOString(),
    })),
  });
}

export default function Broadcasts() {
  const { page, hasMore, broadcasts } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Broadcasts</h1>
          <p className="muted">
            One message to many: all customers, the customers of a product, agents of a rank, or an agent&apos;s members.
          </p>
        </div>
        <Link to="/admin/messages/broadcasts/new" className="btn">
          New broadcast
        </Link>
      </div>
      {broadcasts.length === 0 ? (
        <div className="card empty">
          <p>{page > 1 ? "No more broadcasts." : "No broadcasts yet."}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Channel</th>
                <th scope="col">To</th>
                <th scope="col">Recipients</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {broadcasts.map((b) => (
                <tr key={b.id}>
                  <td data-label="Title">
                    <Link to={`/admin/messages/broadcasts/${b.id}`}>{b.title}</Link>
                  </td>
                  <td data-label="Channel">{CHANNEL_LABELS[b.channel]}</td>
                  <td data-label="To">{b.segment}</td>
                  <td data-label="Recipients">{b.recipients ?? "—"}</td>
                  <td data-label="Status">
                    <span className={`badge badge-${b.status}`}>{BROADCAST_STATUS_LABELS[b.status]}</span>
                  </td>
                  <td data-label="Created">
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Broadcasts");
