// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { KIND_LABELS, mapHref, telHref, type PublicFacility } from "~/modules/facilities/schemas";

/**
 * One hospital or clinic as a member reads it before going: where, how to call, what it treats.
 * The public search page lists these; a claim's pages can show the facility they name the same way
 * (the styles are app/styles/facilities.css).
 */
export function FacilityCard({ facility: f }: { facility: PublicFacility }) {
  const headingId = `facility-${f.id}`;
  return (
    <article className="card facility-card" aria-labelledby={headingId}>
      <div className="facility-card-head">
        <h2 id={headingId}>{f.name}</h2>
        <span className="badges">
          <span className="badge">{KIND_LABELS[f.kind]}</span>
          {f.panel ? <span className="badge badge-active">Panel</span> : <span className="badge badge-pending">Not on our panel</span>}
        </span>
      </div>
      <address>
        {f.address ? <span>{f.address}</span> : null}
        <span>{[f.postcode, f.city].filter(Boolean).join(" ")}</span>
        <span>{f.state}</span>
      </address>
      <p className="facility-contact">
        {f.phone ? (
          <a href={telHref(f.phone)} className="facility-call">
            Call {f.phone}
          </a>
        ) : null}
        {f.email ? <a href={`mailto:${f.email}`}>{f.email}</a> : null}
        <a href={mapHref(f)} rel="noopener noreferrer" target="_blank">
          Find it on a map<span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      </p>
      {f.services.length ? (
        <ul className="facility-services" aria-label={`Services at ${f.name}`}>
          {f.services.map((service) => (
            <li key={service}>{service}</li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
