import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * The header's bell (decision 042): a plain link to /notifications whose name says how many are
 * unread ("Notifications, 3 unread"); the count comes with the root loader, so it costs no request.
 */
export function NotificationBell({ unread }: { unread: number }) {
  const { t } = useTranslation("notifications");
  return (
    <Link
      to="/notifications"
      className="header-link notification-bell"
      aria-label={unread > 0 ? t("bell.labelUnread", { count: unread }) : t("bell.label")}
    >
      <svg
        aria-hidden="true"
        focusable="false"
        width="20"
        height="20"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread > 0 ? (
        <span className="notification-count" aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
