// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { WorkflowDiagramView } from "~/components/admin/workflow-diagram";
import { WorkflowStages } from "~/components/admin/workflow-stages";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { requirePermission } from "~/modules/auth/guards.server";
import { layoutWorkflow } from "~/modules/workflows/diagram";
import { scopeChoices, scopeLabel, versionDetail } from "~/modules/workflows/versions.server";
import styles from "~/styles/workflows.css";

/**
 * /admin/workflows/:templateId — one saved version, read-only (versions are never edited): its
 * diagram and stages, how many claims or policies run on it, and every version of its scope. A
 * change starts from here as a new version.
 */
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:workflow:any");
  const id = uuidParam(params, "templateId");
  const found = await withTenant(tenant.id, async (db) => {
    const detail = await versionDetail(db, id);
    return detail ? { ...detail, choices: await scopeChoices(db) } : undefined;
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { version, siblings, choices } = found;
  const when = (at: Date) => formatDateTime(at, tenant.locale, tenant.timeZone);
  return json({
    version: {
      id: version.id,
      name: version.name,
      number: version.version,
      subject: version.subject,
      label: scopeLabel(version.subject, version.scope, version.claimType, choices),
      saved: when(version.createdAt),
      by: version.createdBy,
      running: version.running,
      latest: siblings[0]?.id === version.id,
      definition: version.definition,
    },
    diagram: layoutWorkflow(version.definition),
    siblings: siblings.map((s) => ({
      id: s.id,
      number: s.version,
      name: s.name,
      saved: when(s.createdAt),
      by: s.createdBy,
      running: s.running,
    })),
  });
}

export default function WorkflowVersion() {
  const { version, diagram, siblings } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const what = version.subject === "claim" ? "claim" : "policy";
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/workflows">Workflows</Link> / {version.label}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {version.name} <span className="muted">· version {version.number}</span>
          </h1>
          <p className="muted">
            {version.label} · saved {version.saved}
            {version.by ? ` by ${version.by}` : ""} ·{" "}
            {version.running === 1
              ? `1 ${what} runs on this version`
              : `${version.running} ${what === "claim" ? "claims" : "policies"} run on this version`}
          </p>
        </div>
        <Link to={`/admin/workflows/new?from=${version.id}`} className="btn btn-secondary">
          {version.latest ? "Change: make version " + (siblings[0]!.number + 1) : "Start a new version from this one"}
        </Link>
      </div>
      {params.get("saved") ? (
        <Alert tone="success" title={`Version ${version.number} saved`}>
          New {what === "claim" ? "claims" : "policies in underwriting"} start on it from now; those already running stay on theirs.
        </Alert>
      ) : null}
      {!version.latest ? (
        <Alert tone="info">
          A past version, kept as it was: {version.running === 0 ? "nothing runs on it any more." : "what started on it finishes on it."}{" "}
          <Link to={`/admin/workflows/${siblings[0]!.id}`}>See the latest (version {siblings[0]!.number})</Link>.
        </Alert>
      ) : null}

      <section className="card stack" aria-labelledby="diagram-title">
        <h2 id="diagram-title">Stages</h2>
        <WorkflowDiagramView diagram={diagram} id="version-diagram" title={`${version.name}, version ${version.number}`} />
        <WorkflowStages definition={version.definition} />
      </section>

      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        <ul className="activity">
          {siblings.map((s) => (
            <li key={s.id}>
              <span>
                {s.id === version.id ? (
                  <strong>version {s.number}</strong>
                ) : (
                  <Link to={`/admin/workflows/${s.id}`}>version {s.number}</Link>
                )}{" "}
                {s.name !== version.name ? `(${s.name}) ` : null}
                <span className="muted">
                  saved {s.saved}
                  {s.by ? ` by ${s.by}` : ""} · {s.running} running
                </span>
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data ? `Workflow: ${data.version.name} v${data.version.number}` : "Workflow");
