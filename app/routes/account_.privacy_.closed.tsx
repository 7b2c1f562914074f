// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { pageTitle } from "~/lib/meta";
import { requireTenant } from "~/modules/tenancy/resolve.server";

/** Where closing an account ends: the person is signed out, so the page needs no account. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireTenant(request);
  return json({});
}

export default function AccountClosed() {
  return (
    <div className="stack">
      <h1>Your account is closed</h1>
      <p>You have been signed out everywhere and your personal details have been removed. We have sent a confirmation to your email.</p>
      <p>We keep the records of your policies and payments only for as long as the law requires.</p>
      <p>
        <Link to="/">Back to the home page</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Account closed");
