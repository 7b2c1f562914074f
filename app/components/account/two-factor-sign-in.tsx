import { Form, Link, useNavigation } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";

/** The second step of signing in (decision 033), on a storefront and in the console. */
export function TwoFactorSignInForm({ errors, startAgain }: { errors?: string[]; startAgain: string }) {
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow">
      <h1>Enter your code</h1>
      <div className="card">
        <Form method="post" className="stack">
          <p>Open your authenticator app and enter the 6-digit code it shows for this account.</p>
          <Field
            id="code"
            name="code"
            label="Code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            errors={errors}
            hint="Lost your phone? Enter one of your recovery codes instead."
          />
          <div className="actions">
            <Button type="submit" busy={busy}>
              Sign in
            </Button>
            <Link to={startAgain}>Start again</Link>
          </div>
        </Form>
      </div>
    </section>
  );
}
