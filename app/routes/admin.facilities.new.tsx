import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FacilityForm } from "~/components/facilities/facility-form";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { facilityPlaces, saveFacility } from "~/modules/facilities/directory.server";
import { facilityFormSchema } from "~/modules/facilities/schemas";
import { serverT } from "~/modules/i18n/i18n.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:facility:any");
  const places = await withTenant(tenant.id, (db) => facilityPlaces(db, { activeOnly: false }));
  const t = await serverT(tenant.language, "facilities");
  return json({ title: t("new.title"), places });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:facility:any");
  const submission = parseWithZod(await readForm(request), { schema: facilityFormSchema });
  if (submission.status !== "success") return json({ reply: submission.reply() }, { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const result = await withTenant(tenant.id, (db) => saveFacility(db, submission.value, actor, { via: "form" }));
  if (!result.ok) return json({ reply: submission.reply(replyErrors(result.errors)) }, { status: 400 });
  return redirect(`/admin/facilities/${result.id}?notice=created`);
}

export default function NewFacility() {
  const { places } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("facilities");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/facilities">{t("title")}</Link> / {t("new.crumb")}
      </p>
      <h1>{t("new.title")}</h1>
      <section className="card">
        <FacilityForm
          id="new-facility"
          lastResult={actionData?.reply}
          submitLabel={t("new.submit")}
          places={places}
          defaults={{ panel: true }}
        />
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Add a hospital or clinic");
