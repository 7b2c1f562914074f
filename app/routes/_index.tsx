import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { siteOf } from "~/modules/tenancy/resolve.server";
import { useRootData } from "~/root";

/** The bare host is Covera's own site; an agency's host is its storefront. */
export async function loader({ request }: LoaderFunctionArgs) {
  const site = await siteOf(request);
  return json({ kind: site.kind });
}

export default function Home() {
  const { kind } = useLoaderData<typeof loader>();
  return kind === "tenant" ? <StorefrontHome /> : <PlatformHome />;
}

function StorefrontHome() {
  const data = useRootData();
  if (data?.site.kind !== "tenant") return null;
  const { tenant } = data.site;
  return (
    <>
      <section className="hero">
        <h1>{tenant.name}</h1>
        {tenant.branding.tagline ? <p>{tenant.branding.tagline}</p> : null}
        <div className="actions">
          {data.user ? (
            <Link to="/account" className="btn btn-secondary">
              My account
            </Link>
          ) : (
            <>
              <Link to="/register" className="btn btn-secondary">
                Create your account
              </Link>
              <Link to="/login" className="btn btn-ghost" style={{ color: "var(--brand-contrast)" }}>
                Sign in
              </Link>
            </>
          )}
        </div>
      </section>
      <section className="grid three" aria-label="How it works">
        <div className="card">
          <h2>1. Tell us what to cover</h2>
          <p className="muted">Your car, your family&apos;s health, your home or your travels.</p>
        </div>
        <div className="card">
          <h2>2. Compare real prices</h2>
          <p className="muted">
            Priced quotes from the insurers {tenant.name} works with, in {tenant.currency}.
          </p>
        </div>
        <div className="card">
          <h2>3. Buy and manage online</h2>
          <p className="muted">Pay, download certificates and follow claims from your account.</p>
        </div>
      </section>
      <section className="card" style={{ marginTop: 24 }} aria-label="Contact">
        <h2>Talk to us</h2>
        <p>
          {tenant.contact.phone ? <>Call {tenant.contact.phone}. </> : null}
          {tenant.contact.email ? <>Email {tenant.contact.email}. </> : null}
          {tenant.contact.address ? <>Visit {tenant.contact.address}.</> : null}
        </p>
      </section>
    </>
  );
}

function PlatformHome() {
  const data = useRootData();
  return (
    <section className="narrow stack" style={{ maxWidth: 640 }}>
      <h1>Covera</h1>
      <p>
        The platform insurance agencies run their business on: branded storefronts, back offices, agent networks and payments, one agency
        per host.
      </p>
      <p>
        <Link to={data?.operator ? "/console" : "/console/login"} className="btn btn-primary">
          {data?.operator ? "Open the operator console" : "Operator sign in"}
        </Link>
      </p>
    </section>
  );
}
