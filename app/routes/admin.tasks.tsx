// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { readFilters } from "~/lib/search-params";
import { lineText } from "~/lib/text";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo, requirePermission, safeRedirect } from "~/modules/auth/guards.server";
import { nameLabel } from "~/modules/workflows/editor";
import { takeOpenTask, taskStages, tasksFor } from "~/modules/workflows/tasks.server";
import styles from "~/styles/workflows.css";

/**
 * /admin/tasks — My tasks (decision 026): every open task of a person's, across claims and
 * underwriting — handed to them, or waiting unassigned for a role they have — oldest first, overdue
 * ones marked and "due soon" ones too. Filters live in the URL; an unassigned task can be taken.
 */
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const filtersSchema = z.object({
  subject: z.enum(["claim", "policy"]).optional(),
  stage: lineText()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, "Not a stage")
    .optional(),
  breached: z.enum(["1"]).optional(),
});

const SUBJECTS = [
  { value: "claim", label: "Claims" },
  { value: "policy", label: "Underwriting" },
];

/** "3 h overdue", "in 2 days": how the due time stands against now. */
function dueIn(due: Date, now: Date): string {
  const minutes = Math.round(Math.abs(due.getTime() - now.getTime()) / 60_000);
  const span = minutes < 60 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} days`;
  return due < now ? `${span} overdue` : `in ${span}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "work:task:own");
  const { filters, ignored } = readFilters(filtersSchema, new URL(request.url).searchParams, { breached: "Overdue" });
  const page = pageFrom(request);
  const now = new Date();
  const { result, stages } = await withTenant(tenant.id, async (db) => ({
    result: await tasksFor(db, user, { subject: filters.subject, stage: filters.stage, breached: filters.breached === "1", page }, now),
    stages: await taskStages(db, user),
  }));
  const when = (at: Date) => formatDateTime(at, tenant.locale, tenant.timeZone);
  return json({
    filters: { subject: filters.subject ?? "", stage: filters.stage ?? "", breached: filters.breached ?? "" },
    ignored,
    page,
    hasMore: result.hasMore,
    total: result.total,
    stages: stages.map((s) => ({ value: s.stage, label: `${s.name} (${s.subject === "claim" ? "claims" : "underwriting"})` })),
    tasks: result.rows.map((t) => ({
      id: t.id,
      href: t.subject === "claim" ? `/admin/claims/${t.subjectId}` : `/admin/underwriting/${t.subjectId}`,
      kind: t.subject === "claim" ? "Claim" : "Underwriting",
      title: t.title,
      party: t.party,
      detail: t.detail,
      stage: t.stageName,
      since: when(t.startedAt),
      sinceIso: t.startedAt.toISOString(),
      due: t.dueAt ? when(t.dueAt) : null,
      dueIso: t.dueAt?.toISOString() ?? null,
      dueIn: t.dueAt ? dueIn(t.dueAt, now) : null,
      breached: t.breached,
      dueSoon: t.dueSoon,
      mine: t.assignedUserId === user.id,
      role: t.requiredRole ? nameLabel(t.requiredRole) : null,
    })),
  });
}

const takeSchema = z.object({
  taskId: lineText().uuid(),
  back: lineText().max(1000).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "work:task:own");
  const parsed = takeSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return json({ error: "Choose a task to take." }, { status: 400 });
  const result = await withTenant(tenant.id, async (db) => {
    const taken = await takeOpenTask(db, tenant, parsed.data.taskId, user);
    if (taken.ok)
      await recordAudit(
        db,
        { userId: user.id, ip: clientInfo(request).ip },
        { action: "workflow.task_taken", targetType: "workflow_task", targetId: parsed.data.taskId },
      );
    return taken;
  });
  if (!result.ok && result.reason === "not_found") throw new Response("Not found", { status: 404 });
  if (!result.ok) {
    const message =
      result.reason === "taken"
        ? "Someone else took this task first."
        : result.reason === "not_your_role"
          ? "This task is for another role."
          : "This task is done or gone.";
    return json({ error: message }, { status: 409 });
  }
  const back = parsed.data.back?.startsWith("?") ? parsed.data.back : "";
  const params = new URLSearchParams(back);
  params.set("taken", "1");
  return redirect(safeRedirect(request, `/admin/tasks?${params.toString()}`, "/admin/tasks?taken=1"));
}

export default function MyTasks() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const location = useLocation();
  const navigation = useNavigation();
  const filtered = Boolean(data.filters.subject || data.filters.stage || data.filters.breached);
  const back = (() => {
    const p = new URLSearchParams(location.search);
    p.delete("taken");
    const s = p.toString();
    return s ? `?${s}` : "";
  })();
  const taking = (id: string) => navigation.state === "submitting" && navigation.formData?.get("taskId") === id;
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>My tasks</h1>
          <p className="muted">
            {data.total === 0 ? "Nothing" : data.total === 1 ? "1 task" : `${data.total} tasks`}
            {filtered ? " match these filters" : " waiting for you or your role"}, oldest first.
          </p>
        </div>
      </div>
      {params.get("taken") ? <Alert tone="success">The task is yours now.</Alert> : null}
      {actionData?.error ? <Alert tone="error">{actionData.error}</Alert> : null}
      <Form method="get" className="filters" role="search" aria-label="Filter tasks">
        <FilterSelect
          id="tasks-subject"
          name="subject"
          label="Work"
          any="Claims and underwriting"
          value={data.filters.subject}
          options={SUBJECTS}
        />
        <FilterSelect id="tasks-stage" name="stage" label="Stage" any="Every stage" value={data.filters.stage} options={data.stages} />
        <div className="field">
          <span className="label" id="tasks-breached-label">
            Due
          </span>
          <div className="checkbox">
            <input type="checkbox" id="tasks-breached" name="breached" value="1" defaultChecked={data.filters.breached === "1"} />
            <label htmlFor="tasks-breached">Overdue only</label>
          </div>
        </div>
        <FilterActions path="/admin/tasks" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={data.ignored} />
      {data.tasks.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              No task matches these filters. <Link to="/admin/tasks">Show all my tasks</Link>
            </p>
          ) : (
            <p>Nothing waits for you. New claims and policies in underwriting appear here when they reach a stage you work.</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Stage</th>
                <th scope="col">Waiting since</th>
                <th scope="col">Due</th>
                <th scope="col">Whose</th>
              </tr>
            </thead>
            <tbody>
              {data.tasks.map((t) => (
                <tr key={t.id} className={t.breached ? "task-breached" : t.dueSoon ? "task-soon" : undefined}>
                  <td data-label="Task">
                    <span>
                      <span className="muted small">{t.kind}</span> <Link to={t.href}>{t.title}</Link>
                      <br />
                      <span className="small">
                        {t.party}
                        {t.detail ? <span className="muted"> · {t.detail}</span> : null}
                      </span>
                    </span>
                  </td>
                  <td data-label="Stage">{t.stage}</td>
                  <td data-label="Waiting since">
                    <time dateTime={t.sinceIso}>{t.since}</time>
                  </td>
                  <td data-label="Due">
                    {t.due ? (
                      <span>
                        <time dateTime={t.dueIso!}>{t.due}</time>{" "}
                        {t.breached ? (
                          <span className="badge badge-breached">Overdue · {t.dueIn}</span>
                        ) : t.dueSoon ? (
                          <span className="badge badge-soon">Due soon · {t.dueIn}</span>
                        ) : (
                          <span className="muted small">{t.dueIn}</span>
                        )}
                      </span>
                    ) : (
                      <span className="muted">No deadline</span>
                    )}
                  </td>
                  <td data-label="Whose">
                    {t.mine ? (
                      "Yours"
                    ) : (
                      <Form method="post" className="inline-form">
                        <span className="muted small">Any {t.role?.toLowerCase() ?? "one"} </span>
                        <input type="hidden" name="taskId" value={t.id} />
                        <input type="hidden" name="back" value={back} />
                        <Button type="submit" variant="secondary" className="btn-small" busy={taking(t.id)}>
                          Take it<span className="visually-hidden">: {t.title}</span>
                        </Button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} hasMore={data.hasMore} />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "My tasks");
