import type { TFunction } from "i18next";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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
import { serverT } from "~/modules/i18n/i18n.server";
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

const SUBJECTS = ["claim", "policy"] as const;

/** "3 h overdue", "in 2 days": how the due time stands against now. */
function dueIn(due: Date, now: Date, t: TFunction): string {
  const minutes = Math.round(Math.abs(due.getTime() - now.getTime()) / 60_000);
  const span =
    minutes < 60
      ? t("tasks.minutes", { count: minutes })
      : minutes < 48 * 60
        ? t("tasks.hours", { count: Math.round(minutes / 60) })
        : t("tasks.days", { count: Math.round(minutes / 1440) });
  return due < now ? t("tasks.overdueBy", { span }) : t("tasks.inSpan", { span });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "work:task:own");
  const t = await serverT(tenant.language, "admin");
  const { filters, ignored } = readFilters(filtersSchema, new URL(request.url).searchParams, {
    subject: t("tasks.work"),
    stage: t("tasks.stage"),
    breached: t("tasks.overdueFilter"),
  });
  const page = pageFrom(request);
  const now = new Date();
  const { result, stages } = await withTenant(tenant.id, async (db) => ({
    result: await tasksFor(db, user, { subject: filters.subject, stage: filters.stage, breached: filters.breached === "1", page }, now),
    stages: await taskStages(db, user),
  }));
  const when = (at: Date) => formatDateTime(at, tenant.locale, tenant.timeZone);
  return json({
    title: t("tasks.title"),
    subjects: SUBJECTS.map((value) => ({ value, label: t(`tasks.subjects.${value}`) })),
    filters: { subject: filters.subject ?? "", stage: filters.stage ?? "", breached: filters.breached ?? "" },
    ignored,
    page,
    hasMore: result.hasMore,
    total: result.total,
    stages: stages.map((s) => ({
      value: s.stage,
      label: t("tasks.stageOption", { name: s.name, subject: t(`tasks.subjectOf.${s.subject}`) }),
    })),
    tasks: result.rows.map((task) => ({
      id: task.id,
      href: task.subject === "claim" ? `/admin/claims/${task.subjectId}` : `/admin/underwriting/${task.subjectId}`,
      kind: t(`tasks.kind.${task.subject}`),
      title: task.title,
      party: task.party,
      detail: task.detail,
      stage: task.stageName,
      since: when(task.startedAt),
      sinceIso: task.startedAt.toISOString(),
      due: task.dueAt ? when(task.dueAt) : null,
      dueIso: task.dueAt?.toISOString() ?? null,
      dueIn: task.dueAt ? dueIn(task.dueAt, now, t) : null,
      breached: task.breached,
      dueSoon: task.dueSoon,
      mine: task.assignedUserId === user.id,
      role: task.requiredRole ? t(`roles.${task.requiredRole}`, { defaultValue: nameLabel(task.requiredRole) }) : null,
    })),
  });
}

const takeSchema = z.object({
  taskId: lineText().uuid(),
  back: lineText().max(1000).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "work:task:own");
  const t = await serverT(tenant.language, "admin");
  const parsed = takeSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return json({ error: t("tasks.chooseTask") }, { status: 400 });
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
      result.reason === "taken" ? t("tasks.takenByOther") : result.reason === "not_your_role" ? t("tasks.notYourRole") : t("tasks.gone");
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
  const { t } = useTranslation("admin");
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
          <h1>{t("tasks.title")}</h1>
          <p className="muted">
            {t(filtered ? "tasks.summaryFiltered" : "tasks.summary", {
              tasks: data.total === 0 ? t("tasks.countNone") : t("tasks.count", { count: data.total }),
            })}
          </p>
        </div>
      </div>
      {params.get("taken") ? <Alert tone="success">{t("tasks.taken")}</Alert> : null}
      {actionData?.error ? <Alert tone="error">{actionData.error}</Alert> : null}
      <Form method="get" className="filters" role="search" aria-label={t("tasks.filter")}>
        <FilterSelect
          id="tasks-subject"
          name="subject"
          label={t("tasks.work")}
          any={t("tasks.anyWork")}
          value={data.filters.subject}
          options={data.subjects}
        />
        <FilterSelect
          id="tasks-stage"
          name="stage"
          label={t("tasks.stage")}
          any={t("tasks.anyStage")}
          value={data.filters.stage}
          options={data.stages}
        />
        <div className="field">
          <span className="label" id="tasks-breached-label">
            {t("tasks.due")}
          </span>
          <div className="checkbox">
            <input type="checkbox" id="tasks-breached" name="breached" value="1" defaultChecked={data.filters.breached === "1"} />
            <label htmlFor="tasks-breached">{t("tasks.overdueOnly")}</label>
          </div>
        </div>
        <FilterActions path="/admin/tasks" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={data.ignored} />
      {data.tasks.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {t("tasks.noMatch")} <Link to="/admin/tasks">{t("tasks.showAll")}</Link>
            </p>
          ) : (
            <p>{t("tasks.empty")}</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("tasks.task")}</th>
                <th scope="col">{t("tasks.stage")}</th>
                <th scope="col">{t("tasks.since")}</th>
                <th scope="col">{t("tasks.due")}</th>
                <th scope="col">{t("tasks.whose")}</th>
              </tr>
            </thead>
            <tbody>
              {data.tasks.map((task) => (
                <tr key={task.id} className={task.breached ? "task-breached" : task.dueSoon ? "task-soon" : undefined}>
                  <td data-label={t("tasks.task")}>
                    <span>
                      <span className="muted small">{task.kind}</span> <Link to={task.href}>{task.title}</Link>
                      <br />
                      <span className="small">
                        {task.party}
                        {task.detail ? <span className="muted"> · {task.detail}</span> : null}
                      </span>
                    </span>
                  </td>
                  <td data-label={t("tasks.stage")}>{task.stage}</td>
                  <td data-label={t("tasks.since")}>
                    <time dateTime={task.sinceIso}>{task.since}</time>
                  </td>
                  <td data-label={t("tasks.due")}>
                    {task.due ? (
                      <span>
                        <time dateTime={task.dueIso!}>{task.due}</time>{" "}
                        {task.breached ? (
                          <span className="badge badge-breached">{t("tasks.overdue", { span: task.dueIn })}</span>
                        ) : task.dueSoon ? (
                          <span className="badge badge-soon">{t("tasks.dueSoon", { span: task.dueIn })}</span>
                        ) : (
                          <span className="muted small">{task.dueIn}</span>
                        )}
                      </span>
                    ) : (
                      <span className="muted">{t("tasks.noDeadline")}</span>
                    )}
                  </td>
                  <td data-label={t("tasks.whose")}>
                    {task.mine ? (
                      t("tasks.yours")
                    ) : (
                      <Form method="post" className="inline-form">
                        <span className="muted small">
                          {task.role ? t("tasks.anyRole", { role: task.role.toLowerCase() }) : t("tasks.anyone")}
                        </span>
                        <input type="hidden" name="taskId" value={task.id} />
                        <input type="hidden" name="back" value={back} />
                        <Button type="submit" variant="secondary" className="btn-small" busy={taking(task.id)}>
                          {t("tasks.take")}
                          <span className="visually-hidden">: {task.title}</span>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "My tasks");
