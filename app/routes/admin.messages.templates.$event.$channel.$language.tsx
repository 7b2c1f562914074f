import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { TextareaField, textareaProps } from "~/components/console/fields";
import { useHydrated } from "~/components/console/use-hydrated";
import { TemplatePreviewPanel } from "~/components/messages/template-preview";
import { TemplateVariables } from "~/components/messages/template-variables";
import { TemplateVersions } from "~/components/messages/template-versions";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { formatDateTime } from "~/lib/dates";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { LANGUAGE_NAMES } from "~/lib/languages";
import { pageTitle } from "~/lib/meta";
import styles from "~/styles/messages.css";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { EVENTS } from "~/modules/notifications/events";
import {
  BODY_LIMITS,
  CHANNEL_LABELS,
  hasSubject,
  previewSchema,
  previewTemplate,
  resetTemplate,
  restoreVersion,
  saveTemplate,
  StaleTemplateError,
  templateAddress,
  templateEditorState,
  templateSchema,
  type TemplateAddress,
} from "~/modules/notifications/template-editor.server";

/**
 * /admin/messages/templates/:event/:channel/:language — one template's editor (issue 14, decision
 * 041): the wording, its variables, a preview rendered the way it is sent, save, reset to the
 * default and the versions. Every action is a plain POST; JavaScript only adds variable buttons
 * and a preview that follows the typing.
 */
const PERMISSION = "manage:messaging:any";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

async function addressOf(request: Request, params: LoaderFunctionArgs["params"]) {
  const session = await requirePermission(request, PERMISSION);
  const address = templateAddress(params, session.tenant.languages);
  if (!address) throw new Response("This message has no such template.", { status: 404 });
  return { ...session, address };
}

const brandOf = (tenant: { name: string; branding: { colors?: { primary?: string } } }) => ({
  tenantName: tenant.name,
  primaryColor: tenant.branding.colors?.primary,
});

const pathOf = (a: TemplateAddress) => `/admin/messages/templates/${a.event}/${a.channel}/${a.language}`;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, address } = await addressOf(request, params);
  const state = await withTenant(tenant.id, (db) => templateEditorState(db, address));
  const definition = EVENTS[address.event];
  const t = await serverT(tenant.language, "admin-messages");
  const eventLabel = t(`events.${address.event}`, { defaultValue: definition.label });
  const channelLabel = t(`channel.${address.channel}`, { defaultValue: CHANNEL_LABELS[address.channel] });
  const languageName = LANGUAGE_NAMES[address.language];
  return json({
    title: t("editor.title", { event: eventLabel, channel: channelLabel, language: languageName }),
    address,
    eventLabel,
    channelLabel,
    languageName,
    // Descriptions are looked up by their English sentence (one may hold ":").
    variables: Object.entries(definition.variables).map(([name, v]) => ({
      name,
      ...v,
      description: t(`variableDescription.${v.description}`, { nsSeparator: false, defaultValue: v.description }),
    })),
    bodyLimit: BODY_LIMITS[address.channel],
    withSubject: hasSubject(address.channel),
    ...state,
    versions: state.versions.map((v) => ({
      ...v,
      createdAt: new Date(v.createdAt).toISOString(),
      when: formatDateTime(v.createdAt, tenant.locale, tenant.timeZone),
    })),
    preview: previewTemplate({ ...address, subject: state.subject, body: state.body, brand: brandOf(tenant) }),
  });
}

const intentSchema = z.enum(["preview", "save", "reset", "restore"]);
const changeSchema = z.object({
  expectedVersion: z.coerce.number().int().min(0),
  version: z.coerce.number().int().min(1).optional(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user, address } = await addressOf(request, params);
  const form = await readForm(request);
  const intent = intentSchema.safeParse(form.get("intent"));
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  const actor = { ...address, userId: user.id, ip: clientInfo(request).ip };
  const here = pathOf(address);

  if (intent.data === "preview") {
    const submission = parseWithZod(form, { schema: previewSchema });
    if (submission.status !== "success") return json({ intent: "preview" as const, reply: submission.reply(), preview: null }, 400);
    const preview = previewTemplate({ ...address, ...submission.value, body: submission.value.body ?? "", brand: brandOf(tenant) });
    return json({ intent: "preview" as const, reply: submission.reply(), preview });
  }

  if (intent.data === "save") {
    const submission = parseWithZod(form, { schema: templateSchema(address.event, address.channel) });
    if (submission.status !== "success") return json({ intent: "save" as const, reply: submission.reply(), preview: null }, 400);
    try {
      const version = await withTenant(tenant.id, (db) => saveTemplate(db, { ...actor, ...submission.value }));
      return redirect(`${here}?saved=${version}`);
    } catch (error) {
      if (!(error instanceof StaleTemplateError)) throw error;
      const t = await serverT(tenant.language, "admin-messages");
      const message = t("editor.stale", { version: error.latest });
      return json({ intent: "save" as const, reply: submission.reply({ formErrors: [message] }), preview: null }, 409);
    }
  }

  const change = changeSchema.safeParse({ expectedVersion: form.get("expectedVersion"), version: form.get("version") ?? undefined });
  if (!change.success) throw new Response("Reload the page and try again.", { status: 400 });
  try {
    if (intent.data === "reset") {
      const version = await withTenant(tenant.id, (db) => resetTemplate(db, { ...actor, expectedVersion: change.data.expectedVersion }));
      return redirect(`${here}?reset=${version ?? "unchanged"}`);
    }
    if (!change.data.version) throw new Response("Choose a version to restore.", { status: 400 });
    const restored = change.data.version;
    const version = await withTenant(tenant.id, (db) =>
      restoreVersion(db, { ...actor, expectedVersion: change.data.expectedVersion, version: restored }),
    );
    if (version === null) throw new Response("There is no such version.", { status: 404 });
    return redirect(`${here}?restored=${restored}`);
  } catch (error) {
    if (!(error instanceof StaleTemplateError)) throw error;
    const t = await serverT(tenant.language, "admin-messages");
    return json({ intent: intent.data, reply: null, preview: null, conflict: t("editor.stale", { version: error.latest }) }, 409);
  }
}

type ActionData = {
  intent: "preview" | "save" | "reset" | "restore";
  reply: SubmissionResult<string[]> | null;
  preview: ReturnType<typeof previewTemplate> | null;
  conflict?: string;
};

export default function TemplateEditorPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const previewer = useFetcher<typeof action>();
  const { address } = data;
  const { withSubject } = data;
  const { t, i18n } = useTranslation("admin-messages");
  const posting = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  const [form, fields] = useForm({
    // A new version opens a fresh form with what was saved.
    id: `template-${data.version}`,
    lastResult: actionData?.intent === "save" || actionData?.intent === "preview" ? actionData.reply : undefined,
    defaultValue: { subject: data.subject, body: data.body },
    shouldValidate: "onSubmit",
  });

  // Typing updates the preview (same server rendering as sending), a moment after the last key.
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const formRef = useRef<HTMLFormElement>(null);
  // A preview typed before a save, reset or restore is not the new version's.
  const [previewedVersion, setPreviewedVersion] = useState<number | null>(null);
  useEffect(() => () => clearTimeout(timer.current), []);
  const refreshPreview = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!formRef.current) return;
      const body = new FormData(formRef.current);
      body.set("intent", "preview");
      setPreviewedVersion(data.version);
      previewer.submit(body, { method: "post" });
    }, 350);
  };
  const fetched = previewer.data as ActionData | undefined;
  const preview = (previewedVersion === data.version ? fetched?.preview : null) ?? actionData?.preview ?? data.preview;

  const saved = params.get("saved");
  const reset = params.get("reset");
  const restored = params.get("restored");
  const confirmingReset = params.get("confirm") === "reset";

  return (
    <div className="stack template-editor">
      <p className="breadcrumbs">
        <Link to="/admin/messages/templates">{t("templates.title")}</Link> / {data.eventLabel}
      </p>
      <div className="page-head">
        <div>
          <h1>{t("editor.heading", { event: data.eventLabel, channel: data.channelLabel, language: data.languageName })}</h1>
          <p className="muted">
            {data.source === "agency" ? t("editor.agencyWording", { version: data.version }) : t("editor.defaultWording")}
          </p>
        </div>
      </div>

      {saved && !actionData ? <Alert tone="success" title={t("editor.saved", { version: saved })} /> : null}
      {reset && !actionData ? (
        <Alert tone="success" title={reset === "unchanged" ? t("editor.resetUnchanged") : t("editor.resetDone")} />
      ) : null}
      {restored && !actionData ? <Alert tone="success" title={t("editor.restored", { version: restored })} /> : null}
      {actionData?.conflict ? <Alert tone="error" title={actionData.conflict} /> : null}
      {address.channel === "whatsapp" ? (
        <Alert tone="info" title={t("editor.whatsappTitle")}>
          {t("editor.whatsappBody")}
        </Alert>
      ) : null}

      <div className="template-editor-grid">
        <Form
          method="post"
          className="card stack"
          ref={formRef}
          {...getFormProps(form)}
          onChange={hydrated ? refreshPreview : undefined}
          aria-labelledby="template-form-title"
        >
          <h2 id="template-form-title">{t("editor.wording")}</h2>
          <FormErrors errors={form.errors} />
          {/* A subject posted for a channel without one has no field to show its error by. */}
          {withSubject ? null : <FormErrors errors={fields.subject.errors} />}
          <input type="hidden" name="expectedVersion" value={data.version} />
          {withSubject ? (
            <Field
              label={address.channel === "email" ? t("editor.subject") : t("editor.heading2")}
              data-template-field
              {...inputProps(fields.subject, { type: "text" })}
            />
          ) : null}
          <TextareaField
            label={t("editor.message")}
            rows={address.channel === "email" ? 12 : 6}
            data-template-field
            hint={
              address.channel === "email"
                ? t("editor.emailHint", { link: "{{link}}" })
                : t("editor.limitHint", { limit: data.bodyLimit.toLocaleString(i18n.language) })
            }
            {...textareaProps(fields.body)}
          />
          <div className="actions">
            <Button type="submit" name="intent" value="save" busy={posting("save")}>
              {t("editor.save")}
            </Button>
            <Button type="submit" name="intent" value="preview" variant="secondary" busy={posting("preview")}>
              {t("editor.preview")}
            </Button>
          </div>
        </Form>

        <div className="stack">
          <TemplateVariables variables={data.variables} formId={form.id} onInsert={refreshPreview} />
          <TemplatePreviewPanel channel={address.channel} preview={preview} />
        </div>
      </div>

      <section className="card stack" aria-labelledby="template-reset-title">
        <h2 id="template-reset-title">{t("editor.defaultTitle")}</h2>
        {data.shipped ? (
          <div className="template-default">
            {data.shipped.subject ? <p className="template-default-subject">{data.shipped.subject}</p> : null}
            <pre className="template-text">{data.shipped.body}</pre>
          </div>
        ) : (
          <p className="muted">{t("editor.noDefault")}</p>
        )}
        {data.source === "agency" ? (
          confirmingReset ? (
            <Form method="post" className="stack" aria-labelledby="template-reset-confirm">
              <p id="template-reset-confirm">
                <strong>{t("editor.resetQuestion")}</strong> {t("editor.resetExplain")}
              </p>
              <input type="hidden" name="expectedVersion" value={data.version} />
              <div className="actions">
                <Button type="submit" name="intent" value="reset" variant="danger" busy={posting("reset")}>
                  {t("editor.resetConfirm")}
                </Button>
                <Link className="btn btn-secondary" to={pathOf(address)} replace>
                  {t("editor.cancel")}
                </Link>
              </div>
            </Form>
          ) : (
            <p>
              <Link className="btn btn-secondary" to="?confirm=reset">
                {t("editor.reset")}
              </Link>
            </p>
          )
        ) : null}
      </section>

      <TemplateVersions versions={data.versions} latest={data.version} busy={posting("restore")} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Message template");
