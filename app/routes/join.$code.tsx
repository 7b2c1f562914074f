import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
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
import { joinSchema, referralCodeSchema } from "~/modules/network/agent-schemas";
import { joinThroughReferral, sponsorByCode } from "~/modules/network/agents.server";
import { requireNetworkTenant } from "~/modules/network/guards.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { serverT } from "~/modules/i18n/i18n.server";

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
  const t = await serverT(tenant.language, "agent");
  if (!sponsor) return json({ title: t("join.notFoundTitle"), agency: tenant.name, sponsor: null, signedIn: false }, { status: 404 });
  if (code.success && params.code !== code.data) throw redirect(`/join/${code.data}`);
  const user = await optionalUser(request);
  return json({
    title: t("join.title", { agency: tenant.name }),
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
  const { t } = useTranslation("agent");
  if (actionData?.sent) return <CheckYourEmail email={actionData.sent} agency={agency} signIn={AGENT_SIGN_IN} />;
  if (!sponsor) {
    return (
      <section className="narrow">
        <h1>{t("join.broken")}</h1>
        <div className="card stack">
          <p>{t("join.brokenBody", { agency })}</p>
          <p>
            <Link to="/join">{t("join.enterCode")}</Link>
          </p>
        </div>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>{t("join.title", { agency })}</h1>
      <p className="muted">
        <Trans
          t={t}
          i18nKey="join.sponsor"
          values={{ name: sponsor.firstName, number: sponsor.agentNumber, agency }}
          components={{ strong: <strong /> }}
        />
      </p>
      {signedIn ? (
        <Alert tone="info" title={t("join.signedIn")}>
          <p>{t("join.signedInBody", { agency })}</p>
          <Form method="post" action="/logout">
            <Button type="submit" variant="secondary">
              {t("join.signOut")}
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
  const { t } = useTranslation("agent");
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
        <Field label={t("join.name")} {...inputProps(fields.name, { type: "text" })} autoComplete="name" />
        <Field label={t("join.email")} {...inputProps(fields.email, { type: "email" })} autoComplete="email" hint={t("join.emailHint")} />
        <Field label={t("join.phone")} {...inputProps(fields.phone, { type: "tel" })} autoComplete="tel" hint={t("join.phoneHint")} />
        <Field
          label={t("join.password")}
          {...inputProps(fields.password, { type: "password" })}
          autoComplete="new-password"
          hint={t("auth:passwordRules")}
        />
        <Field
          label={t("join.confirmPassword")}
          {...inputProps(fields.confirmPassword, { type: "password" })}
          autoComplete="new-password"
        />
        <ConsentField {...inputProps(fields.acceptTerms, { type: "checkbox" })} label={t("join.terms", { agency })} />
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            {t("join.apply")}
          </Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Referral link not found");

export const headers = keepRetryAfter;
