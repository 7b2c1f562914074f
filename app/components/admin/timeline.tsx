// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { TimelineEntry } from "~/modules/workflows/timeline.server";

/** One state machine's history as the back office shows it (rows from timelineOf, formatted). */
export interface TimelineRow {
  key: string;
  at: string;
  atIso: string;
  from: string | null;
  to: string;
  event: string;
  actor: string | null;
  reason: string | null;
}

/** timelineOf's entries as rows, each time formatted by `when` (the tenant's locale and time zone). */
export function timelineRows(entries: TimelineEntry[], when: (at: Date) => string): TimelineRow[] {
  return entries.map((t, i) => ({
    key: `${i}`,
    from: t.from,
    to: t.to,
    event: t.event,
    reason: t.reason,
    actor: t.actorName,
    at: when(t.at),
    atIso: t.at.toISOString(),
  }));
}

export function Timeline({ rows, empty = "No state change recorded yet." }: { rows: TimelineRow[]; empty?: string }) {
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="activity">
          {rows.map((t) => (
            <li key={t.key}>
              <time dateTime={t.atIso}>{t.at}</time>
              <span>
                {t.from ? `${t.from} → ` : ""}
                <strong>{t.to}</strong> <span className="muted">({t.event})</span>
                {t.actor ? <span className="muted"> by {t.actor}</span> : null}
                {t.reason ? <span className="muted"> — {t.reason}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
