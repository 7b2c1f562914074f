import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { requireUser } from "~/modules/auth/guards.server";
import { getProfile } from "~/modules/auth/users.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const profile = await withTenant(tenant.id, (db) => getProfile(db, user.id));
  if (!profile) throw new Response("Not found", { status: 404 });
  return json({
    welcome: new URL(request.url).searchParams.get("welcome") === "1",
    profile: { name: profile.name, email: profile.email, verified: profile.email_verified_at !== null },
  });
}

export default function AccountOverview() {
  const { welcome, profile } = useLoaderData<typeof loader>();
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>Your account</h1>
          <p className="muted">Hello, {profile.name}. Your cover, what is due and what needs doing.</p>
        </div>
        <div className="actions">
          <Link to="/account/claims/new" className="btn btn-secondary">
            File a claim
          </Link>
          <Form method="post" action="/logout">
            <Button type="submit" variant="secondary">
              Sign out
            </Button>
          </Form>
        </div>
      </div>
      <AccountNav />
      {welcome ? (
        <Alert tone="success" title={`Welcome, ${profile.name}! Your account is ready.`}>
          {profile.verified
            ? "You can now get quotes and buy cover."
            : `We have sent a confirmation email to ${profile.email}. Open the link in it to confirm your address.`}
        </Alert>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Your account");
