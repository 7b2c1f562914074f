// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { pageTitle } from "~/lib/meta";
import { clientOf, countRequest, keepRetryAfter, tooManyRequests } from "~/modules/abuse/rate-limit.server";
import { referralCodeSchema } from "~/modules/network/agent-schemas";
import { requireNetworkTenant } from "~/modules/network/guards.server";

/** /join — for someone who was given a referral code rather than a link. */
export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireNetworkTenant(request);
  const raw = new URL(request.url).searchParams.get("code");
  if (raw === null) return json({ agency: tenant.name, code: "", error: null });
  // A typed code is a look-up like /join/<code>, and counts the same.
  const counted = await countRequest("join", tenant.id, clientOf(request));
  if (counted.limited) throw tooManyRequests(counted);
  const code = referralCodeSchema.safeParse(raw);
  if (code.success) throw redirect(`/join/${code.data}`);
  return json({ agency: tenant.name, code: raw, error: code.error.issues[0]?.message ?? "Enter the referral code" }, { status: 400 });
}

export default function JoinWithoutCode() {
  const { agency, code, error } = useLoaderData<typeof loader>();
  return (
    <section className="narrow">
      <h1>Join {agency} as an agent</h1>
      <p className="muted">Agents join through someone already in the network: enter the referral code they gave you.</p>
      <div className="card">
        <Form method="get">
          <Field
            id="join-code"
            name="code"
            label="Referral code"
            defaultValue={code}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
            hint="8 letters and digits, like K7MX4QPA."
            errors={error ? [error] : undefined}
          />
          <div className="actions">
            <Button type="submit">Continue</Button>
          </div>
        </Form>
      </div>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Join as an agent");

export const headers = keepRetryAfter;
