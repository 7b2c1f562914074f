import { getInputProps, getSelectProps, type FieldMetadata, type FormMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { firstValue } from "~/components/console/fields";
import { useHydrated } from "~/components/console/use-hydrated";
import { Button } from "~/components/ui/button";
import { KIND_CHOICES, nameLabel, type StageInput } from "~/modules/workflows/editor";
import type { WorkflowVocabulary } from "~/modules/workflows/templates";

/**
 * The stage rows of the workflow editor (decision 026): one fieldset per stage. Adding, removing
 * and moving a stage or an event are conform list intents, so they work as plain form posts
 * without JavaScript (the server answers with the list changed, like the commission rules'
 * tiers). Without JavaScript every kind's fields show, since the kind may change before the post;
 * with it, only the fields of the chosen kind.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyForm = FormMetadata<any>;
type Row = { event?: string; to?: string };

function props<T>(field: FieldMetadata<T>, options: Parameters<typeof getInputProps>[1]) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { key, ...rest } = getInputProps(field, options);
  return rest;
}

function selectOf<T>(field: FieldMetadata<T>) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { key, ...rest } = getSelectProps(field);
  return { ...rest, defaultValue: firstValue(rest.defaultValue) };
}

function FieldError({ field }: { field: FieldMetadata<unknown> }) {
  return field.errors?.length ? (
    <p className="field-error" id={field.errorId} role="alert">
      {field.errors.join(" ")}
    </p>
  ) : null;
}

function Field({ field, label, hint, children }: { field: FieldMetadata<unknown>; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className={`field${field.errors?.length ? " field-invalid" : ""}`}>
      <label htmlFor={field.id}>{label}</label>
      {children}
      {hint ? (
        <p className="field-hint" id={`${field.id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldError field={field} />
    </div>
  );
}

/** Options for a "go to stage" select: the stages as typed, and the current value even if it is gone. */
function stageOptions(stages: { key: string; name: string }[], current: string | undefined) {
  const list = stages.filter((s) => s.key);
  if (current && !list.some((s) => s.key === current)) list.push({ key: current, name: `${current} (not a stage)` });
  return list.map((s) => (
    <option key={s.key} value={s.key}>
      {s.name && s.name !== s.key ? `${s.name} (${s.key})` : s.key}
    </option>
  ));
}

export function StageRows({
  form,
  stagesField,
  vocabulary,
  stages,
}: {
  form: AnyForm;
  stagesField: FieldMetadata<StageInput[] | undefined>;
  vocabulary: WorkflowVocabulary;
  /** The stages' keys and names as typed so far (the targets transitions can choose). */
  stages: { key: string; name: string }[];
}) {
  const rows = stagesField.getFieldList();
  const { t } = useTranslation("admin");
  return (
    <div className="stack">
      {stagesField.errors?.length ? (
        <p className="field-error" id={stagesField.errorId} role="alert">
          {stagesField.errors.join(" ")}
        </p>
      ) : null}
      <ol className="wf-stages">
        {rows.map((row, index) => (
          <StageFields
            key={row.key ?? index}
            form={form}
            row={row as FieldMetadata<StageInput>}
            index={index}
            count={rows.length}
            listName={stagesField.name}
            vocabulary={vocabulary}
            stages={stages}
          />
        ))}
      </ol>
      <div>
        <Button variant="secondary" {...form.insert.getButtonProps({ name: stagesField.name, defaultValue: { kind: "manual" } as never })}>
          {t("editor.addStage")}
        </Button>
      </div>
    </div>
  );
}

function StageFields({
  form,
  row,
  index,
  count,
  listName,
  vocabulary,
  stages,
}: {
  form: AnyForm;
  row: FieldMetadata<StageInput>;
  index: number;
  count: number;
  listName: string;
  vocabulary: WorkflowVocabulary;
  stages: { key: string; name: string }[];
}) {
  const hydrated = useHydrated();
  const { t } = useTranslation("admin");
  const f = row.getFieldset();
  const kind = firstValue(f.kind.value) ?? "manual";
  const show = (k: string) => !hydrated || kind === k;
  const title = firstValue(f.name.value) || firstValue(f.key.value) || t("editor.newStage");
  const checked = new Set([f.actions.value].flat().filter((v): v is string => typeof v === "string"));
  const legend = t(index === 0 ? "editor.stageLegendFirst" : "editor.stageLegend", { number: index + 1, title });
  return (
    <li className={`wf-stage wf-stage-${kind}${row.errors?.length ? " wf-stage-invalid" : ""}`}>
      <fieldset aria-describedby={row.errors?.length ? row.errorId : undefined}>
        <legend>{legend}</legend>
        {row.errors?.length ? (
          <ul className="wf-problems" id={row.errorId} role="alert">
            {row.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        ) : null}
        <div className="wf-grid">
          <Field field={f.name} label={t("editor.name")}>
            <input {...props(f.name, { type: "text" })} autoComplete="off" />
          </Field>
          <Field field={f.key} label={t("editor.key")} hint={t("editor.keyHint")}>
            <input {...props(f.key, { type: "text" })} autoComplete="off" aria-describedby={`${f.key.id}-hint`} spellCheck={false} />
          </Field>
          <Field field={f.kind} label={t("editor.kind")}>
            <select {...selectOf(f.kind)}>
              {KIND_CHOICES.map((k) => (
                <option key={k.value} value={k.value}>
                  {t(`editor.kinds.${k.value}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>

        {show("manual") ? (
          <div className="stack">
            {!hydrated ? <p className="small muted">{t("editor.whenPerson")}</p> : null}
            <div className="wf-grid">
              <Field field={f.role} label={t("editor.role")}>
                <select {...selectOf(f.role)}>
                  <option value="">{t("editor.chooseRole")}</option>
                  {vocabulary.roles.map((r) => (
                    <option key={r} value={r}>
                      {nameLabel(r)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field field={f.assign} label={t("editor.assign")}>
                <select {...selectOf(f.assign)}>
                  <option value="">{t("editor.anyWithRole")}</option>
                  {vocabulary.assigners.map((a) => (
                    <option key={a} value={a}>
                      {t(`workflowNames.${a}`, { defaultValue: nameLabel(a) })}
                    </option>
                  ))}
                </select>
              </Field>
              <Field field={f.slaHours} label={t("editor.sla")} hint={t("editor.slaHint")}>
                <input {...props(f.slaHours, { type: "number" })} min={1} inputMode="numeric" aria-describedby={`${f.slaHours.id}-hint`} />
              </Field>
            </div>
          </div>
        ) : null}

        {show("waiting") ? (
          <div className="stack">
            {!hydrated ? <p className="small muted">{t("editor.whenWaits")}</p> : null}
            <div className="wf-grid">
              <Field field={f.timeoutHours} label={t("editor.wait")}>
                <input {...props(f.timeoutHours, { type: "number" })} min={1} inputMode="numeric" />
              </Field>
              <Field field={f.timeoutAction} label={t("editor.thenDo")}>
                <select {...selectOf(f.timeoutAction)}>
                  <option value="">{t("editor.nothing")}</option>
                  {vocabulary.actions.map((a) => (
                    <option key={a} value={a}>
                      {t(`workflowNames.${a}`, { defaultValue: nameLabel(a) })}
                    </option>
                  ))}
                </select>
              </Field>
              <Field field={f.timeoutNext} label={t("editor.andGoTo")}>
                <select {...selectOf(f.timeoutNext)}>
                  <option value="">{t("editor.stay")}</option>
                  {stageOptions(stages, firstValue(f.timeoutNext.value))}
                </select>
              </Field>
            </div>
          </div>
        ) : null}

        {show("automatic") || show("terminal") ? (
          <fieldset className={`field${f.actions.errors?.length ? " field-invalid" : ""}`}>
            <legend className="small">{hydrated ? t("editor.actions") : t("editor.actionsAll")}</legend>
            {vocabulary.actions.length === 0 ? <p className="muted small">{t("editor.noActions")}</p> : null}
            {vocabulary.actions.map((a) => (
              <div className="checkbox" key={a}>
                <input type="checkbox" id={`${f.actions.id}-${a}`} name={f.actions.name} value={a} defaultChecked={checked.has(a)} />
                <label htmlFor={`${f.actions.id}-${a}`}>{t(`workflowNames.${a}`, { defaultValue: nameLabel(a) })}</label>
              </div>
            ))}
            <FieldError field={f.actions} />
          </fieldset>
        ) : null}

        {show("automatic") ? (
          <div className="wf-grid">
            <Field field={f.next} label={hydrated ? t("editor.thenGoTo") : t("editor.thenGoToAll")}>
              <select {...selectOf(f.next)}>
                <option value="">{t("editor.chooseStage")}</option>
                {stageOptions(stages, firstValue(f.next.value))}
              </select>
            </Field>
          </div>
        ) : null}

        {show("manual") || show("waiting") ? (
          <Transitions form={form} field={f.transitions} vocabulary={vocabulary} stages={stages} hydrated={hydrated} />
        ) : null}

        <div className="wf-stage-tools">
          {index > 0 ? (
            <Button variant="ghost" className="btn-small" {...form.reorder.getButtonProps({ name: listName, from: index, to: index - 1 })}>
              {t("editor.moveUp")}
              <span className="visually-hidden"> {title}</span>
            </Button>
          ) : null}
          {index < count - 1 ? (
            <Button variant="ghost" className="btn-small" {...form.reorder.getButtonProps({ name: listName, from: index, to: index + 1 })}>
              {t("editor.moveDown")}
              <span className="visually-hidden"> {title}</span>
            </Button>
          ) : null}
          <Button variant="ghost" className="btn-small" {...form.remove.getButtonProps({ name: listName, index })}>
            {t("editor.remove")}
            <span className="visually-hidden"> {title}</span>
          </Button>
        </div>
      </fieldset>
    </li>
  );
}

export function Transitions({
  form,
  field,
  vocabulary,
  stages,
  hydrated,
  legend,
}: {
  form: AnyForm;
  field: FieldMetadata<Row[] | undefined>;
  vocabulary: WorkflowVocabulary;
  stages: { key: string; name: string }[];
  hydrated: boolean;
  legend?: string;
}) {
  const rows = field.getFieldList();
  const { t } = useTranslation("admin");
  return (
    <fieldset className={`field${field.errors?.length ? " field-invalid" : ""}`}>
      <legend className="small">{legend ?? (hydrated ? t("editor.events") : t("editor.eventsAll"))}</legend>
      {rows.length === 0 ? <p className="muted small">{t("editor.noneYet")}</p> : null}
      <ol className="wf-transitions">
        {rows.map((row, i) => {
          const fields = row.getFieldset();
          return (
            <li key={row.key ?? i} className="wf-transition">
              <Field field={fields.event} label={t("editor.when")}>
                <select {...selectOf(fields.event)}>
                  <option value="">{t("editor.chooseEvent")}</option>
                  {vocabulary.events.map((e) => (
                    <option key={e} value={e}>
                      {t(`workflowNames.${e}`, { defaultValue: nameLabel(e) })}
                    </option>
                  ))}
                </select>
              </Field>
              <Field field={fields.to} label={t("editor.goTo")}>
                <select {...selectOf(fields.to)}>
                  <option value="">{t("editor.chooseStage")}</option>
                  {stageOptions(stages, firstValue(fields.to.value))}
                </select>
              </Field>
              <Button variant="ghost" className="btn-small" {...form.remove.getButtonProps({ name: field.name, index: i })}>
                {t("editor.remove")}
                <span className="visually-hidden">{t("editor.thisEvent")}</span>
              </Button>
            </li>
          );
        })}
      </ol>
      <FieldError field={field as FieldMetadata<unknown>} />
      <div>
        <Button variant="secondary" className="btn-small" {...form.insert.getButtonProps({ name: field.name })}>
          {t("editor.addEvent")}
        </Button>
      </div>
    </fieldset>
  );
}
