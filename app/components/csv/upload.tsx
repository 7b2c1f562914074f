// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ReactNode } from "react";

/**
 * The parts every CSV upload page shares (the catalogue's products, the facilities directory): the
 * file field, and the card that documents the columns.
 */

export function CsvFileField() {
  return (
    <div className="field">
      <label htmlFor="import-file">CSV file</label>
      <input id="import-file" type="file" name="file" accept=".csv,text/csv" required aria-describedby="import-file-hint" />
      <p className="field-hint" id="import-file-hint">
        Saved from a spreadsheet as “CSV UTF-8”, with the column names in the first row.
      </p>
    </div>
  );
}

/** The columns a file may have, each with what to put in it; `children` says which are required and how updates work. */
export function CsvColumns({ columns, children }: { columns: readonly (readonly [string, string])[]; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby="columns-title">
      <h2 id="columns-title">Columns</h2>
      <p className="muted">{children}</p>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">What to put in it</th>
            </tr>
          </thead>
          <tbody>
            {columns.map(([column, meaning]) => (
              <tr key={column}>
                <td data-label="Column">
                  <code>{column}</code>
                </td>
                <td data-label="What to put in it">{meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
