// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Fragment } from "react";

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
  return (
    <section className="card" aria-labelledby="holder-title">
      <h2 id="holder-title">Policyholder</h2>
      <dl className="details-list">
        <dt>Name</dt>
        <dd>{holder.name ?? <span className="muted">Not given</span>}</dd>
        {holder.email ? (
          <>
            <dt>Email</dt>
            <dd>{holder.email}</dd>
          </>
        ) : null}
        {holder.phone ? (
          <>
            <dt>Phone</dt>
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
          <h3>Beneficiaries</h3>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Relationship</th>
                  <th scope="col" className="num">
                    Share
                  </th>
                </tr>
              </thead>
              <tbody>
                {beneficiaries.map((b) => (
                  <tr key={`${b.name}-${b.relationship}`}>
                    <td data-label="Name">{b.name}</td>
                    <td data-label="Relationship">{b.relationship}</td>
                    <td data-label="Share" className="num">
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
