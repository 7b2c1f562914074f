import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";

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
  const { t } = useTranslation();
  if (isRouteErrorResponse(error)) {
    const data = error.data as { reason?: string; host?: string; name?: string; contact?: { email?: string; phone?: string } } | string;
    if (typeof data === "object" && data?.reason === "unknown") {
      return (
        <ErrorMessage title={t("error.unknownTitle")}>
          <p>
            <Trans t={t} i18nKey="error.unknownBody" values={{ host: data.host }} components={{ strong: <strong /> }} />
          </p>
        </ErrorMessage>
      );
    }
    if (typeof data === "object" && data?.reason === "suspended") {
      return (
        <ErrorMessage title={t("error.suspendedTitle", { name: data.name })}>
          <p>{t("error.suspendedBody")}</p>
          {data.contact?.phone || data.contact?.email ? (
            <p>
              {t("error.contact", {
                contact: [data.contact.phone, data.contact.email].filter(Boolean).join(` ${t("error.or")} `),
              })}
            </p>
          ) : null}
        </ErrorMessage>
      );
    }
    if (error.status === 404) {
      return (
        <ErrorMessage title={t("error.notFoundTitle")}>
          <p>{t("error.notFoundBody")}</p>
          <p>
            <a href="/">{t("error.home")}</a>
          </p>
        </ErrorMessage>
      );
    }
    if (error.status === 403) {
      return (
        <ErrorMessage title={t("error.noAccessTitle")}>
          <p>{typeof data === "string" && data ? data : t("error.noAccessBody")}</p>
        </ErrorMessage>
      );
    }
    return (
      <ErrorMessage title={`${error.status} ${error.statusText}`}>
        <p>{typeof data === "string" ? data : t("error.wrong")}</p>
      </ErrorMessage>
    );
  }
  return (
    <ErrorMessage title={t("error.wrongTitle")}>
      <p>{t("error.wrongBody")}</p>
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
