import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from "@remix-run/react";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { checkCertificate, type CertificateValidity } from "~/modules/policies/verification.server";
import { quoteDateIn } from "~/modules/rating";
import { requireTenant } from "~/modules/tenancy/resolve.server";
import { useTranslation } from "react-i18next";

/**
 * /verify/<code>: the page a certificate's QR code opens. Public, on the agency's own host: it
 * confirms whether the certificate is genuine and in force, and shows nothing about the person it
 * covers (no name, identifiers or contact details). Not indexed, never cached.
 */
const NO_STORE = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const today = quoteDateIn(tenant.timeZone);
  const certificate = await withTenant(tenant.id, (db) => checkCertificate(db, params.code ?? "", today));
  if (!certificate) throw json({ reason: "unknown_certificate" }, { status: 404, headers: NO_STORE });
  // Cover dates are calendar dates: shown as they are, whatever the zone.
  const day = (value: string | null) => (value ? formatDate(value, tenant.locale, "UTC") : null);
  return json(
    {
      agency: {
        name: tenant.name,
        licence: tenant.contact.licence ?? null,
        phone: tenant.contact.phone ?? null,
        email: tenant.contact.email ?? null,
      },
      policyNumber: certificate.policyNumber,
      productName: certificate.productName,
      insurerName: certificate.insurerName,
      categoryName: certificate.categoryName,
      startDate: day(certificate.startDate),
      endDate: day(certificate.endDate),
      cancelledOn: day(certificate.cancelledOn),
      validity: certificate.validity,
      checkedAt: formatDateTime(new Date(), tenant.locale, tenant.timeZone),
    },
    { headers: NO_STORE },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

/** Why a certificate is or is not valid: worded in storefront:verify.reason.<reason>. */
type Reason = CertificateValidity["reason"];

export default function VerifyCertificate() {
  const data = useLoaderData<typeof loader>();
  const valid = data.validity.valid;
  const { t } = useTranslation("storefront");
  const contact = [data.agency.phone, data.agency.email].filter(Boolean).join(", ");
  return (
    <section className="verify-page stack narrow" aria-labelledby="verify-title">
      <p className="eyebrow">{t("verify.eyebrow", { agency: data.agency.name })}</p>
      <h1 id="verify-title">{valid ? t("verify.validTitle") : t("verify.invalidTitle")}</h1>
      <div className={`alert alert-${valid ? "success" : "error"}`} role="status">
        <strong className="alert-title">{valid ? t("verify.valid") : t("verify.notValid")}</strong>
        <div>
          {t(`verify.reason.${data.validity.reason as Reason}`)}
          {data.cancelledOn ? t("verify.cancelledOn", { date: data.cancelledOn }) : ""}
        </div>
      </div>
      <div className="card">
        <dl className="details-list">
          <dt>{t("verify.policyNumber")}</dt>
          <dd>{data.policyNumber ?? <span className="muted">{t("verify.notIssued")}</span>}</dd>
          <dt>{t("verify.product")}</dt>
          <dd>
            {data.productName} <span className="muted">({data.categoryName})</span>
          </dd>
          <dt>{t("verify.insurer")}</dt>
          <dd>{data.insurerName}</dd>
          <dt>{t("verify.issuedThrough")}</dt>
          <dd>
            {data.agency.name}
            {data.agency.licence ? <span className="muted"> · {data.agency.licence}</span> : null}
          </dd>
          {data.startDate ? (
            <>
              <dt>{t("verify.starts")}</dt>
              <dd>{data.startDate}</dd>
            </>
          ) : null}
          {data.endDate ? (
            <>
              <dt>{t("verify.ends")}</dt>
              <dd>{data.endDate}</dd>
            </>
          ) : null}
          {data.cancelledOn ? (
            <>
              <dt>{t("verify.cancelled")}</dt>
              <dd>{t("verify.cancelledNoCover", { date: data.cancelledOn })}</dd>
            </>
          ) : null}
          <dt>{t("verify.checked")}</dt>
          <dd>{data.checkedAt}</dd>
        </dl>
      </div>
      <p className="muted small">{contact ? t("verify.privacyContact", { agency: data.agency.name, contact }) : t("verify.privacy")}</p>
    </section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const { t } = useTranslation("storefront");
  return (
    <section className="verify-page error-page narrow" aria-labelledby="verify-error-title">
      <h1 id="verify-error-title">{notFound ? t("verify.notFoundTitle") : t("verify.errorTitle")}</h1>
      {notFound ? <p>{t("verify.notFoundBody")}</p> : <p>{t("verify.tryAgain")}</p>}
      <p>
        <Link to="/">{t("verify.home")}</Link>
      </p>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  ...pageTitle(matches, "Certificate check"),
  { name: "robots", content: "noindex, nofollow" },
];
