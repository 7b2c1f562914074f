// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { KIND_LABELS } from "~/components/admin/workflow-diagram";
import { hoursText } from "~/modules/workflows/diagram";
import { nameLabel } from "~/modules/workflows/editor";
import type { WorkflowDefinition } from "~/modules/workflows/templates";

/** A template's stages in words: the diagram's text twin (and what a screen reader reads). */
export function WorkflowStages({ definition }: { definition: WorkflowDefinition }) {
  const nameOf = (key: string) => definition.stages.find((s) => s.key === key)?.name ?? key;
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Kind</th>
            <th scope="col">Who, by when</th>
            <th scope="col">Moves on</th>
          </tr>
        </thead>
        <tbody>
          {definition.stages.map((s, i) => (
            <tr key={s.key} id={`stage-${s.key}`}>
              <td data-label="Stage">
                <span>
                  <strong>{s.name}</strong> <code className="small">{s.key}</code>
                  {i === 0 ? <span className="muted small"> · where it starts</span> : null}
                </span>
              </td>
              <td data-label="Kind">{KIND_LABELS[s.kind]}</td>
              <td data-label="Who, by when">
                {s.kind === "manual" ? (
                  <span>
                    {nameLabel(s.role)}
                    {s.assign ? `, handed out by ${nameLabel(s.assign).toLowerCase()}` : ""} · within {hoursText(s.slaHours)}
                  </span>
                ) : s.kind === "waiting" ? (
                  <span>
                    Waits {hoursText(s.timeoutHours)}; then {s.timeoutAction ? nameLabel(s.timeoutAction).toLowerCase() : null}
                    {s.timeoutAction && s.timeoutNext ? " and " : null}
                    {s.timeoutNext ? `goes to ${nameOf(s.timeoutNext)}` : null}
                  </span>
                ) : s.actions.length ? (
                  <span>Runs {s.actions.map((a) => nameLabel(a).toLowerCase()).join(", ")}</span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td data-label="Moves on">
                {s.kind === "terminal" ? (
                  <span className="muted">Ends here</span>
                ) : s.kind === "automatic" ? (
                  <span>then {nameOf(s.next)}</span>
                ) : (
                  <ul className="plain-list">
                    {Object.entries(s.next).map(([event, to]) => (
                      <li key={event}>
                        {nameLabel(event)} → {nameOf(to)}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {Object.keys(definition.always).length ? (
        <p className="muted small">
          From any stage:{" "}
          {Object.entries(definition.always)
            .map(([event, to]) => `${nameLabel(event).toLowerCase()} → ${nameOf(to)}`)
            .join("; ")}
          .
        </p>
      ) : null}
    </div>
  );
}
