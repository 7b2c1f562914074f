import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { assessorChoices } from "~/modules/claims/assignment.server";
import { STAFF_STATUS_LABELS, SLA_LABELS } from "~/modules/claims/office-forms";
import { claimQueue, queueFiltersFrom, queueFiltersQuery, queueOptions, slaSummary } from "~/modules/claims/queue.server";
import { claimTypeText, spanWords } from "~/modules/claims/translated";
import { serverT } from "~/modules/i18n/i18n.server";
import claimsStyles from "~/styles/claims-office.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimsStyles }];

/** /admin/claims — the claims queue: open claims oldest first, every filter in the URL. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:claim:any");
  const { filters, ignored } = queueFiltersFrom(new URL(request.url).searchParams);
  const page = pageFrom(request);
  const now = new Date();
  const [t, claimsT] = await Promise.all([serverT(tenant.language, "admin-claims"), serverT(tenant.language, "claims")]);
  const span = (ms: number) => spanWords(t, ms);
  const { result, options, summary, assessors } = await withTenant(tenant.id, async (db) => ({
    result: await claimQueue(db, filters, { page, now, userId: user.id, timeZone: tenant.timeZone }),
    options: await queueOptions(db, claimsT),
    summary: await slaSummary(db, now),
    assessors: await assessorChoices(db),
  }));
  return json({
    title: t("queue.title"),
    filters: {
      q: filters.q ?? "",
      status: filters.status ?? "",
      stage: filters.stage ?? "",
      type: filters.type ?? "",
      product: filters.product ?? "",
      category: filters.category ?? "",
      assessor: filters.assessor ?? "",
      flagged: filters.flagged ?? "",
      sla: filters.sla ?? "",
      from: filters.from ?? "",
      to: filters.to ?? "",
      sort: filters.sort ?? "",
    },
    filtered: queueFiltersQuery(filters) !== "",
    ignored,
    options: {
      ...options,
      statuses: [
        { value: "all", label: t("queue.allClaims") },
        ...Object.keys(STAFF_STATUS_LABELS).map((value) => ({ value, label: t(`status.${value}`) })),
      ],
      assessors: [
        { value: "mine", label: t("queue.mine") },
        { value: "unassigned", label: t("workflow.unassigned") },
        ...assessors.map((a) => ({ value: a.id, label: t("queue.assessorChoice", { name: a.name, open: a.openClaims }) })),
      ],
      sla: Object.keys(SLA_LABELS).map((value) => ({ value, label: t(`sla.${value}`) })),
    },
    summary,
    links: {
      figures: can(user.roles, "read:claims-report:any"),
      settings: can(user.roles, "manage:claim-settings:any"),
    },
    timeZone: tenant.timeZone,
    total: result.total,
    page,
    hasMore: result.hasMore,
    rows: result.rows.map((r) => {
      const task = r.task;
      const inStage = task ? span(now.getTime() - new Date(task.startedAt).getTime()) : null;
      let due: string | null = null;
      if (task?.dueAt && task.kind === "manual") {
        const left = new Date(task.dueAt).getTime() - now.getTime();
        const sla = span(new Date(task.dueAt).getTime() - new Date(task.startedAt).getTime());
        due = left <= 0 ? t("queue.overdue", { sla, by: span(-left) }) : t("queue.dueIn", { sla, in: span(left) });
      } else if (task?.dueAt && task.kind === "waiting") {
        due = t("queue.waitingUntil", { date: formatDateTime(task.dueAt, tenant.locale, tenant.timeZone) });
      }
      return {
        id: r.id,
        number: r.claimNumber,
        status: r.status,
        statusLabel: t(`status.${r.status}`),
        type: claimTypeText(claimsT, r.claimFamily, r.claimType),
        claimed: formatMoney(r.claimedMinor, r.currency, tenant.locale),
        filed: formatDateTime(r.filedAt, tenant.locale, tenant.timeZone),
        filedIso: r.filedAt.toISOString(),
        flagged: r.flagged,
        claimant: r.claimantName,
        product: r.productName,
        assessor: r.assessorName,
        stage: r.stage?.name ?? null,
        with:
          task?.kind === "manual"
            ? (task.assigneeName ?? (task.role ? t("queue.anyRole", { role: task.role.replace(/_/g, " ") }) : null))
            : null,
        inStage,
        due,
        sla: task?.sla ?? null,
        slaLabel: task?.sla ? t(`sla.${task.sla}`) : null,
      };
    }),
  });
}

export default function ClaimsQueue() {
  const {
    filters,
    filtered,
    ignored,
    options,
    summary,
    links: pages,
    timeZone,
    total,
    page,
    hasMore,
    rows,
  } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("admin-claims");
  const order = filters.sort === "newest" ? "newest" : filters.sort === "due" ? "due" : "oldest";
  return (
    <div className="stack claims-queue">
      <div className="page-head">
        <div>
          <h1>{t("queue.title")}</h1>
          <p className="muted">
            {t(`queue.intro.${filters.status ? "claims" : "open"}.${order}`)} {t("queue.timeZone", { zone: timeZone.replace("_", " ") })}
          </p>
        </div>
        <div className="actions">
          {pages.figures ? (
            <Link to="/admin/claims/figures" className="btn btn-secondary">
              {t("queue.figures")}
            </Link>
          ) : null}
          {pages.settings ? (
            <Link to="/admin/claims/settings" className="btn btn-secondary">
              {t("queue.settings")}
            </Link>
          ) : null}
        </div>
      </div>

      <ul className="stat-grid" aria-label={t("queue.slaSummary")}>
        {(["breached", "due_soon", "on_time"] as const).map((sla) => (
          <li className="stat" key={sla}>
            <Link to={`?sla=${sla}`} className="stat-value">
              {summary[sla]}
            </Link>
            <span className="stat-label">{t(`sla.${sla}`)}</span>
          </li>
        ))}
      </ul>

      <Form method="get" className="filters" role="search" aria-label={t("queue.filter")}>
        <div className="field grow">
          <label htmlFor="cq-q">{t("queue.search")}</label>
          <input id="cq-q" type="search" name="q" defaultValue={filters.q} placeholder={t("queue.searchPlaceholder")} />
        </div>
        <FilterSelect
          id="cq-status"
          name="status"
          label={t("queue.status")}
          any={t("queue.openClaims")}
          value={filters.status}
          options={options.statuses}
        />
        <FilterSelect
          id="cq-stage"
          name="stage"
          label={t("workflow.stage")}
          any={t("queue.anyStage")}
          value={filters.stage}
          options={options.stages}
        />
        <FilterSelect
          id="cq-type"
          name="type"
          label={t("queue.type")}
          any={t("queue.anyType")}
          value={filters.type}
          options={options.types}
        />
        <FilterSelect
          id="cq-category"
          name="category"
          label={t("queue.category")}
          any={t("queue.anyCategory")}
          value={filters.category}
          options={options.categories}
        />
        <FilterSelect
          id="cq-product"
          name="product"
          label={t("policy.product")}
          any={t("queue.anyProduct")}
          value={filters.product}
          options={options.products}
        />
        <FilterSelect
          id="cq-assessor"
          name="assessor"
          label={t("workflow.assessor")}
          any={t("queue.anyone")}
          value={filters.assessor}
          options={options.assessors}
        />
        <FilterSelect id="cq-sla" name="sla" label={t("queue.sla")} any={t("queue.any")} value={filters.sla} options={options.sla} />
        <FilterSelect
          id="cq-flagged"
          name="flagged"
          label={t("queue.eligibility")}
          any={t("queue.any")}
          value={filters.flagged}
          options={[{ value: "yes", label: t("workbench.flagged") }]}
        />
        <div className="field">
          <label htmlFor="cq-from">{t("queue.filedFrom")}</label>
          <input id="cq-from" type="date" name="from" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="cq-to">{t("queue.filedTo")}</label>
          <input id="cq-to" type="date" name="to" defaultValue={filters.to} />
        </div>
        <FilterSelect
          id="cq-sort"
          name="sort"
          label={t("queue.order")}
          any={t("queue.oldestFirst")}
          value={filters.sort}
          options={[
            { value: "newest", label: t("queue.newestFirst") },
            { value: "due", label: t("queue.soonestFirst") },
          ]}
        />
        <FilterActions path="/admin/claims" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />

      <p className="muted" aria-live="polite">
        {t("queue.count", { count: total, total: total.toLocaleString(i18n.language) })}
      </p>

      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {t("queue.noMatch")} <Link to="/admin/claims">{t("queue.showOpen")}</Link>
            </p>
          ) : (
            <p>{t("queue.none")}</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("queue.claim")}</th>
                <th scope="col">{t("claimant.title")}</th>
                <th scope="col">{t("queue.status")}</th>
                <th scope="col">{t("queue.stageSla")}</th>
                <th scope="col">{t("workflow.assessor")}</th>
                <th scope="col">{t("workbench.claimed")}</th>
                <th scope="col">{t("queue.filed")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className={r.sla === "breached" ? "sla-breached" : undefined}>
                  <td data-label={t("queue.claim")}>
                    <span className="break">
                      <Link to={`/admin/claims/${r.id}`}>{r.number}</Link>
                      <br />
                      <span className="muted small">
                        {r.type} · {r.product}
                      </span>
                      {r.flagged ? (
                        <>
                          {" "}
                          <span className="badge badge-pending">{t("queue.flagged")}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t("claimant.title")}>
                    <span className="break">{r.claimant}</span>
                  </td>
                  <td data-label={t("queue.status")}>
                    <span className={`badge claim-status-${r.status}`}>{r.statusLabel}</span>
                  </td>
                  <td data-label={t("queue.stageSla")}>
                    <span>
                      {r.stage ?? <span className="muted">—</span>}
                      {r.with ? <span className="muted small"> · {t("queue.with", { name: r.with })}</span> : null}
                      {r.inStage ? (
                        <>
                          <br />
                          <span className="small">
                            {t("queue.inStage", { span: r.inStage })}
                            {r.due ? ` · ${r.due}` : ""}
                          </span>
                        </>
                      ) : null}
                      {r.slaLabel ? (
                        <>
                          {" "}
                          <span className={`badge sla-${r.sla}`}>{r.slaLabel}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t("workflow.assessor")}>{r.assessor ?? <span className="muted">{t("workflow.unassigned")}</span>}</td>
                  <td data-label={t("workbench.claimed")}>{r.claimed}</td>
                  <td data-label={t("queue.filed")}>
                    <time dateTime={r.filedIso}>{r.filed}</time>
                  </td>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Claims");
