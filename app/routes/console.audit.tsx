import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { withPlatform } from "~/lib/db.server";
import { SelectField } from "~/components/console/fields";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { auditActionLabel, auditSummary, PLATFORM_AUDIT_ACTIONS } from "~/modules/platform/audit-actions";
import { listPlatformAudit, tenantChoices } from "~/modules/platform/console.server";
import { requireOperator } from "~/modules/platform/operators.server";
import { lineText } from "~/lib/text";

// Filters come from a GET form (shareable links); a value that is not well-formed is ignored.
const filterSchema = z.object({
  action: lineText()
    .regex(/^[a-z_]+\.[a-z_.]+$/)
    .max(60)
    .optional()
    .catch(undefined),
  tenant: lineText().uuid().optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOperator(request);
  const url = new URL(request.url);
  const filter = filterSchema.parse({
    action: url.searchParams.get("action") || undefined,
    tenant: url.searchParams.get("tenant") || undefined,
  });
  const page = pageFrom(request);
  const { tenants, audit } = await withPlatform(async (db) => ({
    tenants: await tenantChoices(db),
    audit: await listPlatformAudit(db, { page, action: filter.action, tenantId: filter.tenant }),
  }));
  return json({ tenants, filter, page, ...audit });
}

const ACTION_CHOICES = Object.entries(PLATFORM_AUDIT_ACTIONS).map(([value, label]) => ({ value, label }));

export default function ConsoleAudit() {
  const { tenants, filter, page, rows, hasMore } = useLoaderData<typeof loader>();
  const filtering = Boolean(filter.action || filter.tenant);
  return (
    <section>
      <div className="page-head">
        <div>
          <h1>Platform audit log</h1>
          <p className="muted">What operators did: sign-ins (and failed ones), onboarding, branding, suspensions. Times are in UTC.</p>
        </div>
      </div>
      <Form method="get" className="filters" aria-label="Filter the audit log">
        <SelectField
          id="audit-action"
          name="action"
          label="Action"
          defaultValue={filter.action ?? ""}
          placeholder="All actions"
          choices={ACTION_CHOICES}
        />
        <SelectField
          id="audit-tenant"
          name="tenant"
          label="Agency"
          defaultValue={filter.tenant ?? ""}
          placeholder="All agencies"
          choices={tenants.map((t) => ({ value: t.id, label: t.name }))}
        />
        <Button type="submit" variant="secondary">
          Show
        </Button>
        {filtering ? <Link to="/console/audit">Clear filters</Link> : null}
      </Form>
      {rows.length === 0 ? (
        <div className="card empty">
          <p>{page > 1 ? "No more entries." : filtering ? "No entries match these filters." : "Nothing recorded yet."}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data console-table">
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Action</th>
                <th scope="col">Operator</th>
                <th scope="col">Agency</th>
                <th scope="col">IP address</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.id}
                  className={row.action === "auth.sign_in_failed" || row.action === "auth.lockout" ? "audit-warning" : undefined}
                >
                  <td data-label="Time (UTC)">
                    <time dateTime={row.created_at}>{formatDateTime(row.created_at, "en-GB", "UTC")}</time>
                  </td>
                  <td data-label="Action">{auditActionLabel(row.action)}</td>
                  <td data-label="Operator" className="break">
                    {row.operator_email ?? (row.target_type === "operator" && row.target_id ? `Unknown: ${row.target_id}` : "—")}
                  </td>
                  <td data-label="Agency">
                    {row.subject_tenant ? <Link to={`/console/tenants/${row.subject_tenant}`}>{row.tenant_name ?? "Agency"}</Link> : "—"}
                  </td>
                  <td data-label="IP address">{row.ip || "—"}</td>
                  <td data-label="Details">{auditSummary(row.details) || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Audit log");
