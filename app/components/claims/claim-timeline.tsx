import { useTranslation } from "react-i18next";

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
  const { t } = useTranslation("admin-claims");
  return (
    <section className="card workbench-timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("timeline.title")}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t("timeline.empty")}</p>
      ) : (
        <ul className="activity">
          {rows.map((r) => (
            <li key={r.key} className={r.internal ? "internal" : undefined}>
              <time dateTime={r.atIso}>{r.at}</time>
              <span>
                <strong>{r.title}</strong>
                {r.internal ? <span className="badge">{t("timeline.internal")}</span> : null}
                {r.actor ? <span className="muted"> {t("timeline.by", { name: r.actor })}</span> : null}
              </span>
              {r.detail ? <span className="event-detail muted">{r.detail}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
