import { useTranslation } from "react-i18next";
export interface PolicyDocumentsView {
  /** null: the policy is not issued yet; url null: its certificate is being rendered. */
  certificate: { url: string | null } | null;
  receipts: { id: string; number: string; what: string; url: string | null }[];
}

/** The policy's certificate and the receipts of its payments, each a short-lived signed link. */
export function PolicyDocuments({ certificate, receipts }: PolicyDocumentsView) {
  const { t } = useTranslation("policy");
  return (
    <section className="card" aria-labelledby="documents-title">
      <h2 id="documents-title">{t("documents.title")}</h2>
      <ul className="document-list">
        <li>
          <strong>{t("documents.certificate")}</strong>{" "}
          {certificate?.url ? (
            <a href={certificate.url} download>
              {t("documents.downloadCertificate")}
            </a>
          ) : certificate ? (
            <span className="muted">{t("documents.preparing")}</span>
          ) : (
            <span className="muted">{t("documents.issuedWithPolicy")}</span>
          )}
        </li>
        {receipts.map((r) => (
          <li key={r.id}>
            <strong>{t("documents.receipt", { number: r.number })}</strong> <span className="muted">({r.what})</span>{" "}
            {r.url ? (
              <a href={r.url} download>
                {t("documents.downloadReceipt")}
              </a>
            ) : (
              <span className="muted">{t("documents.preparing")}</span>
            )}
          </li>
        ))}
      </ul>
      <p className="muted small">{t("documents.linksExpire")}</p>
    </section>
  );
}
