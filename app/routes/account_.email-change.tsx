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
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

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
  const tenant = await requireTenant(request);
  const title = (await serverT(tenant.language, "account"))("emailChange.title");
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (query.done) return json({ title, state: query.done, token: null });
  if (query.confirm) return json({ title, state: "ask-confirm" as const, token: query.confirm });
  if (query.cancel) return json({ title, state: "ask-cancel" as const, token: query.cancel });
  return json({ title, state: "invalid" as const, token: null }, { status: 400 });
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

// How each ending reads: its words are emailChange.<state>.title and .text.
const ENDING_TONES = { confirmed: "success", cancelled: "success", invalid: "error", taken: "error" } as const;

export default function EmailChange() {
  const { state, token: value } = useLoaderData<typeof loader>();
  const { t } = useTranslation("account");
  if (state === "ask-confirm" || state === "ask-cancel") {
    const confirm = state === "ask-confirm";
    return (
      <section className="narrow stack">
        <h1>{confirm ? t("emailChange.askConfirm.title") : t("emailChange.askCancel.title")}</h1>
        <p>{confirm ? t("emailChange.askConfirm.text") : t("emailChange.askCancel.text")}</p>
        <Form method="post">
          <input type="hidden" name="token" value={value ?? ""} />
          <input type="hidden" name="action" value={confirm ? "confirm" : "cancel"} />
          <Button type="submit" variant={confirm ? "primary" : "danger"}>
            {confirm ? t("emailChange.askConfirm.button") : t("emailChange.askCancel.button")}
          </Button>
        </Form>
      </section>
    );
  }
  return (
    <section className="narrow stack">
      <h1>{t(`emailChange.${state}.title`)}</h1>
      <Alert tone={ENDING_TONES[state]}>{t(`emailChange.${state}.text`)}</Alert>
      <p>
        <Link to="/account/profile">{t("emailChange.profile")}</Link>
      </p>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Email address");
