// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
export interface PolicyDocumentsView {
  /** null: the policy is not issued yet; url null: its certificate is being rendered. */
  certificate: { url: string | null } | null;
  receipts: { id: string; number: string; what: string; url: string | null }[];
}

/** The policy's certificate and the receipts of its payments, each a short-lived signed link. */
export function PolicyDocuments({ certificate, receipts }: PolicyDocumentsView) {
  return (
    <section className="card" aria-labelledby="documents-title">
      <h2 id="documents-title">Documents</h2>
      <ul className="document-list">
        <li>
          <strong>Certificate of insurance</strong>{" "}
          {certificate?.url ? (
            <a href={certificate.url} download>
              Download certificate (PDF)
            </a>
          ) : certificate ? (
            <span className="muted">Being prepared — refresh this page in a minute.</span>
          ) : (
            <span className="muted">Issued with the policy.</span>
          )}
        </li>
        {receipts.map((r) => (
          <li key={r.id}>
            <strong>Receipt {r.number}</strong> <span className="muted">({r.what})</span>{" "}
            {r.url ? (
              <a href={r.url} download>
                Download receipt (PDF)
              </a>
            ) : (
              <span className="muted">Being prepared — refresh this page in a minute.</span>
            )}
          </li>
        ))}
      </ul>
      <p className="muted small">Download links work for five minutes and only when you are signed in.</p>
    </section>
  );
}
