import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * The parts every CSV upload page shares (the catalogue's products, the facilities directory): the
 * file field, and the card that documents the columns. Column names stay as they are (they are the
 * file's format); what to put in them comes translated from the page.
 */

export function CsvFileField() {
  const { t } = useTranslation("admin-catalogue");
  return (
    <div className="field">
      <label htmlFor="import-file">{t("csv.file")}</label>
      <input id="import-file" type="file" name="file" accept=".csv,text/csv" required aria-describedby="import-file-hint" />
      <p className="field-hint" id="import-file-hint">
        {t("csv.fileHint")}
      </p>
    </div>
  );
}

/** The columns a file may have, each with what to put in it; `children` says which are required and how updates work. */
export function CsvColumns({ columns, children }: { columns: readonly (readonly [string, string])[]; children: ReactNode }) {
  const { t } = useTranslation("admin-catalogue");
  return (
    <section className="card" aria-labelledby="columns-title">
      <h2 id="columns-title">{t("csv.columns")}</h2>
      <p className="muted">{children}</p>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t("csv.column")}</th>
              <th scope="col">{t("csv.meaning")}</th>
            </tr>
          </thead>
          <tbody>
            {columns.map(([column, meaning]) => (
              <tr key={column}>
                <td data-label={t("csv.column")}>
                  <code>{column}</code>
                </td>
                <td data-label={t("csv.meaning")}>{meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
