import { Link } from "@remix-run/react";
import { Alert } from "~/components/ui/alert";

/**
 * The one answer to a registration (storefront or referral link), whether or not the address
 * already had an account: the page must not tell anyone who is a customer, so the email does.
 */
export function CheckYourEmail({ email, agency, signIn }: { email: string; agency: string; signIn: string }) {
  return (
    <section className="narrow">
      <h1>Check your email</h1>
      <Alert tone="success" title={`We sent a message to ${email}.`}>
        Follow the link in it to confirm your address, then sign in. If you already had an account with {agency}, the message tells you how
        to get back into it.
      </Alert>
      <p className="muted">Nothing after a few minutes? Check your spam folder, and that the address above is right.</p>
      <p>
        <Link to={signIn} className="btn btn-primary">
          Sign in
        </Link>
      </p>
    </section>
  );
}
