import { getFormProps, getInputProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useErrorText } from "~/components/ui/field";
import { z } from "zod";
import { WorkflowDiagramView } from "~/components/admin/workflow-diagram";
import { StageRows, Transitions } from "~/components/admin/workflow-editor";
import { useHydrated } from "~/components/console/use-hydrated";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { layoutWorkflow } from "~/modules/workflows/diagram";
import { draftDefinition, editorInput, editorSchema, jsonEditorSchema, toDefinition } from "~/modules/workflows/editor";
import { saveTemplate } from "~/modules/workflows/engine.server";
import { workflowHandlers } from "~/modules/workflows/handlers.server";
import { editorStart } from "~/modules/workflows/versions.server";
import styles from "~/styles/workflows.css";

/**
 * /admin/workflows/new?from=<version> (a new version of that one's scope, starting from it) or
 * ?subject=claim&scope=motor&claimType=theft (a scope's next version, starting from the template
 * that applies to it today). The editor is a real form, one fieldset per stage, that works
 * without JavaScript; "Check" validates and redraws the diagram without saving; "Save" makes the
 * next version (audited). An advanced editor takes the definition as JSON.
 */
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const querySchema = z.object({
  from: lineText().uuid().optional(),
  subject: z.enum(["claim", "policy"]).optional(),
  scope: lineText()
    .regex(/^(\*|[a-z][a-z0-9_-]{0,79})$/)
    .optional(),
  claimType: lineText().regex(KEY, "Use lower-case letters, digits and underscores, such as third_party").optional(),
});

async function target(tenant: TenantInfo, url: URL) {
  const raw = Object.fromEntries([...url.searchParams].filter(([k, v]) => k in querySchema.shape && v.trim() !== ""));
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) return { problem: parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join(" ") } as const;
  const q = parsed.data;
  const t = await serverT(tenant.language, "admin");
  if (!q.from && !q.subject) return { problem: t("workflowNew.chooseSubject") } as const;
  const start = await withTenant(tenant.id, (db) =>
    editorStart(
      db,
      (subject) => workflowHandlers(subject, tenant),
      {
        from: q.from,
        subject: q.subject ?? "claim",
        scope: q.scope ?? "*",
        claimType: q.claimType ?? "*",
      },
      t,
    ),
  );
  if (!start) throw new Response("Not found", { status: 404 });
  return { start } as const;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:workflow:any");
  const found = await target(tenant, new URL(request.url));
  if ("problem" in found)
    return json({ title: null, problem: found.problem, start: null, defaults: null, definitionJson: "", diagram: null });
  const { start } = found;
  const t = await serverT(tenant.language, "admin");
  return json({
    title: t("workflowNew.titleOf", { label: start.label }),
    problem: null,
    start: {
      subject: start.subject,
      label: start.label,
      basedOn: start.basedOn,
      from: start.from,
      vocabulary: start.handlers.vocabulary,
    },
    defaults: editorInput(start.name, start.definition),
    definitionJson: JSON.stringify(start.definition, null, 2),
    diagram: layoutWorkflow(start.definition),
  });
}

const contextSchema = z.object({ basedOn: z.coerce.number().int().min(0).max(1_000_000) });

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:workflow:any");
  const found = await target(tenant, new URL(request.url));
  if ("problem" in found) throw new Response(found.problem, { status: 400 });
  const { start } = found;
  const formData = await readForm(request);
  const context = contextSchema.safeParse({ basedOn: formData.get("basedOn") });
  if (!context.success) throw new Response("The form is missing the version it started from. Reload the page.", { status: 400 });
  const intent = formData.get("intent");

  const save = (name: string, definition: unknown) =>
    withTenant(tenant.id, async (db) => {
      const saved = await saveTemplate(db, start.handlers, {
        scope: start.scope,
        claimType: start.claimType,
        name,
        definition,
        createdBy: user.id,
        basedOn: context.data.basedOn,
      });
      if (saved.ok)
        await recordAudit(
          db,
          { userId: user.id, ip: clientInfo(request).ip },
          {
            action: "workflow.template_saved",
            targetType: "workflow_template",
            targetId: saved.template.id,
            details: { subject: start.subject, scope: start.scope, claimType: start.claimType, version: saved.template.version, name },
          },
        );
      return saved;
    });

  if (intent === "json") {
    const submission = parseWithZod(formData, { schema: jsonEditorSchema });
    if (submission.status !== "success") return json({ form: "json" as const, reply: submission.reply(), checked: false }, { status: 400 });
    let definition: unknown;
    try {
      definition = JSON.parse(submission.value.definition);
    } catch {
      return json(
        {
          form: "json" as const,
          reply: submission.reply({ fieldErrors: { definition: [(await serverT(tenant.language, "admin"))("workflowNew.notJson")] } }),
          checked: false,
        },
        { status: 400 },
      );
    }
    const saved = await save(submission.value.name, definition);
    if (!saved.ok)
      return json(
        {
          form: "json" as const,
          reply: submission.reply({
            fieldErrors: { definition: saved.problems.map((p) => (p.stage ? `${p.stage}: ${p.message}` : p.message)) },
          }),
          checked: false,
        },
        { status: 400 },
      );
    return redirect(`/admin/workflows/${saved.template.id}?saved=1`);
  }

  const submission = parseWithZod(formData, { schema: editorSchema(start.handlers.vocabulary) });
  // A stage or an event added, removed or moved without JavaScript: the same form back, changed.
  if (submission.status === undefined) return json({ form: "stages" as const, reply: submission.reply(), checked: false });
  if (submission.status !== "success") return json({ form: "stages" as const, reply: submission.reply(), checked: false }, { status: 400 });
  if (intent === "check") return json({ form: "stages" as const, reply: submission.reply(), checked: true });
  const saved = await save(submission.value.name, toDefinition(submission.value));
  if (!saved.ok)
    return json(
      { form: "stages" as const, reply: submission.reply({ formErrors: saved.problems.map((p) => p.message) }), checked: false },
      { status: saved.conflict ? 409 : 400 },
    );
  return redirect(`/admin/workflows/${saved.template.id}?saved=1`);
}

export default function WorkflowEditor() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  if (data.problem || !data.start || !data.defaults || !data.diagram)
    return (
      <div className="stack">
        <p className="breadcrumbs">
          <Link to="/admin/workflows">{t("workflows.title")}</Link> / {t("workflowNew.newVersion")}
        </p>
        <Alert tone="error" title={t("workflowNew.cannotStart")}>
          {data.problem} <Link to="/admin/workflows">{t("workflowNew.back")}</Link>
        </Alert>
      </div>
    );
  return <Editor start={data.start} defaults={data.defaults} definitionJson={data.definitionJson} diagram={data.diagram} />;
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function Editor({
  start,
  defaults,
  definitionJson,
  diagram,
}: {
  start: NonNullable<Loaded["start"]>;
  defaults: NonNullable<Loaded["defaults"]>;
  definitionJson: string;
  diagram: NonNullable<Loaded["diagram"]>;
}) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const schema = useMemo(() => editorSchema(start.vocabulary), [start.vocabulary]);
  const lastResult = (actionData?.form === "stages" ? actionData.reply : undefined) as SubmissionResult<string[]> | undefined;
  const [form, fields] = useForm({
    id: "workflow-editor",
    lastResult,
    defaultValue: defaults,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const value = (form.value ?? defaults) as { stages?: { key?: string; name?: string }[] };
  const stages = (value.stages ?? []).map((s) => ({ key: s?.key ?? "", name: s?.name ?? "" }));
  const draft = draftDefinition(form.value ?? defaults);
  const shown = useMemo(() => (draft ? layoutWorkflow(draft) : diagram), [draft, diagram]);
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const { t } = useTranslation("admin");

  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/workflows">{t("workflows.title")}</Link> / {start.label}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {start.basedOn === 0
              ? t("workflowNew.firstFor", { scope: start.label.toLowerCase() })
              : t("workflowNew.versionOf", { label: start.label, version: start.basedOn + 1 })}
          </h1>
          <p className="muted">
            {start.from
              ? start.from.scope
                ? t("workflowNew.fromVersionOf", { version: start.from.version, scope: start.from.scope.toLowerCase() })
                : t("workflowNew.fromVersion", { version: start.from.version })
              : t("workflowNew.fromToday")}
            {t(`workflowNew.saving.${start.subject}`)}
          </p>
        </div>
      </div>
      {actionData?.checked ? <Alert tone="success">{t("workflowNew.checked")}</Alert> : null}

      <div className="wf-editor-layout">
        <Form method="post" className="stack" {...getFormProps(form)}>
          <input type="hidden" name="basedOn" value={start.basedOn} />
          <FormErrors errors={form.errors} />
          <NameField field={fields.name} />
          <StageRows form={form} stagesField={fields.stages} vocabulary={start.vocabulary} stages={stages} />
          <Transitions
            form={form}
            field={fields.always}
            vocabulary={start.vocabulary}
            stages={stages}
            hydrated={hydrated}
            legend={t("workflowNew.fromAny")}
          />
          <div className="actions">
            <Button type="submit" name="intent" value="save" busy={busy("save")}>
              {t("workflowNew.save")}
            </Button>
            <Button type="submit" name="intent" value="check" variant="secondary" busy={busy("check")}>
              {t("workflowNew.check")}
            </Button>
          </div>
        </Form>

        <aside className="wf-editor-side stack" aria-labelledby="draft-title">
          <div className="card stack">
            <h2 id="draft-title">{t("workflowNew.asItStands")}</h2>
            {hydrated ? (
              <p className="muted small">{t("workflowNew.redrawn")}</p>
            ) : (
              <p className="muted small">{t("workflowNew.redrawnOnCheck")}</p>
            )}
            <WorkflowDiagramView diagram={shown} id="draft-diagram" title={t("workflowNew.beingEdited")} />
          </div>
          <JsonEditor name={defaults.name} definitionJson={definitionJson} basedOn={start.basedOn} />
        </aside>
      </div>
    </div>
  );
}

function JsonEditor({ name, definitionJson, basedOn }: { name: string; definitionJson: string; basedOn: number }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const reply = actionData?.form === "json" ? (actionData.reply as SubmissionResult<string[]>) : undefined;
  const [form, fields] = useForm({
    id: "workflow-json",
    lastResult: reply,
    defaultValue: { name, definition: definitionJson },
    shouldValidate: "onSubmit",
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "json";
  const { t } = useTranslation("admin");
  const errorText = useErrorText();
  return (
    <details className="card" open={Boolean(reply)}>
      <summary>{t("workflowNew.advanced")}</summary>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="basedOn" value={basedOn} />
        <FormErrors errors={form.errors} />
        <NameField field={fields.name} />
        <div className={`field${fields.definition.errors?.length ? " field-invalid" : ""}`}>
          <label htmlFor={fields.definition.id}>{t("workflowNew.definition")}</label>
          <textarea
            id={fields.definition.id}
            name={fields.definition.name}
            defaultValue={fields.definition.initialValue as string | undefined}
            rows={16}
            spellCheck={false}
            className="mono"
            aria-invalid={fields.definition.errors?.length ? true : undefined}
            aria-describedby={fields.definition.errors?.length ? fields.definition.errorId : undefined}
          />
          {fields.definition.errors?.length ? (
            <ul className="field-error" id={fields.definition.errorId} role="alert">
              {fields.definition.errors.map((e) => (
                <li key={e}>{errorText([e])}</li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="actions">
          <Button type="submit" name="intent" value="json" variant="secondary" busy={busy}>
            {t("workflowNew.saveJson")}
          </Button>
        </div>
      </Form>
    </details>
  );
}

function NameField({ field }: { field: FieldMetadata<string> }) {
  const { key: _key, ...props } = getInputProps(field, { type: "text" });
  const { t } = useTranslation("admin");
  const errorText = useErrorText();
  return (
    <div className={`field${field.errors?.length ? " field-invalid" : ""}`}>
      <label htmlFor={field.id}>{t("workflowNew.name")}</label>
      <input {...props} autoComplete="off" />
      {field.errors?.length ? (
        <p className="field-error" id={field.errorId} role="alert">
          {errorText(field.errors)}
        </p>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Workflow");
