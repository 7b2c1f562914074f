import { Fragment } from "react";
import { useTranslation } from "react-i18next";

export interface PolicyHolderView {
  name: string | null;
  email: string | null;
  phone: string | null;
  identifiers: { label: string; masked: string }[];
}

/** The policyholder as the order recorded them (identifiers masked), and the beneficiaries with their shares. */
export function PolicyHolder({
  holder,
  beneficiaries,
}: {
  holder: PolicyHolderView;
  beneficiaries: { name: string; relationship: string; share: string }[];
}) {
  const { t } = useTranslation("policy");
  return (
    <section className="card" aria-labelledby="holder-title">
      <h2 id="holder-title">{t("holder.title")}</h2>
      <dl className="details-list">
        <dt>{t("holder.name")}</dt>
        <dd>{holder.name ?? <span className="muted">{t("holder.notGiven")}</span>}</dd>
        {holder.email ? (
          <>
            <dt>{t("holder.email")}</dt>
            <dd>{holder.email}</dd>
          </>
        ) : null}
        {holder.phone ? (
          <>
            <dt>{t("holder.phone")}</dt>
            <dd>{holder.phone}</dd>
          </>
        ) : null}
        {holder.identifiers.map((i) => (
          <Fragment key={i.label}>
            <dt>{i.label}</dt>
            <dd>{i.masked}</dd>
          </Fragment>
        ))}
      </dl>
      {beneficiaries.length > 0 ? (
        <>
          <h3>{t("holder.beneficiaries")}</h3>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("holder.name")}</th>
                  <th scope="col">{t("holder.relationship")}</th>
                  <th scope="col" className="num">
                    {t("holder.share")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {beneficiaries.map((b) => (
                  <tr key={`${b.name}-${b.relationship}`}>
                    <td data-label={t("holder.name")}>{b.name}</td>
                    <td data-label={t("holder.relationship")}>{b.relationship}</td>
                    <td data-label={t("holder.share")} className="num">
                      {b.share}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
