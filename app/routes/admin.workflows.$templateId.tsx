import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { WorkflowDiagramView } from "~/components/admin/workflow-diagram";
import { WorkflowStages } from "~/components/admin/workflow-stages";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
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
  const t = await serverT(tenant.language, "admin");
  return json({
    title: t("workflow.pageTitle", { name: version.name, version: version.version }),
    version: {
      id: version.id,
      name: version.name,
      number: version.version,
      subject: version.subject,
      label: scopeLabel(version.subject, version.scope, version.claimType, choices, t),
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
  const { t } = useTranslation("admin");
  const what = version.subject === "claim" ? "claim" : "policy";
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/workflows">{t("workflows.title")}</Link> / {version.label}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {version.name} <span className="muted">{t("workflow.version", { version: version.number })}</span>
          </h1>
          <p className="muted">
            {version.by
              ? t("workflow.savedOnBy", { label: version.label, date: version.saved, name: version.by })
              : t("workflow.savedOn", { label: version.label, date: version.saved })}
            {t(`workflow.runs.${what}`, { count: version.running })}
          </p>
        </div>
        <Link to={`/admin/workflows/new?from=${version.id}`} className="btn btn-secondary">
          {version.latest ? t("workflow.makeVersion", { version: siblings[0]!.number + 1 }) : t("workflow.startFrom")}
        </Link>
      </div>
      {params.get("saved") ? (
        <Alert tone="success" title={t("workflow.savedTitle", { version: version.number })}>
          {t(`workflow.savedBody.${what}`)}
        </Alert>
      ) : null}
      {!version.latest ? (
        <Alert tone="info">
          {t("workflow.past")}
          {version.running === 0 ? t("workflow.nothingRuns") : t("workflow.finishesOnIt")}{" "}
          <Link to={`/admin/workflows/${siblings[0]!.id}`}>{t("workflow.seeLatest", { version: siblings[0]!.number })}</Link>.
        </Alert>
      ) : null}

      <section className="card stack" aria-labelledby="diagram-title">
        <h2 id="diagram-title">{t("workflow.stages")}</h2>
        <WorkflowDiagramView
          diagram={diagram}
          id="version-diagram"
          title={t("workflow.diagramTitle", { name: version.name, version: version.number })}
        />
        <WorkflowStages definition={version.definition} />
      </section>

      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">{t("workflow.versions")}</h2>
        <ul className="activity">
          {siblings.map((s) => (
            <li key={s.id}>
              <span>
                {s.id === version.id ? (
                  <strong>{t("workflows.version", { version: s.number })}</strong>
                ) : (
                  <Link to={`/admin/workflows/${s.id}`}>{t("workflows.version", { version: s.number })}</Link>
                )}{" "}
                {s.name !== version.name ? `(${s.name}) ` : null}
                <span className="muted">
                  {s.by
                    ? t("workflow.savedLineBy", { date: s.saved, name: s.by, count: s.running })
                    : t("workflow.savedLine", { date: s.saved, count: s.running })}
                </span>
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Workflow");
