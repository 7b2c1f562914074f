import type { ReactNode } from "react";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";

/** One place the member is signed in: a browser session, or an app holding API tokens. */
export interface SignedInRow {
  id: string;
  /** The device ("Chrome on Android") or the app's name. */
  name: string;
  /** The full user agent, shown on hover for a device. */
  detail?: string;
  /** This browser: listed first, badged, and not signed out from here. */
  current?: boolean;
  ip: string | null;
  signedInAt: string;
  lastActiveAt: string;
  lastActiveIso: string;
}

/**
 * The security page's "Your sessions" and "Signed-in apps" lists: the same table and one plain
 * sign-out form per row (works without JavaScript). `kind` picks the words and what the form posts.
 */
export function SignedInList({
  kind,
  rows,
  intro,
  result,
  children,
}: {
  kind: "session" | "app";
  rows: SignedInRow[];
  intro: string;
  result: { notice?: string; error?: string } | undefined;
  /** What follows the table (signing out every other session). */
  children?: ReactNode;
}) {
  const { t } = useTranslation("account");
  const errorText = useErrorText();
  const session = kind === "session";
  const titleId = session ? "sessions-title" : "apps-title";
  const nameHeader = session ? t("security.device") : t("security.app");
  const signOutLabel = (name: string) =>
    session ? t("security.signOutDevice", { device: name }) : t("security.signOutApp", { app: name });
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{session ? t("security.sessionsTitle") : t("security.appsTitle")}</h2>
      <p className="muted">{intro}</p>
      {result?.notice ? <Alert tone="success">{result.notice}</Alert> : null}
      {result?.error ? <Alert tone="error">{errorText([result.error])}</Alert> : null}
      {rows.length === 0 && !session ? (
        <p className="muted">{t("security.noApps")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{nameHeader}</th>
                <th scope="col">{t("security.ip")}</th>
                <th scope="col">{t("security.signedIn")}</th>
                <th scope="col">{t("security.lastActive")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("security.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td data-label={nameHeader}>
                    <span>
                      <span title={row.detail || undefined}>{row.name}</span>
                      {row.current ? (
                        <>
                          {" "}
                          <span className="badge badge-active">{t("security.thisDeviceBadge")}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t("security.ip")}>{row.ip || <span className="muted">{t("security.unknown")}</span>}</td>
                  <td data-label={t("security.signedIn")}>{row.signedInAt}</td>
                  <td data-label={t("security.lastActive")}>
                    <time dateTime={row.lastActiveIso}>{row.lastActiveAt}</time>
                  </td>
                  <td data-label="">
                    {row.current ? null : (
                      <Form method="post" preventScrollReset>
                        <input type="hidden" name="intent" value={session ? "revoke-session" : "revoke-app"} />
                        <input type="hidden" name={session ? "sessionId" : "appId"} value={row.id} />
                        <Button type="submit" variant="secondary" className="btn-small" aria-label={signOutLabel(row.name)}>
                          {t("overview.signOut")}
                        </Button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {children}
    </section>
  );
}
