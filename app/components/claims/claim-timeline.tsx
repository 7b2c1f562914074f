// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
/** One row of a claim's workbench timeline (formatted on the server). */
export interface ClaimTimelineRow {
  key: string;
  at: string;
  atIso: string;
  title: string;
  detail: string | null;
  actor: string | null;
  internal: boolean;
}

/** Everything that happened to a claim, oldest first; staff-only events are marked as such. */
export function ClaimTimeline({ rows }: { rows: ClaimTimelineRow[] }) {
  return (
    <section className="card workbench-timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {rows.length === 0 ? (
        <p className="muted">Nothing has happened yet.</p>
      ) : (
        <ul className="activity">
          {rows.map((r) => (
            <li key={r.key} className={r.internal ? "internal" : undefined}>
              <time dateTime={r.atIso}>{r.at}</time>
              <span>
                <strong>{r.title}</strong>
                {r.internal ? <span className="badge">Internal</span> : null}
                {r.actor ? <span className="muted"> by {r.actor}</span> : null}
              </span>
              {r.detail ? <span className="event-detail muted">{r.detail}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
