// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Form, Link } from "@remix-run/react";
import { Button } from "~/components/ui/button";

/**
 * One product's commission rules at one frequency as a timeline, newest first: versions that
 * ended, the one in force, and those scheduled, which an admin may still change or cancel (a
 * version that has started is history). Each runs until the next one starts.
 */
export interface TimelineVersion {
  id: string;
  from: string;
  to: string | null;
  state: "ended" | "in_force" | "scheduled";
  tiers: { short: string; conditions: string[] }[];
}

const STATE_LABELS = { in_force: "In force", scheduled: "Scheduled", ended: "Ended" } as const;
const STATE_BADGES = { in_force: " badge-active", scheduled: " badge-pending", ended: "" } as const;

export function RuleTimeline({ versions, canEdit, frequency }: { versions: TimelineVersion[]; canEdit: boolean; frequency: string }) {
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">Versions</h2>
      {versions.length === 0 ? (
        <p className="muted">No rules yet at this frequency.</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Tiers</th>
                <th scope="col">State</th>
                {canEdit ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id}>
                  <td data-label="From">{v.from}</td>
                  <td data-label="Until">{v.to ?? <span className="muted">Until changed</span>}</td>
                  <td data-label="Tiers">
                    <Tiers tiers={v.tiers} />
                  </td>
                  <td data-label="State">
                    <span className={`badge${STATE_BADGES[v.state]}`}>{STATE_LABELS[v.state]}</span>
                  </td>
                  {canEdit ? (
                    <td data-label="">
                      {v.state === "scheduled" ? (
                        <div className="actions">
                          <Link to={`?frequency=${frequency}&change=${v.id}`} aria-label={`Change the version scheduled from ${v.from}`}>
                            Change
                          </Link>
                          <Form method="post">
                            <input type="hidden" name="intent" value="cancel" />
                            <input type="hidden" name="versionId" value={v.id} />
                            <Button type="submit" variant="ghost" aria-label={`Cancel the version scheduled from ${v.from}`}>
                              Cancel
                            </Button>
                          </Form>
                        </div>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Tiers({ tiers }: { tiers: TimelineVersion["tiers"] }) {
  if (tiers.length === 0) return <span className="muted">No commission</span>;
  const conditions = tiers.filter((t) => t.conditions.length);
  return (
    <span className="break">
      {tiers.map((t) => t.short).join(" · ")}
      {conditions.length ? (
        <>
          <br />
          <span className="muted small">{conditions.map((t) => `${t.short.split(" ")[0]}: ${t.conditions.join(", ")}`).join("; ")}</span>
        </>
      ) : null}
    </span>
  );
}
