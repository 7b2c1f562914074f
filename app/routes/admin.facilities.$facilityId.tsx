import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { StatusForm } from "~/components/catalogue/status-form";
import { FacilityForm } from "~/components/facilities/facility-form";
import { Alert } from "~/components/ui/alert";
import { formatDateTime } from "~/lib/dates";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { listAudit } from "~/modules/audit/audit.server";
import { auditActionLabel } from "~/modules/audit/labels";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { facilityPlaces, getFacility, saveFacility, setFacilityStatus } from "~/modules/facilities/directory.server";
import { facilityFormSchema } from "~/modules/facilities/schemas";
import { serverT } from "~/modules/i18n/i18n.server";

const intentSchema = z.enum(["save", "activate", "deactivate"]);
const NOTICES = ["created", "saved", "unchanged", "activated", "deactivated"] as const;
const RECENT_CHANGES = 10;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:facility:any");
  const id = uuidParam(params, "facilityId");
  const canAudit = can(user.roles, "read:audit:any");
  const { facility, places, changes } = await withTenant(tenant.id, async (db) => ({
    facility: await getFacility(db, id),
    places: await facilityPlaces(db, { activeOnly: false }),
    changes: canAudit ? (await listAudit(db, { page: 1, pageSize: RECENT_CHANGES, target: { type: "facility", id } })).rows : null,
  }));
  if (!facility) throw new Response("Not found", { status: 404 });
  const t = await serverT(tenant.language, "facilities");
  return json({
    canManage: can(user.roles, "manage:facility:any"),
    facility: {
      id: facility.id,
      name: facility.name,
      kind: t(`kind.${facility.kind}`),
      place: `${facility.city}, ${facility.state}`,
      active: facility.status === "active",
      claims: facility.claimCount,
    },
    places,
    defaults: {
      name: facility.name,
      kind: facility.kind,
      address: facility.address,
      city: facility.city,
      state: facility.state,
      postcode: facility.postcode,
      phone: facility.phone,
      email: facility.email,
      panel: facility.panel,
      services: facility.services.join("\n"),
    },
    changes: changes?.map((entry) => ({
      id: entry.id,
      label: t(`audit.${entry.action}`, { defaultValue: auditActionLabel(entry.action) ?? entry.action }),
      actor: entry.actor_email ?? (entry.actor_operator_id ? t("detail.support") : t("detail.system")),
      changed: ((entry.details as { changed?: string[] }).changed ?? []).join(", "),
      at: formatDateTime(entry.created_at, tenant.locale, tenant.timeZone),
      atIso: entry.created_at.toISOString(),
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:facility:any");
  const id = uuidParam(params, "facilityId");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const here = `/admin/facilities/${id}`;
  if (intent.data !== "save") {
    const status = intent.data === "activate" ? "active" : "inactive";
    const found = await withTenant(tenant.id, (db) => setFacilityStatus(db, id, status, actor));
    if (!found) throw new Response("Not found", { status: 404 });
    return redirect(`${here}?notice=${intent.data}d`);
  }
  const submission = parseWithZod(formData, { schema: facilityFormSchema });
  if (submission.status !== "success") return json({ reply: submission.reply() }, { status: 400 });
  const result = await withTenant(tenant.id, async (db) =>
    (await getFacility(db, id)) ? saveFacility(db, submission.value, actor, { id, via: "form" }) : null,
  );
  if (!result) throw new Response("Not found", { status: 404 });
  if (!result.ok) return json({ reply: submission.reply(replyErrors(result.errors)) }, { status: 400 });
  return redirect(`${here}?notice=${result.outcome === "unchanged" ? "unchanged" : "saved"}`);
}

export default function FacilityDetail() {
  const { facility, defaults, places, canManage, changes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("facilities");
  const [params] = useSearchParams();
  const notice = params.get("notice");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/facilities">{t("title")}</Link> / {facility.name}
      </p>
      <div className="page-head">
        <div>
          <h1>{facility.name}</h1>
          <p className="muted">
            {facility.kind} · {facility.place} ·{" "}
            {facility.claims === 0 ? t("detail.noClaims") : t("detail.claims", { count: facility.claims })}
          </p>
        </div>
      </div>
      {NOTICES.find((n) => n === notice) ? <Alert tone="success">{t(`detail.notice.${notice}`)}</Alert> : null}
      <StatusForm active={facility.active} what="facility" canManage={canManage}>
        {facility.active ? t("detail.activeNote") : t("detail.inactiveNote")}
      </StatusForm>
      <section className="card" aria-labelledby="facility-details">
        <h2 id="facility-details">{t("detail.details")}</h2>
        <FacilityForm
          key={JSON.stringify(defaults)}
          id="facility"
          defaults={defaults}
          lastResult={actionData?.reply}
          submitLabel={t("detail.save")}
          places={places}
          readOnly={!canManage}
        />
      </section>
      {changes ? (
        <section className="card" aria-labelledby="changes-title">
          <div className="page-head">
            <h2 id="changes-title">{t("detail.changes")}</h2>
            <Link to="/admin/audit?action=facility.">{t("detail.auditLog")}</Link>
          </div>
          {changes.length === 0 ? (
            <p className="empty">{t("detail.noChanges")}</p>
          ) : (
            <ul className="activity">
              {changes.map((entry) => (
                <li key={entry.id}>
                  <time dateTime={entry.atIso}>{entry.at}</time>
                  <span>
                    {entry.label}
                    {entry.changed ? `: ${entry.changed}` : ""} <span className="muted">{t("detail.by", { actor: entry.actor })}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? data.facility.name : "Facility");
