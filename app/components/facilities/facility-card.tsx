import { useTranslation } from "react-i18next";
import { mapHref, telHref, type PublicFacility } from "~/modules/facilities/schemas";

/**
 * One hospital or clinic as a member reads it before going: where, how to call, what it treats.
 * The public search page lists these; a claim's pages can show the facility they name the same way
 * (the styles are app/styles/facilities.css).
 */
export function FacilityCard({ facility: f }: { facility: PublicFacility }) {
  const { t } = useTranslation("facilities");
  const headingId = `facility-${f.id}`;
  return (
    <article className="card facility-card" aria-labelledby={headingId}>
      <div className="facility-card-head">
        <h2 id={headingId}>{f.name}</h2>
        <span className="badges">
          <span className="badge">{t(`kind.${f.kind}`)}</span>
          {f.panel ? (
            <span className="badge badge-active">{t("card.panel")}</span>
          ) : (
            <span className="badge badge-pending">{t("card.notPanel")}</span>
          )}
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
            {t("card.call", { phone: f.phone })}
          </a>
        ) : null}
        {f.email ? <a href={`mailto:${f.email}`}>{f.email}</a> : null}
        <a href={mapHref(f)} rel="noopener noreferrer" target="_blank">
          {t("card.map")}
          <span className="visually-hidden"> {t("card.newTab")}</span>
        </a>
      </p>
      {f.services.length ? (
        <ul className="facility-services" aria-label={t("card.services", { name: f.name })}>
          {f.services.map((service) => (
            <li key={service}>{service}</li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
