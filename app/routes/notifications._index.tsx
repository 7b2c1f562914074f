import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { pageFrom } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { requireUser } from "~/modules/auth/guards.server";
import { inboxPage, markAllRead } from "~/modules/notifications/inbox.server";

/**
 * /notifications — the signed-in person's in-app notifications, newest first (decision 042): for
 * customers, members, agents and staff alike. Opening one marks it read; "mark all as read" clears
 * the bell.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const page = pageFrom(request);
  const { items, hasMore } = await withTenant(tenant.id, (db) => inboxPage(db, user.id, page));
  return json({
    agency: tenant.name,
    page,
    hasMore,
    items: items.map((item) => ({ ...item, when: formatDateTime(item.createdAt, tenant.locale, tenant.timeZone) })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  await withTenant(tenant.id, (db) => markAllRead(db, user.id));
  return redirect("/notifications?read=all");
}

export default function NotificationsPage() {
  const { agency, page, hasMore, items } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const { t } = useTranslation("notifications");
  const anyUnread = items.some((item) => !item.read);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("inbox.title")}</h1>
          <p className="muted">{t("inbox.intro", { agency })}</p>
        </div>
        {anyUnread ? (
          <Form method="post">
            <Button type="submit" variant="secondary">
              {t("inbox.markAllRead")}
            </Button>
          </Form>
        ) : null}
      </div>
      {params.get("read") === "all" ? <Alert tone="success">{t("inbox.allRead")}</Alert> : null}
      {items.length === 0 ? (
        <div className="card empty">
          <p>
            <strong>{t("inbox.emptyTitle")}</strong>
          </p>
          <p className="muted">{t("inbox.emptyHint")}</p>
        </div>
      ) : (
        <ul className="card notification-list" aria-label={t("inbox.listLabel")}>
          {items.map((item) => (
            <li key={item.id} className={item.read ? "notification-item" : "notification-item unread"}>
              <div>
                {item.read ? null : <span className="badge badge-queued">{t("inbox.unread")}</span>}{" "}
                <span className="notification-subject">{item.subject ?? item.text.split("\n")[0]}</span>
                {item.subject ? <p>{item.text}</p> : null}
                <p className="muted">
                  <small>{item.when}</small>
                </p>
              </div>
              {/* Opening goes through the server, which marks it read, then on to its page. */}
              <Form method="post" action={`/notifications/${item.id}`}>
                {item.link ? (
                  <Button type="submit" name="intent" value="open" variant="secondary">
                    {t("inbox.open")}
                  </Button>
                ) : null}
                {item.read ? null : (
                  <Button type="submit" name="intent" value="read" variant="ghost">
                    {t("inbox.markRead")}
                  </Button>
                )}
              </Form>
            </li>
          ))}
        </ul>
      )}
      {page > 1 || hasMore ? (
        <nav className="pagination" aria-label={t("inbox.listLabel")}>
          {page > 1 ? (
            <Link to={page === 2 ? "/notifications" : `?page=${page - 1}`} rel="prev">
              ← {t("inbox.newer")}
            </Link>
          ) : (
            <span />
          )}
          {hasMore ? (
            <Link to={`?page=${page + 1}`} rel="next">
              {t("inbox.older")} →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
      <p>
        <Link to="/account/notifications">{t("inbox.choices")}</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Notifications");
