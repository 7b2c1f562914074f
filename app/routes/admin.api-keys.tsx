import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import {
  API_SCOPE_NAMES,
  apiSettings,
  apiSettingsSchema,
  createKeyFor,
  MAX_ORIGINS,
  newKeySchema,
  revokeKeyFor,
  saveApiSettings,
} from "~/modules/api/settings-admin.server";
import { listApiKeys } from "~/modules/auth/api-keys.server";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * /admin/api-keys — partners' API keys (created with scopes, shown once, revoked) and the agency's
 * API settings: sites allowed to call it from a browser and the hourly allowances (decision 045).
 */
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "API");

const revokeSchema = z.object({ keyId: lineText("Choose a key").uuid("That key does not exist") });

/** i18next reads ":" as its namespace separator, so a scope's key spells it "_". */
const scopeKey = (scope: string) => `apiKeys.scopes.${scope.replace(":", "_")}`;

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:api:any");
  const t = await serverT(tenant.language, "admin");
  const { keys, settings } = await withTenant(tenant.id, async (db) => ({ keys: await listApiKeys(db), settings: await apiSettings(db) }));
  const when = (value: Date | null) => (value ? formatDateTime(value, tenant.locale, tenant.timeZone) : null);
  return json({
    title: t("apiKeys.title"),
    scopes: API_SCOPE_NAMES,
    maxOrigins: MAX_ORIGINS,
    keys: keys.map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      scopes: k.scopes,
      createdAt: when(k.created_at),
      lastUsedAt: when(k.last_used_at),
      revokedAt: when(k.revoked_at),
    })),
    settings: { ...settings, origins: settings.origins.join("\n") },
  });
}

type Intent = "create-key" | "revoke-key" | "save-settings";
const respond = (intent: Intent, body: { errors?: Record<string, string[]>; created?: { name: string; key: string } }, status = 200) =>
  json({ intent, ...body }, { status });

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:api:any");
  const form = await readForm(request);
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  switch (form.get("intent")) {
    case "create-key": {
      const parsed = newKeySchema.safeParse({ name: form.get("name") ?? undefined, scopes: form.getAll("scopes") });
      if (!parsed.success) return respond("create-key", { errors: parsed.error.flatten().fieldErrors }, 400);
      const created = await withTenant(tenant.id, (db) => createKeyFor(db, parsed.data, actor));
      // Answered, not redirected: the key is shown on this one answer and can never be read again.
      return respond("create-key", { created: { name: parsed.data.name, key: created.key } });
    }
    case "revoke-key": {
      const parsed = revokeSchema.safeParse({ keyId: form.get("keyId") ?? undefined });
      if (!parsed.success) return respond("revoke-key", { errors: { form: ["That key does not exist"] } }, 400);
      const revoked = await withTenant(tenant.id, (db) => revokeKeyFor(db, parsed.data.keyId, actor));
      if (!revoked) return respond("revoke-key", { errors: { form: ["That key was already revoked"] } }, 404);
      return redirect("/admin/api-keys?revoked=1");
    }
    case "save-settings": {
      const parsed = apiSettingsSchema.safeParse({
        origins: form.get("origins") ?? undefined,
        anonymousPerHour: form.get("anonymousPerHour") ?? undefined,
        authenticatedPerHour: form.get("authenticatedPerHour") ?? undefined,
      });
      if (!parsed.success) return respond("save-settings", { errors: parsed.error.flatten().fieldErrors }, 400);
      await withTenant(tenant.id, (db) => saveApiSettings(db, parsed.data, actor));
      return redirect("/admin/api-keys?saved=1#settings");
    }
    default:
      return respond("create-key", { errors: { form: ["We did not understand that request. Please try again."] } }, 400);
  }
}

export default function ApiKeysPage() {
  const { keys, scopes, settings, maxOrigins } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const { t } = useTranslation("admin");
  const errorText = useErrorText();
  const errorsFor = (intent: Intent, field: string) => (result?.intent === intent ? result.errors?.[field] : undefined);
  const created = result?.intent === "create-key" ? result.created : undefined;

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("apiKeys.title")}</h1>
          <p className="muted">{t("apiKeys.intro")}</p>
        </div>
      </div>

      {created ? (
        <Alert tone="success" title={t("apiKeys.createdTitle")}>
          <p>{t("apiKeys.createdBody", { name: created.name })}</p>
          <Field id="new-api-key" data-testid="new-api-key" label={t("apiKeys.newKey")} value={created.key} readOnly />
        </Alert>
      ) : null}
      {params.get("revoked") === "1" ? <Alert tone="success">{t("apiKeys.revoked")}</Alert> : null}
      {errorsFor("revoke-key", "form") ? <Alert tone="error">{errorText(errorsFor("revoke-key", "form"))}</Alert> : null}

      <section className="card" aria-labelledby="new-key-title">
        <h2 id="new-key-title">{t("apiKeys.newTitle")}</h2>
        <Form method="post" className="form-narrow">
          <input type="hidden" name="intent" value="create-key" />
          {errorsFor("create-key", "form") ? <Alert tone="error">{errorText(errorsFor("create-key", "form"))}</Alert> : null}
          <Field
            id="key-name"
            name="name"
            label={t("apiKeys.name")}
            hint={t("apiKeys.nameHint")}
            required
            maxLength={80}
            errors={errorsFor("create-key", "name")}
          />
          <fieldset className="field">
            <legend>{t("apiKeys.scopesLegend")}</legend>
            {scopes.map((scope) => (
              <div key={scope} className="checkbox">
                <input type="checkbox" id={`scope-${scope}`} name="scopes" value={scope} />
                <label htmlFor={`scope-${scope}`}>
                  <code>{scope}</code> {t(scopeKey(scope))}
                </label>
              </div>
            ))}
            {errorsFor("create-key", "scopes") ? (
              <p className="field-error" role="alert">
                {errorText(errorsFor("create-key", "scopes"))}
              </p>
            ) : null}
          </fieldset>
          <div className="actions">
            <Button type="submit" busy={navigation.formData?.get("intent") === "create-key"}>
              {t("apiKeys.create")}
            </Button>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">{t("apiKeys.keysTitle")}</h2>
        {keys.length === 0 ? (
          <p className="muted">{t("apiKeys.noKeys")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("apiKeys.name")}</th>
                  <th scope="col">{t("apiKeys.prefix")}</th>
                  <th scope="col">{t("apiKeys.scopesColumn")}</th>
                  <th scope="col">{t("apiKeys.created")}</th>
                  <th scope="col">{t("apiKeys.lastUsed")}</th>
                  <th scope="col">{t("apiKeys.status")}</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => (
                  <tr key={key.id}>
                    <td data-label={t("apiKeys.name")}>{key.name}</td>
                    <td data-label={t("apiKeys.prefix")}>
                      <code>{key.prefix}…</code>
                    </td>
                    <td data-label={t("apiKeys.scopesColumn")}>{key.scopes.join(", ")}</td>
                    <td data-label={t("apiKeys.created")}>{key.createdAt}</td>
                    <td data-label={t("apiKeys.lastUsed")}>{key.lastUsedAt ?? t("apiKeys.never")}</td>
                    <td data-label={t("apiKeys.status")}>
                      {key.revokedAt ? (
                        <span className="badge">{t("apiKeys.revokedOn", { date: key.revokedAt })}</span>
                      ) : (
                        // <details> asks for confirmation without JavaScript.
                        <details>
                          <summary>{t("apiKeys.revoke")}</summary>
                          <Form method="post">
                            <p>{t("apiKeys.revokeConfirm", { name: key.name })}</p>
                            <input type="hidden" name="intent" value="revoke-key" />
                            <input type="hidden" name="keyId" value={key.id} />
                            <Button type="submit" variant="danger" className="btn-small">
                              {t("apiKeys.revokeYes")}
                            </Button>
                          </Form>
                        </details>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" id="settings" aria-labelledby="settings-title">
        <h2 id="settings-title">{t("apiKeys.settingsTitle")}</h2>
        {params.get("saved") === "1" ? <Alert tone="success">{t("apiKeys.saved")}</Alert> : null}
        <Form method="post" className="form-narrow">
          <input type="hidden" name="intent" value="save-settings" />
          <div className="field">
            <label htmlFor="origins">{t("apiKeys.origins")}</label>
            <textarea id="origins" name="origins" rows={5} defaultValue={settings.origins} aria-describedby="origins-hint origins-error" />
            <p id="origins-hint" className="field-hint">
              {t("apiKeys.originsHint", { max: maxOrigins })}
            </p>
            <p id="origins-error" className="field-error" role="alert">
              {errorText(errorsFor("save-settings", "origins"))}
            </p>
          </div>
          <Field
            id="anonymous"
            name="anonymousPerHour"
            type="number"
            min={1}
            max={1000000}
            required
            label={t("apiKeys.anonymous")}
            defaultValue={settings.anonymousPerHour}
            errors={errorsFor("save-settings", "anonymousPerHour")}
          />
          <Field
            id="authenticated"
            name="authenticatedPerHour"
            type="number"
            min={1}
            max={1000000}
            required
            label={t("apiKeys.authenticated")}
            defaultValue={settings.authenticatedPerHour}
            errors={errorsFor("save-settings", "authenticatedPerHour")}
          />
          <div className="actions">
            <Button type="submit" busy={navigation.formData?.get("intent") === "save-settings"}>
              {t("apiKeys.save")}
            </Button>
          </div>
        </Form>
      </section>
    </div>
  );
}
