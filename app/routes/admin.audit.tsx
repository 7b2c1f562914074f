// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { listAudit } from "~/modules/audit/audit.server";
import { AUDIT_ACTION_LABELS, AUDIT_ACTION_PREFIXES, auditActionLabel } from "~/modules/audit/labels";
import { requirePermission } from "~/modules/auth/guards.server";
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
  return json({
    action: filters.action ?? "",
    page,
    hasMore: result.hasMore,
    timeZone: tenant.timeZone,
    entries: result.rows.map((entry) => ({
      id: entry.id,
      action: entry.action,
      label: auditActionLabel(entry.action) ?? null,
      actor: entry.actor_email ?? (entry.actor_operator_id ? "Covera support" : null),
      actorId: entry.actor_user_id,
      // A user who still exists links to their page; anything else (an email someone typed at
      // sign-in, another kind of record) is shown as text.
      target: entry.target_user_id
        ? { kind: "user" as const, id: entry.target_user_id, text: entry.target_email ?? "User" }
        : entry.target_id
          ? { kind: "text" as const, text: `${entry.target_type ?? ""} ${entry.target_id}`.trim() }
          : null,
      ip: entry.ip,
      details: describeDetails(entry.details),
      at: formatDateTime(entry.created_at, tenant.locale, tenant.timeZone),
      atIso: entry.created_at.toISOString(),
    })),
  });
}

/** "before: admin → after: admin, staff": details as short readable pairs. */
function describeDetails(details: Record<string, unknown>): { key: string; value: string }[] {
  // jsonb sorts keys by length; "before" reads better before "after".
  const order = (key: string) => ["before", "after"].indexOf(key) + 1 || 3;
  const entries = Object.entries(details ?? {}).sort(([a], [b]) => order(a) - order(b));
  return entries.map(([key, value]) => ({
    key,
    value: Array.isArray(value)
      ? value.join(", ") || "none"
      : typeof value === "object" && value !== null
        ? JSON.stringify(value)
        : String(value),
  }));
}

export default function AdminAudit() {
  const { action, page, hasMore, timeZone, entries } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p className="muted">
            Every sign-in, account change and administrative action, newest first. Times in {timeZone.replace("_", " ")}.
          </p>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter the audit log">
        <div className="field grow">
          <label htmlFor="audit-action">Action starts with</label>
          <input id="audit-action" type="search" name="action" list="audit-actions" defaultValue={action} placeholder="e.g. auth." />
          <datalist id="audit-actions">
            {AUDIT_ACTION_PREFIXES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
            {Object.entries(AUDIT_ACTION_LABELS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </datalist>
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {action ? <Link to="/admin/audit">Clear</Link> : null}
      </Form>
      {entries.length === 0 ? (
        <div className="card empty">
          {action ? (
            <p>
              No entries start with “{action}”. <Link to="/admin/audit">Show everything</Link>
            </p>
          ) : (
            <p>Nothing has been recorded yet. Sign-ins, sign-ups and changes will appear here.</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">By</th>
                <th scope="col">About</th>
                <th scope="col">IP address</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td data-label="When">
                    <time dateTime={entry.atIso}>{entry.at}</time>
                  </td>
                  <td data-label="Action">
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
                  <td data-label="By">
                    {entry.actor && entry.actorId ? (
                      <Link to={`/admin/users/${entry.actorId}`}>{entry.actor}</Link>
                    ) : (
                      (entry.actor ?? <span className="muted">Not signed in</span>)
                    )}
                  </td>
                  <td data-label="About">
                    {entry.target?.kind === "user" ? (
                      <Link to={`/admin/users/${entry.target.id}`}>{entry.target.text}</Link>
                    ) : entry.target?.kind === "text" ? (
                      <span className="break">{entry.target.text}</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td data-label="IP address">{entry.ip || <span className="muted">—</span>}</td>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Audit log");
