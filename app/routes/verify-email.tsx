import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { pageTitle } from "~/lib/meta";
import { verifyEmail } from "~/modules/auth/accounts.server";
import { clientInfo, optionalUser } from "~/modules/auth/guards.server";
import { originOf, requireTenant } from "~/modules/tenancy/resolve.server";
import { lineText } from "~/lib/text";

// Tokens are 32 random bytes in base64url (43 characters); anything else cannot be one.
const querySchema = z.object({
  token: lineText()
    .regex(/^[A-Za-z0-9_-]{20,100}$/)
    .optional()
    .catch(undefined),
  verified: z.literal("1").optional().catch(undefined),
});

/**
 * The link in the confirmation email. A good token is used at once and the page redirects to
 * itself without it, so a reload does not report the spent link as invalid, and the header (read
 * by the root loader) already knows the address is confirmed.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const params = new URL(request.url).searchParams;
  const query = querySchema.parse(Object.fromEntries(params));
  const user = await optionalUser(request);
  const signedIn = user ? { emailVerified: user.emailVerified, email: user.email } : null;
  if (query.verified) return json({ state: "verified" as const, signedIn });
  if (query.token) {
    const result = await withTenant(tenant.id, (db) =>
      verifyEmail(db, query.token!, { ip: clientInfo(request).ip, origin: originOf(request) }),
    );
    if (result.ok) throw redirect("/verify-email?verified=1");
  }
  return json({ state: "invalid" as const, signedIn }, { status: params.has("token") ? 400 : 200 });
}

export default function VerifyEmail() {
  const { state, signedIn } = useLoaderData<typeof loader>();
  if (state === "verified") {
    return (
      <section className="narrow">
        <h1>Email confirmed</h1>
        <Alert tone="success" title="Thank you — your email address is confirmed.">
          We will send policy documents, receipts and claim updates there.
        </Alert>
        <p>
          <Link to={signedIn ? "/account" : "/login"} className="btn btn-primary">
            {signedIn ? "Go to your account" : "Sign in"}
          </Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>This confirmation link does not work</h1>
      <Alert tone="error">The link is invalid, has expired (links work for 48 hours) or has already been used. Links work once only.</Alert>
      {signedIn?.emailVerified ? (
        <p>
          Good news: your email address <strong>{signedIn.email}</strong> is already confirmed.{" "}
          <Link to="/account">Go to your account</Link>.
        </p>
      ) : signedIn ? (
        <div className="card stack">
          <p>We can send a new confirmation link to {signedIn.email}.</p>
          <Form method="post" action="/account/security">
            <input type="hidden" name="intent" value="resend-verification" />
            <Button type="submit">Send a new link</Button>
          </Form>
        </div>
      ) : (
        <p>
          <Link to="/login?redirectTo=%2Faccount%2Fsecurity%23verify">Sign in</Link> and we will send you a new link from your account’s
          security page.
        </p>
      )}
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Confirm your email");
