// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getInputProps, getSelectProps, type FieldMetadata, type FormMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
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
          Add a stage
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
  const f = row.getFieldset();
  const kind = firstValue(f.kind.value) ?? "manual";
  const show = (k: string) => !hydrated || kind === k;
  const title = firstValue(f.name.value) || firstValue(f.key.value) || "new stage";
  const checked = new Set([f.actions.value].flat().filter((v): v is string => typeof v === "string"));
  const legend = `Stage ${index + 1}${index === 0 ? " (where it starts)" : ""}: ${title}`;
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
          <Field field={f.name} label="Name">
            <input {...props(f.name, { type: "text" })} autoComplete="off" />
          </Field>
          <Field field={f.key} label="Key" hint="Lower-case letters, digits and _: how history and reports name it.">
            <input {...props(f.key, { type: "text" })} autoComplete="off" aria-describedby={`${f.key.id}-hint`} spellCheck={false} />
          </Field>
          <Field field={f.kind} label="Kind">
            <select {...selectOf(f.kind)}>
              {KIND_CHOICES.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </Field>
        </div>

        {show("manual") ? (
          <div className="stack">
            {!hydrated ? <p className="small muted">When a person acts:</p> : null}
            <div className="wf-grid">
              <Field field={f.role} label="Who works it">
                <select {...selectOf(f.role)}>
                  <option value="">Choose a role</option>
                  {vocabulary.roles.map((r) => (
                    <option key={r} value={r}>
                      {nameLabel(r)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field field={f.assign} label="Handed to">
                <select {...selectOf(f.assign)}>
                  <option value="">Whoever with the role takes it</option>
                  {vocabulary.assigners.map((a) => (
                    <option key={a} value={a}>
                      {nameLabel(a)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field field={f.slaHours} label="Done within (hours)" hint="The SLA: past it, My tasks shows the task as overdue.">
                <input {...props(f.slaHours, { type: "number" })} min={1} inputMode="numeric" aria-describedby={`${f.slaHours.id}-hint`} />
              </Field>
            </div>
          </div>
        ) : null}

        {show("waiting") ? (
          <div className="stack">
            {!hydrated ? <p className="small muted">When it waits:</p> : null}
            <div className="wf-grid">
              <Field field={f.timeoutHours} label="Wait (hours)">
                <input {...props(f.timeoutHours, { type: "number" })} min={1} inputMode="numeric" />
              </Field>
              <Field field={f.timeoutAction} label="Then do">
                <select {...selectOf(f.timeoutAction)}>
                  <option value="">Nothing</option>
                  {vocabulary.actions.map((a) => (
                    <option key={a} value={a}>
                      {nameLabel(a)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field field={f.timeoutNext} label="And go to">
                <select {...selectOf(f.timeoutNext)}>
                  <option value="">Stay (keep waiting)</option>
                  {stageOptions(stages, firstValue(f.timeoutNext.value))}
                </select>
              </Field>
            </div>
          </div>
        ) : null}

        {show("automatic") || show("terminal") ? (
          <fieldset className={`field${f.actions.errors?.length ? " field-invalid" : ""}`}>
            <legend className="small">{hydrated ? "Actions it runs" : "Actions it runs (automatic stages and ends)"}</legend>
            {vocabulary.actions.length === 0 ? <p className="muted small">This workflow has no actions to run yet.</p> : null}
            {vocabulary.actions.map((a) => (
              <div className="checkbox" key={a}>
                <input type="checkbox" id={`${f.actions.id}-${a}`} name={f.actions.name} value={a} defaultChecked={checked.has(a)} />
                <label htmlFor={`${f.actions.id}-${a}`}>{nameLabel(a)}</label>
              </div>
            ))}
            <FieldError field={f.actions} />
          </fieldset>
        ) : null}

        {show("automatic") ? (
          <div className="wf-grid">
            <Field field={f.next} label={hydrated ? "Then go to" : "Then go to (automatic stages)"}>
              <select {...selectOf(f.next)}>
                <option value="">Choose a stage</option>
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
              Move up<span className="visually-hidden"> {title}</span>
            </Button>
          ) : null}
          {index < count - 1 ? (
            <Button variant="ghost" className="btn-small" {...form.reorder.getButtonProps({ name: listName, from: index, to: index + 1 })}>
              Move down<span className="visually-hidden"> {title}</span>
            </Button>
          ) : null}
          <Button variant="ghost" className="btn-small" {...form.remove.getButtonProps({ name: listName, index })}>
            Remove<span className="visually-hidden"> {title}</span>
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
  return (
    <fieldset className={`field${field.errors?.length ? " field-invalid" : ""}`}>
      <legend className="small">{legend ?? (hydrated ? "Events that end it" : "Events that end it (people's stages and waits)")}</legend>
      {rows.length === 0 ? <p className="muted small">None yet.</p> : null}
      <ol className="wf-transitions">
        {rows.map((row, i) => {
          const t = row.getFieldset();
          return (
            <li key={row.key ?? i} className="wf-transition">
              <Field field={t.event} label="When">
                <select {...selectOf(t.event)}>
                  <option value="">Choose an event</option>
                  {vocabulary.events.map((e) => (
                    <option key={e} value={e}>
                      {nameLabel(e)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field field={t.to} label="go to">
                <select {...selectOf(t.to)}>
                  <option value="">Choose a stage</option>
                  {stageOptions(stages, firstValue(t.to.value))}
                </select>
              </Field>
              <Button variant="ghost" className="btn-small" {...form.remove.getButtonProps({ name: field.name, index: i })}>
                Remove<span className="visually-hidden"> this event</span>
              </Button>
            </li>
          );
        })}
      </ol>
      <FieldError field={field as FieldMetadata<unknown>} />
      <div>
        <Button variant="secondary" className="btn-small" {...form.insert.getButtonProps({ name: field.name })}>
          Add an event
        </Button>
      </div>
    </fieldset>
  );
}
