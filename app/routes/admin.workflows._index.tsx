// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { requirePermission } from "~/modules/auth/guards.server";
import { words } from "~/modules/workflows/templates";
import { allVersions, scopeChoices, scopeLabel, type VersionRow } from "~/modules/workflows/versions.server";
import styles from "~/styles/workflows.css";

/**
 * /admin/workflows — the agency's workflow templates (decision 026): for claims per category or
 * claim family and per claim type, for underwriting per category, each with its versions and how
 * many claims or policies run on each. Where nothing is saved the built-in default applies.
 */
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:workflow:any");
  const { versions, choices } = await withTenant(tenant.id, async (db) => ({
    versions: await allVersions(db),
    choices: await scopeChoices(db),
  }));
  const when = (at: Date) => formatDateTime(at, tenant.locale, tenant.timeZone);
  const groups = new Map<string, VersionRow[]>();
  for (const v of versions) {
    const key = `${v.subject}|${v.scope}|${v.claimType}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const list = [...groups.values()].map((rows) => ({
    subject: rows[0]!.subject,
    label: scopeLabel(rows[0]!.subject, rows[0]!.scope, rows[0]!.claimType, choices),
    scope: rows[0]!.scope,
    claimType: rows[0]!.claimType,
    versions: rows.map((v) => ({
      id: v.id,
      version: v.version,
      name: v.name,
      running: v.running,
      saved: when(v.createdAt),
      by: v.createdBy,
    })),
  }));
  return json({
    claims: list.filter((g) => g.subject === "claim"),
    policies: list.filter((g) => g.subject === "policy"),
    categories: choices.categories,
    families: choices.families,
    claimTypes: choices.claimTypes,
  });
}

type Group = ReturnType<typeof useLoaderData<typeof loader>>["claims"][number];

export default function WorkflowTemplates() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Workflows</h1>
          <p className="muted">
            Who works a claim or a policy in underwriting, in which order and by when. The most specific workflow applies: one for a claim
            type before one for all types, one for a category before one for a claim family, and that before the one for everything. Each
            save is a new version; claims and policies already running stay on the version they started on.
          </p>
        </div>
      </div>

      <Subject id="claims" title="Claims" subject="claim" groups={data.claims} all="All claims">
        {data.families.length ? (
          <optgroup label="Claim family (every category of that kind)">
            {data.families.map((f) => (
              <option key={f} value={f}>
                {words(f)} claims
              </option>
            ))}
          </optgroup>
        ) : null}
        <optgroup label="Category">{categoryOptions(data.categories)}</optgroup>
      </Subject>
      <Subject id="underwriting" title="Underwriting" subject="policy" groups={data.policies} all="All underwriting">
        {categoryOptions(data.categories)}
      </Subject>
    </div>
  );
}

const categoryOptions = (categories: { slug: string; name: string }[]) =>
  categories.map((c) => (
    <option key={c.slug} value={c.slug}>
      {c.name}
    </option>
  ));

/** One subject's templates, and a form to start one for a scope (claims also by claim type). */
function Subject({
  id,
  title,
  subject,
  groups,
  all,
  children,
}: {
  id: string;
  title: string;
  subject: "claim" | "policy";
  groups: Group[];
  all: string;
  children: ReactNode;
}) {
  const { claimTypes } = useLoaderData<typeof loader>();
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <Templates groups={groups} defaultLabel={all} subject={subject} />
      <Form method="get" action="/admin/workflows/new" className="filters" aria-label={`A workflow for ${title.toLowerCase()}`}>
        <input type="hidden" name="subject" value={subject} />
        <div className="field">
          <label htmlFor={`${id}-scope`}>Make a workflow for</label>
          <select id={`${id}-scope`} name="scope" defaultValue="*">
            <option value="*">{all}</option>
            {children}
          </select>
        </div>
        {subject === "claim" ? (
          <div className="field">
            <label htmlFor="claim-type">Claim type</label>
            <input
              id="claim-type"
              name="claimType"
              list="claim-types"
              placeholder="every type"
              autoComplete="off"
              aria-describedby="claim-type-hint"
            />
            <datalist id="claim-types">
              {claimTypes.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </datalist>
            <p className="field-hint" id="claim-type-hint">
              Empty for every type; or one such as accident, theft, inpatient.
            </p>
          </div>
        ) : null}
        <div className="actions">
          <Button type="submit" variant="secondary">
            Start
          </Button>
        </div>
      </Form>
    </section>
  );
}

function Templates({ groups, defaultLabel, subject }: { groups: Group[]; defaultLabel: string; subject: "claim" | "policy" }) {
  const hasAll = groups.some((g) => g.scope === "*" && g.claimType === "*");
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Applies to</th>
            <th scope="col">Latest version</th>
            <th scope="col">Running</th>
            <th scope="col">Earlier versions</th>
          </tr>
        </thead>
        <tbody>
          {hasAll ? null : (
            <tr>
              <td data-label="Applies to">{defaultLabel}</td>
              <td data-label="Latest version">
                <span className="muted">The built-in default (saved when the first one starts)</span>{" "}
                <Link to={`/admin/workflows/new?subject=${subject}&scope=*`}>Change it</Link>
              </td>
              <td data-label="Running">0</td>
              <td data-label="Earlier versions">—</td>
            </tr>
          )}
          {groups.map((g) => {
            const [latest, ...earlier] = g.versions;
            return (
              <tr key={`${g.scope}|${g.claimType}`}>
                <td data-label="Applies to">{g.label}</td>
                <td data-label="Latest version">
                  <Link to={`/admin/workflows/${latest!.id}`}>
                    {latest!.name} · version {latest!.version}
                  </Link>
                  <span className="muted small">
                    {" "}
                    saved {latest!.saved}
                    {latest!.by ? ` by ${latest!.by}` : ""}
                  </span>
                </td>
                <td data-label="Running">{latest!.running}</td>
                <td data-label="Earlier versions">
                  {earlier.length === 0 ? (
                    "—"
                  ) : (
                    <ul className="plain-list">
                      {earlier.map((v) => (
                        <li key={v.id}>
                          <Link to={`/admin/workflows/${v.id}`}>version {v.version}</Link>{" "}
                          <span className="muted small">{v.running === 1 ? "1 running" : `${v.running} running`}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Workflows");
