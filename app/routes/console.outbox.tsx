import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { z } from "zod";
import { withPlatform } from "~/lib/db.server";
import { SelectField } from "~/components/console/fields";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { LinkedText } from "~/components/linked-text";
import { MessageChannel } from "~/components/messages/message-channel";
import { reviewableBody } from "~/modules/notifications/review";
import { listAllMessages, tenantChoices } from "~/modules/platform/console.server";
import { requireOperator } from "~/modules/platform/operators.server";
import { lineText } from "~/lib/text";

// The filter is a GET form, so a filtered page is a link one can share; a bad value is ignored.
const filterSchema = z.object({ tenant: lineText().uuid().optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOperator(request);
  const url = new URL(request.url);
  const filter = filterSchema.parse({ tenant: url.searchParams.get("tenant") || undefined });
  const page = pageFrom(request);
  const { tenants, messages } = await withPlatform(async (db) => ({
    tenants: await tenantChoices(db),
    messages: await listAllMessages(db, { page, tenantId: filter.tenant }),
  }));
  const rows = messages.rows.map((m) => ({ ...m, body_text: reviewableBody(m) }));
  return json({ tenants, filter, page, rows, hasMore: messages.hasMore });
}

const STATUS_LABELS: Record<string, string> = {
  queued: "Queued",
  outbox: "In outbox",
  sent: "Sent",
  delivered: "Delivered",
  failed: "Failed",
  suppressed: "Not sent: turned off by the customer",
};

export default function ConsoleOutbox() {
  const { tenants, filter, page, rows, hasMore } = useLoaderData<typeof loader>();
  const filtered = tenants.find((t) => t.id === filter.tenant);
  return (
    <section>
      <div className="page-head">
        <div>
          <h1>Outbox</h1>
          <p className="muted">
            Every email and text message the agencies send. Without a provider they stop here: open one to read it and follow its links.
          </p>
        </div>
      </div>
      <Form method="get" className="filters" aria-label="Filter messages">
        <SelectField
          id="outbox-tenant"
          name="tenant"
          label="Agency"
          defaultValue={filter.tenant ?? ""}
          placeholder="All agencies"
          choices={tenants.map((t) => ({ value: t.id, label: t.name }))}
        />
        <Button type="submit" variant="secondary">
          Show
        </Button>
        {filter.tenant ? <Link to="/console/outbox">Clear filter</Link> : null}
      </Form>
      {rows.length === 0 ? (
        <div className="card empty">
          <p>
            {page > 1
              ? "No more messages."
              : filtered
                ? `${filtered.name} has not sent any email yet.`
                : "No email has been sent yet. Registrations, password resets and invitations appear here."}
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data console-table outbox">
            <thead>
              <tr>
                <th scope="col">Created (UTC)</th>
                <th scope="col">Agency</th>
                <th scope="col">To</th>
                <th scope="col">Channel</th>
                <th scope="col">Subject</th>
                <th scope="col">Template</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <Fragment key={m.id}>
                  <tr className="message-row">
                    <td data-label="Created (UTC)">
                      <time dateTime={m.created_at}>{formatDateTime(m.created_at, "en-GB", "UTC")}</time>
                    </td>
                    <td data-label="Agency">
                      <Link to={`?tenant=${m.tenant_id}`}>{m.tenant_name}</Link>
                    </td>
                    <td data-label="To" className="break">
                      {m.recipient}
                    </td>
                    <td data-label="Channel">
                      <MessageChannel channel={m.channel} segments={m.segments} encoding={m.encoding} />
                    </td>
                    <td data-label="Subject">{m.subject ?? "—"}</td>
                    <td data-label="Template">
                      <code>{m.template}</code>
                    </td>
                    <td data-label="Status">
                      <span className={`badge badge-${m.status}`}>{STATUS_LABELS[m.status] ?? m.status}</span>
                    </td>
                  </tr>
                  <tr className="message-body-row">
                    <td colSpan={7}>
                      <details>
                        <summary>
                          Read the message
                          <span className="visually-hidden">
                            {" "}
                            “{m.subject}” to {m.recipient}
                          </span>
                        </summary>
                        {m.status === "failed" && m.error ? (
                          <p className="field-error">
                            Delivery failed after {m.attempts} {m.attempts === 1 ? "attempt" : "attempts"}: {m.error}
                          </p>
                        ) : null}
                        <pre className="message-body">
                          <LinkedText text={m.body_text} />
                        </pre>
                      </details>
                    </td>
                  </tr>
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Outbox");
