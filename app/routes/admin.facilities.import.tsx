import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { Alert } from "~/components/ui/alert";
import { CsvColumns, CsvFileField } from "~/components/csv/upload";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { readCsvUpload } from "~/lib/csv-upload.server";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { FACILITY_CSV, type RowProblem } from "~/modules/facilities/csv";
import { importFacilities, type ImportReport, type RowOutcome } from "~/modules/facilities/import.server";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * Upload a CSV of hospitals and clinics in two steps: "Check the file" reports what every row would
 * do and writes nothing; "Apply" posts the same file back (the page holds it) and saves the rows
 * without problems, each on its own.
 */

const intentSchema = z.enum(["check", "apply"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:facility:any");
  const t = await serverT(tenant.language, "facilities");
  return json({ title: t("import.title") });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:facility:any");
  const upload = await readCsvUpload(request, FACILITY_CSV, "csv");
  if (!upload.ok) return reply({ ok: false, error: upload.error }, upload.status);
  const intent = intentSchema.safeParse(upload.form.get("intent"));
  const apply = intent.success && intent.data === "apply";
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const result = await withTenant(tenant.id, (db) => importFacilities(db, upload.text, actor, { apply, file: upload.name }));
  return reply(result, result.ok ? 200 : 400, result.ok && !apply ? { text: upload.text, name: upload.name } : undefined);
}

function reply(result: ImportReport, status: number, file?: { text: string; name: string }) {
  return json({ result, file: file ?? null }, { status });
}

/** The file's columns (English: they are the format) and the key of what to put in each. */
const COLUMNS: [string, string][] = [
  ["name", "name"],
  ["city", "city"],
  ["kind", "kind"],
  ["state", "state"],
  ["address, postcode", "address"],
  ["phone", "phone"],
  ["email", "email"],
  ["panel", "panel"],
  ["services", "services"],
  ["status", "status"],
];

const OUTCOME_BADGES: Record<RowOutcome, string> = {
  created: "badge-active",
  updated: "badge-outbox",
  unchanged: "",
  error: "badge-failed",
};

export default function ImportFacilities() {
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const result = data?.result;
  const { t } = useTranslation("facilities");
  const errorText = useErrorText();
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/facilities">{t("title")}</Link> / {t("list.upload")}
      </p>
      <div className="page-head">
        <div>
          <h1>{t("import.heading")}</h1>
          <p className="muted">{t("import.intro", { rows: FACILITY_CSV.limits.rows })}</p>
        </div>
        <div className="actions">
          <a href="/admin/facilities/import.csv" className="btn btn-secondary" download>
            {t("import.template")}
          </a>
          <a href="/admin/facilities.csv" className="btn btn-secondary" download>
            {t("import.directory")}
          </a>
        </div>
      </div>

      {result && !result.ok ? (
        <Alert tone="error" title={t("import.unreadable")}>
          {errorText([result.error])}
        </Alert>
      ) : null}
      {result?.ok ? <ImportReportCard result={result} /> : null}
      {result?.ok && !result.applied && data?.file && result.counts.created + result.counts.updated > 0 ? (
        <Form method="post" encType="multipart/form-data" className="card">
          <input type="hidden" name="intent" value="apply" />
          <input type="hidden" name="filename" value={data.file.name} />
          <input type="hidden" name="csv" value={data.file.text} />
          <p>
            {t("import.apply")} <strong>{data.file.name}</strong>
            {t("import.applyCounts", { created: result.counts.created, updated: result.counts.updated })}
            {result.counts.error
              ? result.counts.error === 1
                ? t("import.leftOutOne")
                : t("import.leftOutMany", { count: result.counts.error })
              : ""}
            .
          </p>
          <div className="actions">
            <Button type="submit" busy={busy("apply")}>
              {t("import.applySubmit")}
            </Button>
          </div>
        </Form>
      ) : null}

      <section className="card" aria-labelledby="upload-title">
        <h2 id="upload-title">{result?.ok ? t("import.another") : t("import.upload")}</h2>
        <Form method="post" encType="multipart/form-data">
          <input type="hidden" name="intent" value="check" />
          <CsvFileField />
          <div className="actions">
            <Button type="submit" busy={busy("check")}>
              {t("import.check")}
            </Button>
          </div>
        </Form>
      </section>

      <CsvColumns columns={COLUMNS.map(([column, key]) => [column, t(`import.columns.${key}`)] as const)}>
        <Trans t={t} i18nKey="import.columnsNote" components={{ code: <code /> }} />
      </CsvColumns>
    </div>
  );
}

function ImportReportCard({ result }: { result: Extract<ImportReport, { ok: true }> }) {
  const { counts, applied } = result;
  const when = applied ? "done" : "planned";
  const { t } = useTranslation("facilities");
  const errorText = useErrorText();
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">{applied ? t("import.report") : t("import.plan")}</h2>
      <Alert tone={counts.error ? "warning" : "success"}>
        {t(applied ? "import.countsDone" : "import.countsPlanned", {
          created: counts.created,
          updated: counts.updated,
          unchanged: counts.unchanged,
          error: counts.error,
        })}
        {counts.error ? t("import.fix") : "."}
        {!applied ? ` ${t("import.nothingSaved")}` : ""}
      </Alert>
      <div className="table-wrap">
        <table className="data import-report">
          <thead>
            <tr>
              <th scope="col">{t("import.row")}</th>
              <th scope="col">{t("list.facility")}</th>
              <th scope="col">{t("import.result")}</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row) => (
              <tr key={row.row} className={row.outcome === "error" ? "import-refused" : undefined}>
                <td data-label={t("import.row")}>{row.row}</td>
                <td data-label={t("list.facility")}>{row.name ? `${row.name}${row.city ? `, ${row.city}` : ""}` : "—"}</td>
                <td data-label={t("import.result")}>
                  <span>
                    <span className={`badge ${OUTCOME_BADGES[row.outcome]}`}>{t(`import.outcome.${row.outcome}.${when}`)}</span>
                    {row.outcome === "updated" && row.changed.length ? ` ${row.changed.join(", ")}` : ""}
                    {row.problems.length ? ` ${problemsText(row.problems, errorText)}` : ""}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const problemsText = (problems: RowProblem[], errorText: (errors: string[]) => string) =>
  problems.map((p) => (p.field === "row" ? errorText([p.message]) : `${p.field}: ${errorText([p.message])}`)).join("; ");

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Upload hospitals and clinics");
