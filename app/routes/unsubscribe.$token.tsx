import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { secretText } from "~/lib/text";
import { readUnsubscribeToken, unsubscribe, type Unsubscription } from "~/modules/notifications/unsubscribe.server";
import { requireTenant } from "~/modules/tenancy/resolve.server";

/**
 * /unsubscribe/<token> — the link at the end of an optional email (decision 042). GET shows what
 * will stop, with a button; POST stops it, with no sign-in. Mail apps' own unsubscribe button
 * posts `List-Unsubscribe=One-Click` here (RFC 8058) and gets a 200. A forged, altered, expired or
 * other agency's token changes nothing and says so.
 */
const tokenSchema = secretText();

async function unsubscription(request: Request, token: string | undefined) {
  const tenant = await requireTenant(request);
  const parsed = tokenSchema.safeParse(token);
  const what: Unsubscription | null = parsed.success ? readUnsubscribeToken(parsed.data, tenant.id) : null;
  return { tenantId: tenant.id, agency: tenant.name, what };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { agency, what } = await unsubscription(request, params.token);
  return json({ agency, what, done: false }, { status: what ? 200 : 400 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId, agency, what } = await unsubscription(request, params.token);
  // Read the body either way (a one-click POST sends `List-Unsubscribe=One-Click`, our button nothing more).
  await readForm(request);
  if (!what) return json({ agency, what, done: false }, { status: 400 });
  await withTenant(tenantId, (db) => unsubscribe(db, what));
  return json({ agency, what, done: true });
}

export default function UnsubscribePage() {
  const loaded = useLoaderData<typeof loader>();
  const { agency, what, done } = useActionData<typeof action>() ?? loaded;
  const { t } = useTranslation("notifications");
  if (!what) {
    return (
      <div className="narrow stack">
        <h1>{t("unsubscribe.invalidTitle")}</h1>
        <Alert tone="warning">{t("unsubscribe.invalid")}</Alert>
      </div>
    );
  }
  const vars = { agency, address: what.address, category: t(`categories.${what.category}.label`) };
  return (
    <div className="narrow stack">
      <h1>{t("unsubscribe.title")}</h1>
      {done ? (
        <Alert tone="success">{t("unsubscribe.done", vars)}</Alert>
      ) : (
        <Form method="post" className="card stack">
          <p>{t("unsubscribe.question", vars)}</p>
          <p className="muted">{t("unsubscribe.explain")}</p>
          <div>
            <Button type="submit">{t("unsubscribe.button")}</Button>
          </div>
        </Form>
      )}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Unsubscribe");
