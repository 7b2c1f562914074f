import { useTranslation } from "react-i18next";
import type { WorkflowDiagram } from "~/modules/workflows/diagram";
import { BOX_WIDTH } from "~/modules/workflows/diagram";

/**
 * A workflow's stages as a picture (app/modules/workflows/diagram.ts lays it out): boxes coloured by
 * kind, arrows labelled with the events that take them. Plain SVG, the same on the server and in
 * the browser; the stage list beside it on every page says the same in words.
 */
/** The kinds of stage, in the legend's order; their names are `diagram.kinds.<kind>` in the admin namespace. */
export const STAGE_KINDS = ["manual", "waiting", "automatic", "terminal"] as const;

export function WorkflowDiagramView({ diagram, id, title }: { diagram: WorkflowDiagram; id: string; title: string }) {
  const { t } = useTranslation("admin");
  const marker = `${id}-arrowhead`;
  const summary = diagram.boxes.map((b) => `${b.name} (${t(`diagram.kinds.${b.kind}`).toLowerCase()})`).join(", ");
  return (
    <figure className="wf-diagram">
      <div className="wf-diagram-scroll">
        <svg
          viewBox={`0 0 ${diagram.width} ${diagram.height}`}
          width={diagram.width}
          height={diagram.height}
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
        >
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{t("diagram.inOrder", { stages: summary })}</desc>
          <defs>
            <marker id={marker} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" className="wf-arrowhead" />
            </marker>
          </defs>
          {diagram.arrows.map((a) => (
            <g key={a.id} className={`wf-arrow wf-arrow-${a.kind}`}>
              <path d={a.path} markerEnd={`url(#${marker})`} />
              <text x={a.labelX} y={a.labelY} className="wf-label">
                {a.label !== a.fullLabel ? <title>{a.fullLabel}</title> : null}
                {a.label}
              </text>
            </g>
          ))}
          {diagram.boxes.map((b) => (
            <g key={b.key} className={`wf-box wf-${b.kind}`}>
              <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={b.kind === "terminal" ? b.height / 2 : 6} />
              <text x={b.x + 10} y={b.y + b.height / 2 - 3} className="wf-name">
                {clip(b.name, BOX_WIDTH - 20, 7.4)}
              </text>
              <text x={b.x + 10} y={b.y + b.height / 2 + 13} className="wf-detail">
                {clip(b.detail, BOX_WIDTH - 20, 6)}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <figcaption className="small">
        <span className="wf-legend">
          {STAGE_KINDS.map((kind) => (
            <span key={kind}>
              <span className={`wf-swatch wf-${kind}`} aria-hidden="true" /> {t(`diagram.kinds.${kind}`)}
            </span>
          ))}
          <span>
            <span className="wf-swatch wf-swatch-timeout" aria-hidden="true" /> {t("diagram.onTimeout")}
          </span>
        </span>
        {diagram.always.length ? <span className="muted">{t("diagram.fromAny", { moves: diagram.always.join("; ") })}</span> : null}
      </figcaption>
    </figure>
  );
}

function clip(text: string, width: number, perChar: number): string {
  const max = Math.floor(width / perChar);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
