import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from "@remix-run/react";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { checkCertificate, type CertificateValidity } from "~/modules/policies/verification.server";
import { quoteDateIn } from "~/modules/rating";
import { requireTenant } from "~/modules/tenancy/resolve.server";

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

const REASONS: Record<CertificateValidity["reason"], string> = {
  in_force: "This policy is in force.",
  not_started: "This policy is valid; its cover has not started yet.",
  not_issued: "This policy has not been issued, so this is not a valid certificate.",
  awaiting_underwriting: "This application is still being reviewed by the insurer: no cover has been issued yet.",
  declined: "The insurer declined this application: there is no cover.",
  cancelled: "This policy has been cancelled: it no longer gives cover.",
  lapsed: "This policy has lapsed because a premium was not paid: it no longer gives cover.",
  expired: "This policy's cover period has ended.",
};

export default function VerifyCertificate() {
  const data = useLoaderData<typeof loader>();
  const valid = data.validity.valid;
  return (
    <section className="verify-page stack narrow" aria-labelledby="verify-title">
      <p className="eyebrow">Certificate check · {data.agency.name}</p>
      <h1 id="verify-title">{valid ? "Valid certificate" : "Not a valid certificate"}</h1>
      <div className={`alert alert-${valid ? "success" : "error"}`} role="status">
        <strong className="alert-title">{valid ? "Valid" : "Not valid"}</strong>
        <div>
          {REASONS[data.validity.reason]}
          {data.cancelledOn ? ` Cancelled on ${data.cancelledOn}.` : ""}
        </div>
      </div>
      <div className="card">
        <dl className="details-list">
          <dt>Policy number</dt>
          <dd>{data.policyNumber ?? <span className="muted">Not issued</span>}</dd>
          <dt>Product</dt>
          <dd>
            {data.productName} <span className="muted">({data.categoryName})</span>
          </dd>
          <dt>Insurer</dt>
          <dd>{data.insurerName}</dd>
          <dt>Issued through</dt>
          <dd>
            {data.agency.name}
            {data.agency.licence ? <span className="muted"> · {data.agency.licence}</span> : null}
          </dd>
          {data.startDate ? (
            <>
              <dt>Cover starts</dt>
              <dd>{data.startDate}</dd>
            </>
          ) : null}
          {data.endDate ? (
            <>
              <dt>Cover ends</dt>
              <dd>{data.endDate}</dd>
            </>
          ) : null}
          {data.cancelledOn ? (
            <>
              <dt>Cancelled</dt>
              <dd>Cancelled on {data.cancelledOn}: no cover from that day</dd>
            </>
          ) : null}
          <dt>Checked</dt>
          <dd>{data.checkedAt}</dd>
        </dl>
      </div>
      <p className="muted small">
        This page confirms the policy only. For privacy it does not show who is covered: compare the certificate&apos;s details with the
        document you were given
        {data.agency.phone || data.agency.email
          ? `, and contact ${data.agency.name} (${[data.agency.phone, data.agency.email].filter(Boolean).join(", ")}) if anything differs`
          : ""}
        .
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <section className="verify-page error-page narrow" aria-labelledby="verify-error-title">
      <h1 id="verify-error-title">{notFound ? "We could not find a certificate with this code" : "We could not check this certificate"}</h1>
      {notFound ? (
        <p>
          Check that the address matches the one printed under the QR code on the certificate. If it does, this certificate was not issued
          here: please contact us.
        </p>
      ) : (
        <p>Please try again in a moment.</p>
      )}
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  ...pageTitle(matches, "Certificate check"),
  { name: "robots", content: "noindex, nofollow" },
];
