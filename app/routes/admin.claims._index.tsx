// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { assessorChoices } from "~/modules/claims/assignment.server";
import { STAFF_STATUS_LABELS, SLA_LABELS, spanText } from "~/modules/claims/office-forms";
import { claimQueue, queueFiltersFrom, queueFiltersQuery, queueOptions, slaSummary } from "~/modules/claims/queue.server";
import { claimTypeLabel } from "~/modules/claims/rules";
import claimsStyles from "~/styles/claims-office.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimsStyles }];

/** /admin/claims — the claims queue: open claims oldest first, every filter in the URL. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:claim:any");
  const { filters, ignored } = queueFiltersFrom(new URL(request.url).searchParams);
  const page = pageFrom(request);
  const now = new Date();
  const { result, options, summary, assessors } = await withTenant(tenant.id, async (db) => ({
    result: await claimQueue(db, filters, { page, now, userId: user.id, timeZone: tenant.timeZone }),
    options: await queueOptions(db),
    summary: await slaSummary(db, now),
    assessors: await assessorChoices(db),
  }));
  return json({
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
      statuses: [{ value: "all", label: "All claims" }, ...Object.entries(STAFF_STATUS_LABELS).map(([value, label]) => ({ value, label }))],
      assessors: [
        { value: "mine", label: "Mine" },
        { value: "unassigned", label: "Unassigned" },
        ...assessors.map((a) => ({ value: a.id, label: `${a.name} (${a.openClaims} open)` })),
      ],
      sla: Object.entries(SLA_LABELS).map(([value, label]) => ({ value, label })),
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
      const inStage = task ? spanText(now.getTime() - new Date(task.startedAt).getTime()) : null;
      let due: string | null = null;
      if (task?.dueAt && task.kind === "manual") {
        const left = new Date(task.dueAt).getTime() - now.getTime();
        const sla = spanText(new Date(task.dueAt).getTime() - new Date(task.startedAt).getTime());
        due = left <= 0 ? `${sla} SLA, overdue by ${spanText(-left)}` : `${sla} SLA, due in ${spanText(left)}`;
      } else if (task?.dueAt && task.kind === "waiting") {
        due = `waiting until ${formatDateTime(task.dueAt, tenant.locale, tenant.timeZone)}`;
      }
      return {
        id: r.id,
        number: r.claimNumber,
        status: r.status,
        statusLabel: STAFF_STATUS_LABELS[r.status],
        type: claimTypeLabel(r.claimFamily, r.claimType),
        claimed: formatMoney(r.claimedMinor, r.currency, tenant.locale),
        filed: formatDateTime(r.filedAt, tenant.locale, tenant.timeZone),
        filedIso: r.filedAt.toISOString(),
        flagged: r.flagged,
        claimant: r.claimantName,
        product: r.productName,
        assessor: r.assessorName,
        stage: r.stage?.name ?? null,
        with: task?.kind === "manual" ? (task.assigneeName ?? (task.role ? `any ${task.role.replace(/_/g, " ")}` : null)) : null,
        inStage,
        due,
        sla: task?.sla ?? null,
        slaLabel: task?.sla ? SLA_LABELS[task.sla] : null,
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
  return (
    <div className="stack claims-queue">
      <div className="page-head">
        <div>
          <h1>Claims</h1>
          <p className="muted">
            {filters.status ? "Claims" : "Open claims"},{" "}
            {filters.sort === "newest" ? "newest" : filters.sort === "due" ? "soonest due" : "oldest"} first. Dates are in{" "}
            {timeZone.replace("_", " ")}.
          </p>
        </div>
        <div className="actions">
          {pages.figures ? (
            <Link to="/admin/claims/figures" className="btn btn-secondary">
              Figures
            </Link>
          ) : null}
          {pages.settings ? (
            <Link to="/admin/claims/settings" className="btn btn-secondary">
              Claim settings
            </Link>
          ) : null}
        </div>
      </div>

      <ul className="stat-grid" aria-label="Open work against its SLA">
        {(["breached", "due_soon", "on_time"] as const).map((sla) => (
          <li className="stat" key={sla}>
            <Link to={`?sla=${sla}`} className="stat-value">
              {summary[sla]}
            </Link>
            <span className="stat-label">{SLA_LABELS[sla]}</span>
          </li>
        ))}
      </ul>

      <Form method="get" className="filters" role="search" aria-label="Filter claims">
        <div className="field grow">
          <label htmlFor="cq-q">Claim number or claimant</label>
          <input id="cq-q" type="search" name="q" defaultValue={filters.q} placeholder="e.g. CLM-2026-000123 or Wanjiru" />
        </div>
        <FilterSelect id="cq-status" name="status" label="Status" any="Open claims" value={filters.status} options={options.statuses} />
        <FilterSelect id="cq-stage" name="stage" label="Stage" any="Any stage" value={filters.stage} options={options.stages} />
        <FilterSelect id="cq-type" name="type" label="Claim type" any="Any type" value={filters.type} options={options.types} />
        <FilterSelect
          id="cq-category"
          name="category"
          label="Category"
          any="Any category"
          value={filters.category}
          options={options.categories}
        />
        <FilterSelect id="cq-product" name="product" label="Product" any="Any product" value={filters.product} options={options.products} />
        <FilterSelect id="cq-assessor" name="assessor" label="Assessor" any="Anyone" value={filters.assessor} options={options.assessors} />
        <FilterSelect id="cq-sla" name="sla" label="SLA" any="Any" value={filters.sla} options={options.sla} />
        <FilterSelect
          id="cq-flagged"
          name="flagged"
          label="Eligibility"
          any="Any"
          value={filters.flagged}
          options={[{ value: "yes", label: "Flagged when filed" }]}
        />
        <div className="field">
          <label htmlFor="cq-from">Filed from</label>
          <input id="cq-from" type="date" name="from" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="cq-to">Filed to</label>
          <input id="cq-to" type="date" name="to" defaultValue={filters.to} />
        </div>
        <FilterSelect
          id="cq-sort"
          name="sort"
          label="Order"
          any="Oldest first"
          value={filters.sort}
          options={[
            { value: "newest", label: "Newest first" },
            { value: "due", label: "Soonest due first" },
          ]}
        />
        <FilterActions path="/admin/claims" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />

      <p className="muted" aria-live="polite">
        {total === 1 ? "1 claim" : `${total.toLocaleString("en")} claims`}
      </p>

      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              No claim matches these filters. <Link to="/admin/claims">Show the open claims</Link>
            </p>
          ) : (
            <p>No open claims. A claim appears here as soon as a customer or an agent files it.</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Claim</th>
                <th scope="col">Claimant</th>
                <th scope="col">Status</th>
                <th scope="col">Stage and SLA</th>
                <th scope="col">Assessor</th>
                <th scope="col">Claimed</th>
                <th scope="col">Filed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className={r.sla === "breached" ? "sla-breached" : undefined}>
                  <td data-label="Claim">
                    <span className="break">
                      <Link to={`/admin/claims/${r.id}`}>{r.number}</Link>
                      <br />
                      <span className="muted small">
                        {r.type} · {r.product}
                      </span>
                      {r.flagged ? (
                        <>
                          {" "}
                          <span className="badge badge-pending">Flagged</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label="Claimant">
                    <span className="break">{r.claimant}</span>
                  </td>
                  <td data-label="Status">
                    <span className={`badge claim-status-${r.status}`}>{r.statusLabel}</span>
                  </td>
                  <td data-label="Stage and SLA">
                    <span>
                      {r.stage ?? <span className="muted">—</span>}
                      {r.with ? <span className="muted small"> · with {r.with}</span> : null}
                      {r.inStage ? (
                        <>
                          <br />
                          <span className="small">
                            {r.inStage} in stage{r.due ? ` · ${r.due}` : ""}
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
                  <td data-label="Assessor">{r.assessor ?? <span className="muted">Unassigned</span>}</td>
                  <td data-label="Claimed">{r.claimed}</td>
                  <td data-label="Filed">
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Claims");
