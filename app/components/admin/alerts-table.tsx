import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button } from "~/components/ui/button";

export interface AlertRow {
  id: string;
  title: string;
  detail: string | null;
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  resolved: string | null;
  /** Console only: the agency it is about. */
  tenantName?: string | null;
}

/** Open and resolved alerts, with a resolve button on open ones (back office and console). */
export function AlertsTable({ alerts, canResolve, showTenant = false }: { alerts: AlertRow[]; canResolve: boolean; showTenant?: boolean }) {
  const { t } = useTranslation("admin-messages");
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t("alerts.alert")}</th>
            {showTenant ? <th scope="col">{t("alerts.agency")}</th> : null}
            <th scope="col">{t("alerts.times")}</th>
            <th scope="col">{t("alerts.firstSeen")}</th>
            <th scope="col">{t("alerts.lastSeen")}</th>
            <th scope="col">{t("alerts.status")}</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.id}>
              <td data-label={t("alerts.alert")} className="message-cell">
                <details>
                  <summary>{a.title}</summary>
                  <p>{a.detail}</p>
                </details>
              </td>
              {showTenant ? <td data-label={t("alerts.agency")}>{a.tenantName ?? t("alerts.allAgencies")}</td> : null}
              <td data-label={t("alerts.times")}>{a.occurrences}</td>
              <td data-label={t("alerts.firstSeen")}>{a.firstSeen}</td>
              <td data-label={t("alerts.lastSeen")}>{a.lastSeen}</td>
              <td data-label={t("alerts.status")}>
                {a.resolved ? (
                  <span className="badge badge-active">{t("alerts.resolved", { at: a.resolved })}</span>
                ) : canResolve ? (
                  <Form method="post">
                    <input type="hidden" name="alertId" value={a.id} />
                    <span className="badge badge-failed">{t("alerts.open")}</span>{" "}
                    <Button type="submit" variant="secondary" aria-label={t("alerts.resolveLabel", { title: a.title })}>
                      {t("alerts.resolve")}
                    </Button>
                  </Form>
                ) : (
                  <span className="badge badge-failed">{t("alerts.open")}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
