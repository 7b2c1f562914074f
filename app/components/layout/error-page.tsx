import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * What a person sees when a page fails: the one wording for 404, 403, a suspended or unknown agency,
 * and anything else (never a stack trace). The root's boundary wraps it in the site's shell; every
 * layout route's boundary (`RouteErrorBoundary`) shows it in place of that section, so a failing page
 * keeps the site around it.
 */
export function RouteErrorBoundary() {
  return <ErrorPage error={useRouteError()} />;
}

export function ErrorPage({ error }: { error: unknown }) {
  if (isRouteErrorResponse(error)) {
    const data = error.data as { reason?: string; host?: string; name?: string; contact?: { email?: string; phone?: string } } | string;
    if (typeof data === "object" && data?.reason === "unknown") {
      return (
        <ErrorMessage title="We don't know this address">
          <p>
            No agency on Covera answers at <strong>{data.host}</strong>. Check the address, or contact the agency that sent you here.
          </p>
        </ErrorMessage>
      );
    }
    if (typeof data === "object" && data?.reason === "suspended") {
      return (
        <ErrorMessage title={`${data.name} is unavailable`}>
          <p>This agency&apos;s online services are paused. Your policies and data are safe.</p>
          {data.contact?.phone || data.contact?.email ? (
            <p>
              Contact them at {data.contact.phone}
              {data.contact.phone && data.contact.email ? " or " : ""}
              {data.contact.email}.
            </p>
          ) : null}
        </ErrorMessage>
      );
    }
    if (error.status === 404) {
      return (
        <ErrorMessage title="Page not found">
          <p>The page you asked for does not exist, or it is not yours to see.</p>
          <p>
            <a href="/">Go to the home page</a>
          </p>
        </ErrorMessage>
      );
    }
    if (error.status === 403) {
      return (
        <ErrorMessage title="No access">
          <p>{typeof data === "string" && data ? data : "Your account does not have access to this page."}</p>
        </ErrorMessage>
      );
    }
    return (
      <ErrorMessage title={`${error.status} ${error.statusText}`}>
        <p>{typeof data === "string" ? data : "Something went wrong."}</p>
      </ErrorMessage>
    );
  }
  return (
    <ErrorMessage title="Something went wrong">
      <p>We could not show this page. Please try again in a moment; if it keeps happening, contact support.</p>
    </ErrorMessage>
  );
}

function ErrorMessage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      {children}
    </section>
  );
}
