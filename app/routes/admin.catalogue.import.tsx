import { pricingContextFor } from "~/modules/catalogue/context.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { Alert } from "~/components/ui/alert";
import { CsvColumns, CsvFileField } from "~/components/csv/upload";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { CSV_LIMITS } from "~/modules/catalogue/csv-format";
import { importProducts, PRODUCT_CSV, type ImportResult } from "~/modules/catalogue/csv-import.server";
import { readCsvUpload } from "~/lib/csv-upload.server";
import { serverT } from "~/modules/i18n/i18n.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:catalogue:any");
  const t = await serverT(tenant.language, "admin-catalogue");
  return json({ title: t("productImport.title") });
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

/** The file's columns (English: they are the format) and the key of what to put in each. */
const COLUMNS: [string, string][] = [
  ["slug", "slug"],
  ["name", "name"],
  ["category", "category"],
  ["insurer", "insurer"],
  ["summary", "summary"],
  ["description", "description"],
  ["features, inclusions, exclusions", "lists"],
  ["coverage", "coverage"],
  ["waiting_period_days", "waiting"],
  ["max_cover", "maxCover"],
  ["requires_underwriting, featured, active", "flags"],
  ["copy_rating_from", "copyRating"],
  ["rating_json, sample_input_json", "ratingJson"],
  ["price_annual, price_monthly", "prices"],
];

export default function ImportProducts() {
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const result = data?.result;
  const { t } = useTranslation("admin-catalogue");
  const errorText = useErrorText();
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/catalogue/products">{t("nav.products")}</Link> / {t("overview.uploadCsv")}
      </p>
      <div className="page-head">
        <div>
          <h1>{t("productImport.heading")}</h1>
          <p className="muted">{t("productImport.intro", { rows: CSV_LIMITS.rows })}</p>
        </div>
        <a href="/admin/catalogue/import.csv" className="btn btn-secondary" download>
          {t("productImport.template")}
        </a>
      </div>

      {result && !result.ok ? (
        <Alert tone="error" title={t("productImport.notImported")}>
          {errorText([result.error])}
        </Alert>
      ) : null}
      {result?.ok ? <ImportReport result={result} /> : null}

      <section className="card" aria-labelledby="upload-title">
        <h2 id="upload-title">{t("productImport.upload")}</h2>
        <Form method="post" encType="multipart/form-data">
          <CsvFileField />
          <div className="actions">
            <Button type="submit" busy={navigation.state === "submitting"}>
              {t("productImport.submit")}
            </Button>
          </div>
        </Form>
      </section>

      <CsvColumns columns={COLUMNS.map(([column, key]) => [column, t(`productImport.columns.${key}`)] as const)}>
        <Trans t={t} i18nKey="productImport.columnsNote" components={{ code: <code /> }} />
      </CsvColumns>
    </div>
  );
}

function ImportReport({ result }: { result: Extract<ImportResult, { ok: true }> }) {
  const { t } = useTranslation("admin-catalogue");
  const errorText = useErrorText();
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">{t("productImport.report")}</h2>
      <Alert tone={result.refused ? "warning" : "success"}>
        {t("productImport.counts", { created: result.created, updated: result.updated, refused: result.refused })}
        {result.refused ? t("productImport.fixRefused") : "."}
      </Alert>
      <div className="table-wrap">
        <table className="data import-report">
          <thead>
            <tr>
              <th scope="col">{t("productImport.row")}</th>
              <th scope="col">{t("productImport.slug")}</th>
              <th scope="col">{t("productImport.result")}</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row) => (
              <tr key={row.row} className={row.outcome === "refused" ? "import-refused" : undefined}>
                <td data-label={t("productImport.row")}>{row.row}</td>
                <td data-label={t("productImport.slug")}>
                  <code>{row.slug || "—"}</code>
                </td>
                <td data-label={t("productImport.result")}>
                  {row.outcome === "refused" ? (
                    <span>
                      <span className="badge badge-failed">{t("productImport.refused")}</span>{" "}
                      {row.reasons.map((r) => errorText([r])).join("; ")}
                    </span>
                  ) : (
                    <span className="badge badge-active">
                      {row.outcome === "created" ? t("productImport.created") : t("productImport.updated")}
                    </span>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Upload products");
