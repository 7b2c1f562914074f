import { type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MemberForm } from "~/components/agent/member-form";
import { Alert } from "~/components/ui/alert";
import { useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo } from "~/modules/auth/guards.server";
import { registerMember } from "~/modules/members/members.server";
import { memberSchema } from "~/modules/members/schemas";
import { inactiveAgentMessage, requireAgent } from "~/modules/network/current-agent.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { serverT } from "~/modules/i18n/i18n.server";

/** /agent/members/new — an agent registers a member (a policyholder): their account, MyKad number and emergency contact. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "register:member:own");
  const t = await serverT(tenant.language, "agent");
  return json({ inactive: inactiveAgentMessage(agent.status), title: t("newMember.title") });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "register:member:own");
  const submission = parseWithZod(await readForm(request), { schema: memberSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  if (inactiveAgentMessage(agent.status))
    return json(submission.reply({ formErrors: [inactiveAgentMessage(agent.status)!] }), { status: 403 });
  const result = await withTenant(tenant.id, (db) =>
    registerMember(db, tenant, { id: agent.id, userId: agent.userId, name: agent.name }, submission.value, {
      origin: originOf(request),
      ip: clientInfo(request).ip,
    }),
  );
  if (!result.ok) return json(submission.reply(replyErrors(result.errors)), { status: 400 });
  return redirect(`/agent/members/${result.memberId}?registered=${result.linkedExistingAccount ? "linked" : "invited"}`);
}

export default function NewMember() {
  const { inactive } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const { t } = useTranslation("agent");
  const errorText = useErrorText();
  return (
    <div className="stack">
      <p>
        <Link to="/agent/members">← {t("members.title")}</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>{t("newMember.title")}</h1>
          <p className="muted">{t("newMember.intro")}</p>
        </div>
      </div>
      {inactive ? (
        <Alert tone="warning" title={t("newMember.cannot")}>
          {errorText([inactive])}
        </Alert>
      ) : (
        <MemberForm mode="new" lastResult={lastResult} />
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Register a member");
