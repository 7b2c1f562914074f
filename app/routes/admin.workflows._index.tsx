import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
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
  const t = await serverT(tenant.language, "admin");
  const groups = new Map<string, VersionRow[]>();
  for (const v of versions) {
    const key = `${v.subject}|${v.scope}|${v.claimType}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const list = [...groups.values()].map((rows) => ({
    subject: rows[0]!.subject,
    label: scopeLabel(rows[0]!.subject, rows[0]!.scope, rows[0]!.claimType, choices, t),
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
    title: t("workflows.title"),
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
  const { t } = useTranslation("admin");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("workflows.title")}</h1>
          <p className="muted">{t("workflows.intro")}</p>
        </div>
      </div>

      <Subject id="claims" title={t("workflows.claims")} subject="claim" groups={data.claims} all={t("workflows.scope.all.claim")}>
        {data.families.length ? (
          <optgroup label={t("workflows.familyGroup")}>
            {data.families.map((f) => (
              <option key={f} value={f}>
                {t("workflows.familyOption", { family: words(f) })}
              </option>
            ))}
          </optgroup>
        ) : null}
        <optgroup label={t("workflows.category")}>{categoryOptions(data.categories)}</optgroup>
      </Subject>
      <Subject
        id="underwriting"
        title={t("workflows.underwriting")}
        subject="policy"
        groups={data.policies}
        all={t("workflows.scope.all.policy")}
      >
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
  const { t } = useTranslation("admin");
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <Templates groups={groups} defaultLabel={all} subject={subject} />
      <Form method="get" action="/admin/workflows/new" className="filters" aria-label={t(`workflows.formLabel.${subject}`)}>
        <input type="hidden" name="subject" value={subject} />
        <div className="field">
          <label htmlFor={`${id}-scope`}>{t("workflows.makeFor")}</label>
          <select id={`${id}-scope`} name="scope" defaultValue="*">
            <option value="*">{all}</option>
            {children}
          </select>
        </div>
        {subject === "claim" ? (
          <div className="field">
            <label htmlFor="claim-type">{t("workflows.claimType")}</label>
            <input
              id="claim-type"
              name="claimType"
              list="claim-types"
              placeholder={t("workflows.everyType")}
              autoComplete="off"
              aria-describedby="claim-type-hint"
            />
            <datalist id="claim-types">
              {claimTypes.map((type) => (
                <option key={type.value} value={type.value}>
                  {type.label}
                </option>
              ))}
            </datalist>
            <p className="field-hint" id="claim-type-hint">
              {t("workflows.claimTypeHint")}
            </p>
          </div>
        ) : null}
        <div className="actions">
          <Button type="submit" variant="secondary">
            {t("workflows.start")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

function Templates({ groups, defaultLabel, subject }: { groups: Group[]; defaultLabel: string; subject: "claim" | "policy" }) {
  const hasAll = groups.some((g) => g.scope === "*" && g.claimType === "*");
  const { t } = useTranslation("admin");
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t("workflows.appliesTo")}</th>
            <th scope="col">{t("workflows.latest")}</th>
            <th scope="col">{t("workflows.running")}</th>
            <th scope="col">{t("workflows.earlier")}</th>
          </tr>
        </thead>
        <tbody>
          {hasAll ? null : (
            <tr>
              <td data-label={t("workflows.appliesTo")}>{defaultLabel}</td>
              <td data-label={t("workflows.latest")}>
                <span className="muted">{t("workflows.builtIn")}</span>{" "}
                <Link to={`/admin/workflows/new?subject=${subject}&scope=*`}>{t("workflows.changeIt")}</Link>
              </td>
              <td data-label={t("workflows.running")}>0</td>
              <td data-label={t("workflows.earlier")}>—</td>
            </tr>
          )}
          {groups.map((g) => {
            const [latest, ...earlier] = g.versions;
            return (
              <tr key={`${g.scope}|${g.claimType}`}>
                <td data-label={t("workflows.appliesTo")}>{g.label}</td>
                <td data-label={t("workflows.latest")}>
                  <Link to={`/admin/workflows/${latest!.id}`}>
                    {t("workflows.nameVersion", { name: latest!.name, version: latest!.version })}
                  </Link>
                  <span className="muted small">
                    {latest!.by
                      ? t("workflows.savedBy", { date: latest!.saved, name: latest!.by })
                      : t("workflows.saved", { date: latest!.saved })}
                  </span>
                </td>
                <td data-label={t("workflows.running")}>{latest!.running}</td>
                <td data-label={t("workflows.earlier")}>
                  {earlier.length === 0 ? (
                    "—"
                  ) : (
                    <ul className="plain-list">
                      {earlier.map((v) => (
                        <li key={v.id}>
                          <Link to={`/admin/workflows/${v.id}`}>{t("workflows.version", { version: v.version })}</Link>{" "}
                          <span className="muted small">{t("workflows.runningCount", { count: v.running })}</span>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Workflows");
