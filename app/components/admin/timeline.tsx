import { useTranslation } from "react-i18next";
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

export function Timeline({ rows, empty }: { rows: TimelineRow[]; empty?: string }) {
  const { t } = useTranslation("admin");
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("timeline.title")}</h2>
      {rows.length === 0 ? (
        <p className="muted">{empty ?? t("timeline.empty")}</p>
      ) : (
        <ul className="activity">
          {rows.map((row) => (
            <li key={row.key}>
              <time dateTime={row.atIso}>{row.at}</time>
              <span>
                {row.from ? `${row.from} → ` : ""}
                <strong>{row.to}</strong> <span className="muted">({row.event})</span>
                {row.actor ? <span className="muted">{t("timeline.by", { name: row.actor })}</span> : null}
                {row.reason ? <span className="muted"> — {row.reason}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
