// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Form } from "@remix-run/react";
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
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Alert</th>
            {showTenant ? <th scope="col">Agency</th> : null}
            <th scope="col">Times</th>
            <th scope="col">First seen</th>
            <th scope="col">Last seen</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.id}>
              <td data-label="Alert" className="message-cell">
                <details>
                  <summary>{a.title}</summary>
                  <p>{a.detail}</p>
                </details>
              </td>
              {showTenant ? <td data-label="Agency">{a.tenantName ?? "All agencies"}</td> : null}
              <td data-label="Times">{a.occurrences}</td>
              <td data-label="First seen">{a.firstSeen}</td>
              <td data-label="Last seen">{a.lastSeen}</td>
              <td data-label="Status">
                {a.resolved ? (
                  <span className="badge badge-active">Resolved {a.resolved}</span>
                ) : canResolve ? (
                  <Form method="post">
                    <input type="hidden" name="alertId" value={a.id} />
                    <span className="badge badge-failed">Open</span>{" "}
                    <Button type="submit" variant="secondary" aria-label={`Resolve: ${a.title}`}>
                      Resolve
                    </Button>
                  </Form>
                ) : (
                  <span className="badge badge-failed">Open</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
