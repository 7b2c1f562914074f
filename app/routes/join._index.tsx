import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { pageTitle } from "~/lib/meta";
import { clientOf, countRequest, keepRetryAfter, tooManyRequests } from "~/modules/abuse/rate-limit.server";
import { referralCodeSchema } from "~/modules/network/agent-schemas";
import { requireNetworkTenant } from "~/modules/network/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";

/** /join — for someone who was given a referral code rather than a link. */
export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireNetworkTenant(request);
  const raw = new URL(request.url).searchParams.get("code");
  const title = (await serverT(tenant.language, "agent"))("join.titleAny");
  if (raw === null) return json({ title, agency: tenant.name, code: "", error: null });
  // A typed code is a look-up like /join/<code>, and counts the same.
  const counted = await countRequest("join", tenant.id, clientOf(request));
  if (counted.limited) throw tooManyRequests(counted);
  const code = referralCodeSchema.safeParse(raw);
  if (code.success) throw redirect(`/join/${code.data}`);
  return json(
    { title, agency: tenant.name, code: raw, error: code.error.issues[0]?.message ?? "Enter the referral code" },
    { status: 400 },
  );
}

export default function JoinWithoutCode() {
  const { agency, code, error } = useLoaderData<typeof loader>();
  const { t } = useTranslation("agent");
  return (
    <section className="narrow">
      <h1>{t("join.title", { agency })}</h1>
      <p className="muted">{t("join.intro")}</p>
      <div className="card">
        <Form method="get">
          <Field
            id="join-code"
            name="code"
            label={t("join.code")}
            defaultValue={code}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
            hint={t("join.codeHint")}
            errors={error ? [error] : undefined}
          />
          <div className="actions">
            <Button type="submit">{t("join.continue")}</Button>
          </div>
        </Form>
      </div>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Join as an agent");

export const headers = keepRetryAfter;
