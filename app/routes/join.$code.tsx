// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CheckYourEmail } from "~/components/account/check-your-email";
import { Honeypot } from "~/components/honeypot";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConsentField, Field, inputProps } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { filledByRobot, typedEmail } from "~/modules/abuse/honeypot";
import { clientOf, countRequest, keepRetryAfter, refusedWith, tooManyRequests } from "~/modules/abuse/rate-limit.server";
import { clientInfo, optionalUser } from "~/modules/auth/guards.server";
import { PASSWORD_RULES_HINT } from "~/modules/auth/schemas";
import { joinSchema, referralCodeSchema } from "~/modules/network/agent-schemas";
import { joinThroughReferral, sponsorByCode } from "~/modules/network/agents.server";
import { requireNetworkTenant } from "~/modules/network/guards.server";
import { originOf } from "~/modules/tenancy/resolve.server";

/** /join/<code> — a sponsor's referral link: join the agency's agent network under them. */
const HIDDEN = ["password", "confirmPassword"];
const AGENT_SIGN_IN = `/login?redirectTo=${encodeURIComponent("/agent/profile?joined=1")}`;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tenant = await requireNetworkTenant(request);
  // Every look-up counts: referral codes must not be guessed by trying them.
  const counted = await countRequest("join", tenant.id, clientOf(request));
  if (counted.limited) throw tooManyRequests(counted);
  const code = referralCodeSchema.safeParse(params.code ?? "");
  const sponsor = code.success ? await withTenant(tenant.id, (db) => sponsorByCode(db, code.data)) : undefined;
  if (!sponsor) return json({ agency: tenant.name, sponsor: null, signedIn: false }, { status: 404 });
  if (code.success && params.code !== code.data) throw redirect(`/join/${code.data}`);
  const user = await optionalUser(request);
  return json({
    agency: tenant.name,
    sponsor: { firstName: sponsor.firstName, agentNumber: sponsor.agentNumber },
    signedIn: Boolean(user),
  });
}

/** As registration: one answer, "check your email", whether or not the address already had an account. */
export async function action({ request, params }: ActionFunctionArgs) {
  const tenant = await requireNetworkTenant(request);
  const code = referralCodeSchema.safeParse(params.code ?? "");
  if (!code.success) throw new Response("Not found", { status: 404 });
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: joinSchema });
  const counted = await countRequest("join", tenant.id, clientOf(request));
  if (counted.limited)
    return refusedWith(counted, (message) => ({ sent: null, reply: submission.reply({ formErrors: [message], hideFields: HIDDEN }) }));
  // A robot is answered as if it had worked, and nothing is written.
  if (filledByRobot(form)) return json({ sent: typedEmail(form), reply: null });
  if (submission.status !== "success") return json({ sent: null, reply: submission.reply({ hideFields: HIDDEN }) }, { status: 400 });
  const joined = await withTenant(tenant.id, (db) =>
    joinThroughReferral(db, tenant, { code: code.data, ...submission.value }, { ip: clientInfo(request).ip, origin: originOf(request) }),
  );
  // The sponsor stopped recruiting meanwhile: the page now says the link does not work.
  if (!joined.ok)
    return json({ sent: null, reply: submission.reply({ ...replyErrors(joined.errors, ["code"]), hideFields: HIDDEN }) }, { status: 404 });
  return json({ sent: submission.value.email, reply: null });
}

export default function JoinWithCode() {
  const { agency, sponsor, signedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.sent) return <CheckYourEmail email={actionData.sent} agency={agency} signIn={AGENT_SIGN_IN} />;
  if (!sponsor) {
    return (
      <section className="narrow">
        <h1>This referral link does not work</h1>
        <div className="card stack">
          <p>
            The code is not one of {agency}&apos;s agents, or that agent cannot recruit at the moment. Check the link with the person who
            sent it to you.
          </p>
          <p>
            <Link to="/join">Enter a referral code</Link>
          </p>
        </div>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>Join {agency} as an agent</h1>
      <p className="muted">
        Your sponsor: <strong>{sponsor.firstName}</strong>, agent {sponsor.agentNumber}. You join their team; {agency} approves new agents
        before they can sell.
      </p>
      {signedIn ? (
        <Alert tone="info" title="You are signed in">
          <p>Joining creates a new account: sign out first, or ask {agency} to make your existing account an agent.</p>
          <Form method="post" action="/logout">
            <Button type="submit" variant="secondary">
              Sign out
            </Button>
          </Form>
        </Alert>
      ) : (
        <JoinForm agency={agency} />
      )}
    </section>
  );
}

function JoinForm({ agency }: { agency: string }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.reply,
    constraint: getZodConstraint(joinSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: joinSchema }),
  });
  return (
    <div className="card">
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <Honeypot />
        <Field label="Full name (as on your MyKad)" {...inputProps(fields.name, { type: "text" })} autoComplete="name" />
        <Field label="Email" {...inputProps(fields.email, { type: "email" })} autoComplete="email" hint="We send a link to confirm it." />
        <Field
          label="Mobile phone"
          {...inputProps(fields.phone, { type: "tel" })}
          autoComplete="tel"
          hint="For example +60 12-345 6789. You confirm it with a code by SMS."
        />
        <Field
          label="Password"
          {...inputProps(fields.password, { type: "password" })}
          autoComplete="new-password"
          hint={PASSWORD_RULES_HINT}
        />
        <Field label="Confirm password" {...inputProps(fields.confirmPassword, { type: "password" })} autoComplete="new-password" />
        <ConsentField
          {...inputProps(fields.acceptTerms, { type: "checkbox" })}
          label={
            <>I accept the agent terms and privacy notice of {agency}, and agree that it may keep my details to run its agent network.</>
          }
        />
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            Apply to join
          </Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data?.sponsor ? `Join ${data.agency} as an agent` : "Referral link not found");

export const headers = keepRetryAfter;
