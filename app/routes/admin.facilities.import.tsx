// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Alert } from "~/components/ui/alert";
import { CsvColumns, CsvFileField } from "~/components/csv/upload";
import { Button } from "~/components/ui/button";
import { readCsvUpload } from "~/lib/csv-upload.server";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { FACILITY_CSV, type RowProblem } from "~/modules/facilities/csv";
import { importFacilities, type ImportReport, type RowOutcome } from "~/modules/facilities/import.server";

/**
 * Upload a CSV of hospitals and clinics in two steps: "Check the file" reports what every row would
 * do and writes nothing; "Apply" posts the same file back (the page holds it) and saves the rows
 * without problems, each on its own.
 */

const intentSchema = z.enum(["check", "apply"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:facility:any");
  return json({});
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

const COLUMNS: [string, string][] = [
  ["name", "Required. With city, how a row finds the facility it updates; a name and city you do not have yet adds one."],
  ["city", "Required: the city or town."],
  ["kind", "hospital or clinic (required for a new facility)."],
  ["state", "The state or county (required for a new facility)."],
  ["address, postcode", "Optional: the street address and the postcode."],
  ["phone", "Optional: as callers dial it, like +60 3-2296 0888."],
  ["email", "Optional: an email address."],
  ["panel", "yes or no: whether it is on your panel (yes when empty)."],
  ["services", "Optional list: items separated by |, like 24-hour emergency|Maternity|Dialysis."],
  ["status", "active or inactive (active when empty). Inactive facilities are kept but not listed."],
];

const OUTCOME_LABELS: Record<RowOutcome, { planned: string; done: string; badge: string }> = {
  created: { planned: "Will be added", done: "Added", badge: "badge-active" },
  updated: { planned: "Will be updated", done: "Updated", badge: "badge-outbox" },
  unchanged: { planned: "No change", done: "No change", badge: "" },
  error: { planned: "Has problems", done: "Not saved", badge: "badge-failed" },
};

export default function ImportFacilities() {
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const result = data?.result;
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/facilities">Hospitals and clinics</Link> / Upload a CSV
      </p>
      <div className="page-head">
        <div>
          <h1>Upload hospitals and clinics from a CSV file</h1>
          <p className="muted">
            Add or update up to {FACILITY_CSV.limits.rows} facilities at once (1 MB at most). First check the file: you get a report for
            every row and nothing is saved. Then apply it: the rows without problems are saved, each on its own.
          </p>
        </div>
        <div className="actions">
          <a href="/admin/facilities/import.csv" className="btn btn-secondary" download>
            Download the template
          </a>
          <a href="/admin/facilities.csv" className="btn btn-secondary" download>
            Download your directory
          </a>
        </div>
      </div>

      {result && !result.ok ? (
        <Alert tone="error" title="The file could not be read">
          {result.error}
        </Alert>
      ) : null}
      {result?.ok ? <ImportReportCard result={result} /> : null}
      {result?.ok && !result.applied && data?.file && result.counts.created + result.counts.updated > 0 ? (
        <Form method="post" encType="multipart/form-data" className="card">
          <input type="hidden" name="intent" value="apply" />
          <input type="hidden" name="filename" value={data.file.name} />
          <input type="hidden" name="csv" value={data.file.text} />
          <p>
            Apply <strong>{data.file.name}</strong>: {result.counts.created} to add and {result.counts.updated} to update
            {result.counts.error
              ? `; the ${result.counts.error === 1 ? "row" : `${result.counts.error} rows`} with problems will be left out`
              : ""}
            .
          </p>
          <div className="actions">
            <Button type="submit" busy={busy("apply")}>
              Apply these changes
            </Button>
          </div>
        </Form>
      ) : null}

      <section className="card" aria-labelledby="upload-title">
        <h2 id="upload-title">{result?.ok ? "Check another file" : "Upload"}</h2>
        <Form method="post" encType="multipart/form-data">
          <input type="hidden" name="intent" value="check" />
          <CsvFileField />
          <div className="actions">
            <Button type="submit" busy={busy("check")}>
              Check the file
            </Button>
          </div>
        </Form>
      </section>

      <CsvColumns columns={COLUMNS}>
        Only <code>name</code> and <code>city</code> must be present; leave out the columns you do not need. When a row updates a facility,
        a column you leave out keeps its value, and an empty cell in a column you give clears it.
      </CsvColumns>
    </div>
  );
}

function ImportReportCard({ result }: { result: Extract<ImportReport, { ok: true }> }) {
  const { counts, applied } = result;
  const when = applied ? "done" : "planned";
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">{applied ? "Import report" : "What this file would do"}</h2>
      <Alert tone={counts.error ? "warning" : "success"}>
        {applied
          ? `${counts.created} added · ${counts.updated} updated · ${counts.unchanged} unchanged · ${counts.error} not saved`
          : `${counts.created} to add · ${counts.updated} to update · ${counts.unchanged} unchanged · ${counts.error} with problems`}
        {counts.error ? ". Fix the rows with problems and upload them again." : "."}
        {!applied ? " Nothing has been saved yet." : ""}
      </Alert>
      <div className="table-wrap">
        <table className="data import-report">
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Facility</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row) => (
              <tr key={row.row} className={row.outcome === "error" ? "import-refused" : undefined}>
                <td data-label="Row">{row.row}</td>
                <td data-label="Facility">{row.name ? `${row.name}${row.city ? `, ${row.city}` : ""}` : "—"}</td>
                <td data-label="Result">
                  <span>
                    <span className={`badge ${OUTCOME_LABELS[row.outcome].badge}`}>{OUTCOME_LABELS[row.outcome][when]}</span>
                    {row.outcome === "updated" && row.changed.length ? ` ${row.changed.join(", ")}` : ""}
                    {row.problems.length ? ` ${problemsText(row.problems)}` : ""}
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

const problemsText = (problems: RowProblem[]) =>
  problems.map((p) => (p.field === "row" ? p.message : `${p.field}: ${p.message}`)).join("; ");

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Upload hospitals and clinics");
