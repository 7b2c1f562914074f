import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { listAudit } from "~/modules/audit/audit.server";
import { AUDIT_ACTION_LABELS, AUDIT_ACTION_PREFIXES, auditActionText, auditPrefixText } from "~/modules/audit/labels";
import { requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { lineText } from "~/lib/text";

// Action codes are lowercase words joined by dots and underscores; anything else matches nothing.
const filtersSchema = z.object({
  action: lineText()
    .toLowerCase()
    .max(60)
    .regex(/^[a-z_.-]+$/)
    .optional()
    .catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:audit:any");
  const filters = filtersSchema.parse({ action: new URL(request.url).searchParams.get("action") || undefined });
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listAudit(db, { page, action: filters.action }));
  const t = await serverT(tenant.language, "admin");
  return json({
    title: t("audit.title"),
    action: filters.action ?? "",
    page,
    hasMore: result.hasMore,
    timeZone: tenant.timeZone,
    entries: result.rows.map((entry) => ({
      id: entry.id,
      action: entry.action,
      label: auditActionText(t, entry.action) ?? null,
      actor: entry.actor_email ?? (entry.actor_operator_id ? t("actor.support") : null),
      actorId: entry.actor_user_id,
      // A user who still exists links to their page; anything else (an email someone typed at
      // sign-in, another kind of record) is shown as text.
      target: entry.target_user_id
        ? { kind: "user" as const, id: entry.target_user_id, text: entry.target_email ?? t("audit.user") }
        : entry.target_id
          ? { kind: "text" as const, text: `${entry.target_type ?? ""} ${entry.target_id}`.trim() }
          : null,
      ip: entry.ip,
      details: describeDetails(entry.details, t("audit.none")),
      at: formatDateTime(entry.created_at, tenant.locale, tenant.timeZone),
      atIso: entry.created_at.toISOString(),
    })),
  });
}

/** "before: admin → after: admin, staff": details as short readable pairs. */
function describeDetails(details: Record<string, unknown>, none: string): { key: string; value: string }[] {
  // jsonb sorts keys by length; "before" reads better before "after".
  const order = (key: string) => ["before", "after"].indexOf(key) + 1 || 3;
  const entries = Object.entries(details ?? {}).sort(([a], [b]) => order(a) - order(b));
  return entries.map(([key, value]) => ({
    key,
    value: Array.isArray(value)
      ? value.join(", ") || none
      : typeof value === "object" && value !== null
        ? JSON.stringify(value)
        : String(value),
  }));
}

export default function AdminAudit() {
  const { action, page, hasMore, timeZone, entries } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  const common = useTranslation("common").t;
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>{t("audit.title")}</h1>
          <p className="muted">{t("audit.intro", { zone: timeZone.replace("_", " ") })}</p>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("audit.filter")}>
        <div className="field grow">
          <label htmlFor="audit-action">{t("audit.startsWith")}</label>
          <input
            id="audit-action"
            type="search"
            name="action"
            list="audit-actions"
            defaultValue={action}
            placeholder={t("audit.example")}
          />
          <datalist id="audit-actions">
            {AUDIT_ACTION_PREFIXES.map((p) => (
              <option key={p.value} value={p.value}>
                {auditPrefixText(t, p)}
              </option>
            ))}
            {Object.keys(AUDIT_ACTION_LABELS).map((code) => (
              <option key={code} value={code}>
                {auditActionText(t, code)}
              </option>
            ))}
          </datalist>
        </div>
        <Button type="submit" variant="secondary">
          {common("filters.filter")}
        </Button>
        {action ? <Link to="/admin/audit">{common("filters.clear")}</Link> : null}
      </Form>
      {entries.length === 0 ? (
        <div className="card empty">
          {action ? (
            <p>
              {t("audit.noMatch", { action })} <Link to="/admin/audit">{t("audit.showAll")}</Link>
            </p>
          ) : (
            <p>{t("audit.empty")}</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.by")}</th>
                <th scope="col">{t("audit.about")}</th>
                <th scope="col">{t("audit.ip")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td data-label={t("audit.when")}>
                    <time dateTime={entry.atIso}>{entry.at}</time>
                  </td>
                  <td data-label={t("audit.action")}>
                    <span className="audit-action">
                      {entry.label ? <span>{entry.label}</span> : null}
                      <code>{entry.action}</code>
                      {entry.details.length > 0 ? (
                        <span className="audit-details">
                          {entry.details.map((d) => (
                            <span key={d.key}>
                              {d.key}: {d.value}
                            </span>
                          ))}
                        </span>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t("audit.by")}>
                    {entry.actor && entry.actorId ? (
                      <Link to={`/admin/users/${entry.actorId}`}>{entry.actor}</Link>
                    ) : (
                      (entry.actor ?? <span className="muted">{t("audit.notSignedIn")}</span>)
                    )}
                  </td>
                  <td data-label={t("audit.about")}>
                    {entry.target?.kind === "user" ? (
                      <Link to={`/admin/users/${entry.target.id}`}>{entry.target.text}</Link>
                    ) : entry.target?.kind === "text" ? (
                      <span className="break">{entry.target.text}</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td data-label={t("audit.ip")}>{entry.ip || <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Audit log");
