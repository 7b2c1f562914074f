// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { pricingContextFor } from "~/modules/catalogue/context.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Alert } from "~/components/ui/alert";
import { CsvColumns, CsvFileField } from "~/components/csv/upload";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { CSV_LIMITS } from "~/modules/catalogue/csv-format";
import { importProducts, PRODUCT_CSV, type ImportResult } from "~/modules/catalogue/csv-import.server";
import { readCsvUpload } from "~/lib/csv-upload.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:catalogue:any");
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:catalogue:any");
  const upload = await readCsvUpload(request, PRODUCT_CSV);
  if (!upload.ok) return reply({ ok: false, error: upload.error }, upload.status);
  const pricing = pricingContextFor(tenant);
  const result = await withTenant(tenant.id, async (db) =>
    importProducts(db, pricing, upload.text, { userId: user.id, ip: clientInfo(request).ip }, upload.name),
  );
  return reply(result, result.ok ? 200 : 400);
}

function reply(result: ImportResult, status: number) {
  return json({ result }, { status });
}

const COLUMNS: [string, string][] = [
  [
    "slug",
    "Required. The product's address, like motor-comprehensive-plus. A slug you already have updates that product; a new one adds a product.",
  ],
  ["name", "Required for a new product."],
  ["category", "Required for a new product: a category's address, like motor."],
  ["insurer", "Required for a new product: an insurer's address, like jubilee."],
  ["summary", "Required for a new product: one sentence for the listing."],
  ["description", "Optional."],
  ["features, inclusions, exclusions", "Optional lists: items separated by |, like Towing|Windscreen cover."],
  ["coverage", 'Optional list of "Label: value" items separated by |, like Inpatient: KES 1,000,000|Outpatient: KES 100,000.'],
  ["waiting_period_days", "Optional whole number of days (0 when empty)."],
  ["max_cover", "Optional amount in your currency, like 1,000,000."],
  ["requires_underwriting, featured, active", "Optional true or false (false, false and true when empty)."],
  ["copy_rating_from", "Price rules, option 1: the slug of a product whose rating rules and sample input to copy."],
  [
    "rating_json, sample_input_json",
    "Price rules, option 2: the rating rules as JSON, and a typical customer's inputs as JSON (money in minor units).",
  ],
  [
    "price_annual, price_monthly",
    "Price rules, option 3: a fixed price a year, and optionally a month, like 1,800. Your levies are added on top.",
  ],
];

export default function ImportProducts() {
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const result = data?.result;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/catalogue/products">Products</Link> / Upload a CSV
      </p>
      <div className="page-head">
        <div>
          <h1>Upload products from a CSV file</h1>
          <p className="muted">
            Add or update up to {CSV_LIMITS.rows} products at once (1 MB at most). Each row is checked on its own: good rows are saved even
            when others are refused, and you get a report for every row.
          </p>
        </div>
        <a href="/admin/catalogue/import.csv" className="btn btn-secondary" download>
          Download the template
        </a>
      </div>

      {result && !result.ok ? (
        <Alert tone="error" title="The file was not imported">
          {result.error}
        </Alert>
      ) : null}
      {result?.ok ? <ImportReport result={result} /> : null}

      <section className="card" aria-labelledby="upload-title">
        <h2 id="upload-title">Upload</h2>
        <Form method="post" encType="multipart/form-data">
          <CsvFileField />
          <div className="actions">
            <Button type="submit" busy={navigation.state === "submitting"}>
              Upload and import
            </Button>
          </div>
        </Form>
      </section>

      <CsvColumns columns={COLUMNS}>
        Only <code>slug</code> must be present; leave out the columns you do not need. When a row updates a product, an empty cell keeps its
        current value. Each row gives its price rules in exactly one of three ways (an update may give none and keep its rules).
      </CsvColumns>
    </div>
  );
}

function ImportReport({ result }: { result: Extract<ImportResult, { ok: true }> }) {
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">Import report</h2>
      <Alert tone={result.refused ? "warning" : "success"}>
        {result.created} created · {result.updated} updated · {result.refused} refused
        {result.refused ? ". Fix the refused rows and upload them again; the others are saved." : "."}
      </Alert>
      <div className="table-wrap">
        <table className="data import-report">
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Slug</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row) => (
              <tr key={row.row} className={row.outcome === "refused" ? "import-refused" : undefined}>
                <td data-label="Row">{row.row}</td>
                <td data-label="Slug">
                  <code>{row.slug || "—"}</code>
                </td>
                <td data-label="Result">
                  {row.outcome === "refused" ? (
                    <span>
                      <span className="badge badge-failed">Refused</span> {row.reasons.join("; ")}
                    </span>
                  ) : (
                    <span className="badge badge-active">{row.outcome === "created" ? "Created" : "Updated"}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Upload products");
