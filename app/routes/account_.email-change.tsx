// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { cancelEmailChange, confirmEmailChange } from "~/modules/account/email-change.server";
import { emailChangeTokenSchema } from "~/modules/account/schemas";
import { clientInfo } from "~/modules/auth/guards.server";
import { originOf, requireTenant } from "~/modules/tenancy/resolve.server";

/**
 * The two links of an email change (decision 032): `?confirm=` from the new address, `?cancel=`
 * from the old. Opening a link only shows a button; the change is made by pressing it (a POST), so
 * a mail scanner that follows links neither confirms nor cancels anything. No sign-in is needed:
 * the link is the proof.
 */

const token = lineText()
  .regex(/^[A-Za-z0-9_-]{20,100}$/)
  .optional()
  .catch(undefined);
const querySchema = z.object({
  confirm: token,
  cancel: token,
  done: z.enum(["confirmed", "cancelled", "invalid", "taken"]).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireTenant(request);
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (query.done) return json({ state: query.done, token: null });
  if (query.confirm) return json({ state: "ask-confirm" as const, token: query.confirm });
  if (query.cancel) return json({ state: "ask-cancel" as const, token: query.cancel });
  return json({ state: "invalid" as const, token: null }, { status: 400 });
}

export async function action({ request }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  const parsed = emailChangeTokenSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return redirect("/account/email-change?done=invalid");
  const ctx = { ip: clientInfo(request).ip, origin: originOf(request) };
  const result = await withTenant(tenant.id, (db) =>
    parsed.data.action === "confirm"
      ? confirmEmailChange(db, tenant, parsed.data.token, ctx)
      : cancelEmailChange(db, parsed.data.token, ctx),
  );
  return redirect(`/account/email-change?done=${result.state}`);
}

const ENDINGS = {
  confirmed: { tone: "success", title: "Your email address is changed", text: "Sign in with your new address from now on." },
  cancelled: {
    tone: "success",
    title: "The change is cancelled",
    text: "Your email address stays as it was. If you did not ask for the change, change your password too.",
  },
  invalid: {
    tone: "error",
    title: "This link does not work",
    text: "It is incomplete, has expired (links work for 24 hours), was replaced by a newer request or has already been used.",
  },
  taken: { tone: "error", title: "This address is taken", text: "Another account now uses this email address, so nothing was changed." },
} as const;

export default function EmailChange() {
  const { state, token: value } = useLoaderData<typeof loader>();
  if (state === "ask-confirm" || state === "ask-cancel") {
    const confirm = state === "ask-confirm";
    return (
      <section className="narrow stack">
        <h1>{confirm ? "Confirm your new email address" : "Cancel the change of email address"}</h1>
        <p>
          {confirm
            ? "Press the button to sign in with this address from now on."
            : "Press the button to stop the change. Your account keeps the address it has."}
        </p>
        <Form method="post">
          <input type="hidden" name="token" value={value ?? ""} />
          <input type="hidden" name="action" value={confirm ? "confirm" : "cancel"} />
          <Button type="submit" variant={confirm ? "primary" : "danger"}>
            {confirm ? "Confirm my new email" : "This wasn't me: cancel the change"}
          </Button>
        </Form>
      </section>
    );
  }
  const ending = ENDINGS[state];
  return (
    <section className="narrow stack">
      <h1>{ending.title}</h1>
      <Alert tone={ending.tone}>{ending.text}</Alert>
      <p>
        <Link to="/account/profile">Go to your profile</Link>
      </p>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Email address");
