import { useTranslation } from "react-i18next";
import { nameLabel } from "~/modules/workflows/editor";
import type { WorkflowDefinition } from "~/modules/workflows/templates";

/** A template's stages in words: the diagram's text twin (and what a screen reader reads). */
export function WorkflowStages({ definition }: { definition: WorkflowDefinition }) {
  const { t } = useTranslation("admin");
  const nameOf = (key: string) => definition.stages.find((s) => s.key === key)?.name ?? key;
  // Roles, and the built-in events, actions and assigners, have their names in every language
  // (admin.json `workflowNames`); a name without one shows in English words.
  const roleName = (name: string) => t(`roles.${name}`, { defaultValue: nameLabel(name) });
  const word = (name: string) => t(`workflowNames.${name}`, { defaultValue: nameLabel(name) });
  // As hoursText: 48 → "48 h", 168 → "7 days".
  const time = (hours: number) => (hours % 24 === 0 ? t("duration.days", { count: hours / 24 }) : t("duration.hours", { count: hours }));
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t("stages.stage")}</th>
            <th scope="col">{t("stages.kind")}</th>
            <th scope="col">{t("stages.who")}</th>
            <th scope="col">{t("stages.movesOn")}</th>
          </tr>
        </thead>
        <tbody>
          {definition.stages.map((s, i) => (
            <tr key={s.key} id={`stage-${s.key}`}>
              <td data-label={t("stages.stage")}>
                <span>
                  <strong>{s.name}</strong> <code className="small">{s.key}</code>
                  {i === 0 ? <span className="muted small">{t("stages.start")}</span> : null}
                </span>
              </td>
              <td data-label={t("stages.kind")}>{t(`diagram.kinds.${s.kind}`)}</td>
              <td data-label={t("stages.who")}>
                {s.kind === "manual" ? (
                  <span>
                    {roleName(s.role)}
                    {s.assign ? t("stages.handedOut", { by: word(s.assign).toLowerCase() }) : ""}
                    {t("stages.within", { time: time(s.slaHours) })}
                  </span>
                ) : s.kind === "waiting" ? (
                  <span>
                    {t("stages.waits", { time: time(s.timeoutHours) })}
                    {s.timeoutAction ? word(s.timeoutAction).toLowerCase() : null}
                    {s.timeoutAction && s.timeoutNext ? t("stages.and") : null}
                    {s.timeoutNext ? t("stages.goesTo", { stage: nameOf(s.timeoutNext) }) : null}
                  </span>
                ) : s.actions.length ? (
                  <span>{t("stages.runs", { actions: s.actions.map((a) => word(a).toLowerCase()).join(", ") })}</span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td data-label={t("stages.movesOn")}>
                {s.kind === "terminal" ? (
                  <span className="muted">{t("stages.ends")}</span>
                ) : s.kind === "automatic" ? (
                  <span>{t("stages.then", { stage: nameOf(s.next) })}</span>
                ) : (
                  <ul className="plain-list">
                    {Object.entries(s.next).map(([event, to]) => (
                      <li key={event}>
                        {word(event)} → {nameOf(to)}
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
          {t("stages.fromAny", {
            moves: Object.entries(definition.always)
              .map(([event, to]) => `${word(event).toLowerCase()} → ${nameOf(to)}`)
              .join("; "),
          })}
        </p>
      ) : null}
    </div>
  );
}
