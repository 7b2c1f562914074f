import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { listAudit } from "~/modules/audit/audit.server";
import { auditActionText } from "~/modules/audit/labels";
import { setUserRoles } from "~/modules/auth/accounts.server";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { useErrorText } from "~/components/ui/field";
import { serverT } from "~/modules/i18n/i18n.server";
import { getUserDetail } from "~/modules/auth/users.server";
import { ROLES } from "~/modules/tenancy/manifest";

const rolesSchema = z.object({
  roles: z.array(z.enum(ROLES), { required_error: "Keep at least one role." }).min(1, "Keep at least one role."),
});

const RECENT_ACTIVITY = 10;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user: viewer } = await requirePermission(request, "read:user:any");
  const userId = uuidParam(params, "userId");
  const canAudit = can(viewer.roles, "read:audit:any");
  const { detail, activity } = await withTenant(tenant.id, async (db) => ({
    detail: await getUserDetail(db, userId),
    activity: canAudit ? (await listAudit(db, { page: 1, pageSize: RECENT_ACTIVITY, target: { type: "user", id: userId } })).rows : null,
  }));
  if (!detail) throw new Response("Not found", { status: 404 });
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  const now = Date.now();
  const t = await serverT(tenant.language, "admin");
  return json({
    canEditRoles: can(viewer.roles, "update:user-roles:any"),
    isSelf: viewer.id === detail.id,
    user: {
      id: detail.id,
      name: detail.name,
      email: detail.email,
      phone: detail.phone,
      suspended: detail.status === "suspended",
      verified: detail.email_verified_at !== null,
      invitationPending: !detail.has_password,
      roles: detail.roles,
      joined: formatDate(detail.created_at, tenant.locale, tenant.timeZone),
      lastSeen: detail.last_seen_at ? when(new Date(detail.last_seen_at)) : null,
      activeSessions: detail.active_sessions,
      lockedUntil: detail.locked_until && new Date(detail.locked_until).getTime() > now ? when(new Date(detail.locked_until)) : null,
      lockedNetworks: detail.locked_networks,
      failedLogins: detail.failed_login_count,
    },
    activity: activity?.map((entry) => ({
      id: entry.id,
      action: entry.action,
      label: auditActionText(t, entry.action) ?? entry.action,
      actor: entry.actor_email ?? (entry.actor_operator_id ? t("actor.support") : t("actor.anonymous")),
      at: when(entry.created_at),
      atIso: entry.created_at.toISOString(),
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user: actor } = await requirePermission(request, "update:user-roles:any");
  const userId = uuidParam(params, "userId");
  const submission = parseWithZod(await readForm(request), { schema: rolesSchema });
  if (submission.status !== "success") return json({ reply: submission.reply(), notice: null }, { status: 400 });
  const result = await withTenant(tenant.id, async (db) => {
    if (!(await getUserDetail(db, userId))) return null;
    return setUserRoles(db, { userId, roles: submission.value.roles }, { userId: actor.id, ip: clientInfo(request).ip });
  });
  if (!result) throw new Response("Not found", { status: 404 });
  if (!result.ok) return json({ reply: submission.reply(replyErrors(result.errors)), notice: null }, { status: 400 });
  const t = await serverT(tenant.language, "admin");
  return json({ reply: submission.reply(), notice: t("user.saved") });
}

export default function AdminUser() {
  const { user, activity, canEditRoles, isSelf } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  return (
    <div className="stack">
      <p>
        <Link to="/admin/users">{t("user.allUsers")}</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>{user.name}</h1>
          <p className="muted">{user.email}</p>
        </div>
        <span className="badges">
          {user.roles.map((role) => (
            <span key={role} className={`badge badge-role-${role}`}>
              {t(`roles.${role}`)}
            </span>
          ))}
        </span>
      </div>

      <section className="card" aria-labelledby="details-title">
        <h2 id="details-title">{t("user.details")}</h2>
        <dl className="details-list">
          <dt>{t("user.status")}</dt>
          <dd>
            {user.suspended ? (
              <span className="badge badge-suspended">{t("users.suspended")}</span>
            ) : (
              <span className="badge badge-active">{t("user.active")}</span>
            )}{" "}
            {user.invitationPending ? <span className="badge badge-pending">{t("user.invitationPending")}</span> : null}
          </dd>
          <dt>{t("users.email")}</dt>
          <dd>
            {user.email}{" "}
            {user.verified ? (
              <span className="badge badge-active">{t("user.confirmed")}</span>
            ) : (
              <span className="badge badge-pending">{t("users.notConfirmed")}</span>
            )}
          </dd>
          <dt>{t("user.phone")}</dt>
          <dd>{user.phone ?? <span className="muted">{t("user.notGiven")}</span>}</dd>
          <dt>{t("users.joined")}</dt>
          <dd>{user.joined}</dd>
          <dt>{t("user.lastActive")}</dt>
          <dd>{user.lastSeen ?? <span className="muted">{t("user.neverSignedIn")}</span>}</dd>
          <dt>{t("user.signedInOn")}</dt>
          <dd>{t("user.devices", { count: user.activeSessions })}</dd>
          <dt>{t("user.lock")}</dt>
          <dd>
            {user.lockedUntil ? (
              <span className="badge badge-suspended">
                {user.lockedNetworks === 1
                  ? t("user.lockedOneNetwork", { date: user.lockedUntil })
                  : t("user.lockedNetworks", { date: user.lockedUntil, networks: user.lockedNetworks })}
              </span>
            ) : user.failedLogins > 0 ? (
              t("user.failed", { count: user.failedLogins })
            ) : (
              t("user.notLocked")
            )}
          </dd>
        </dl>
      </section>

      {canEditRoles ? <RolesForm roles={user.roles} isSelf={isSelf} /> : null}

      {activity ? (
        <section className="card" aria-labelledby="activity-title">
          <div className="page-head">
            <h2 id="activity-title">{t("user.recent")}</h2>
            <Link to="/admin/audit">{t("user.auditLog")}</Link>
          </div>
          {activity.length === 0 ? (
            <p className="empty">{t("user.nothing")}</p>
          ) : (
            <ul className="activity">
              {activity.map((entry) => (
                <li key={entry.id}>
                  <time dateTime={entry.atIso}>{entry.at}</time>
                  <span>
                    {entry.label} <span className="muted">{t("user.by", { actor: entry.actor })}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}

function RolesForm({ roles, isSelf }: { roles: string[]; isSelf: boolean }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "roles",
    lastResult: actionData?.reply,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: rolesSchema }),
  });
  const { t } = useTranslation("admin");
  const errorText = useErrorText();
  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">{t("user.roles")}</h2>
      {actionData?.notice ? <Alert tone="success">{actionData.notice}</Alert> : null}
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <fieldset aria-describedby={fields.roles.errors ? fields.roles.errorId : undefined}>
          <legend>{t("user.whatCanDo")}</legend>
          {ROLES.map((role) => (
            <div className="checkbox role-option" key={role}>
              <input type="checkbox" id={`role-${role}`} name={fields.roles.name} value={role} defaultChecked={roles.includes(role)} />
              <label htmlFor={`role-${role}`}>
                <strong>{t(`roles.${role}`)}</strong> <span className="muted">— {t(`user.roleDescriptions.${role}`)}</span>
              </label>
            </div>
          ))}
          {fields.roles.errors ? (
            <p className="field-error" id={fields.roles.errorId} role="alert">
              {errorText(fields.roles.errors)}
            </p>
          ) : null}
        </fieldset>
        {isSelf ? <p className="muted">{t("user.self")}</p> : null}
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            {t("user.save")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? data.user.name : "User");
