import { Outlet } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/layout/error-page";

/**
 * The back office's Messages pages (issue 14). Each page checks its own permission; the menu links
 * each one, so this layout only keeps a failing page's error inside the back office.
 */
export default function MessagesLayout() {
  return <Outlet />;
}

export const ErrorBoundary = RouteErrorBoundary;
