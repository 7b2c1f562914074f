import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { RulesEditor } from "~/components/admin/commission-rules/editor";
import { RuleHistory } from "~/components/admin/commission-rules/history";
import { InForce } from "~/components/admin/commission-rules/in-force";
import { Alert } from "~/components/ui/alert";
import { useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDateTime, wallClockIn } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { lineText } from "~/lib/text";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { commissionRulesFormSchema, hasStrayTierFields, parseMoneyField, STRAY_TIERS_MESSAGE } from "~/modules/commissions/admin-forms";
import { loadRuleProduct, ruleEditorPage } from "~/modules/commissions/rule-editor.server";
import { cancelScheduledVersion, saveRules, staleRulesMessage } from "~/modules/commissions/rules.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";

/**
 * /admin/commission-rules/:productId?frequency=monthly — one product's commission rules at one
 * payment frequency: the version in force now with a preview of one sale (and of the next
 * scheduled version), the editor (a new version from now, or from a later date and time in the
 * agency's time zone), and the history of versions with who saved what when, where a scheduled
 * one can be changed or cancelled before it starts. Staff read; admins edit.
 */

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:commission:any");
  const data = await loadRuleProduct(tenant.id, uuidParam(params, "productId"));
  if (!data) throw new Response("Not found", { status: 404 });
  const t = await serverT(tenant.language, "admin-network");
  return json(await ruleEditorPage(tenant, data, new URL(request.url), t, can(user.roles, "manage:commission-rules:any")));
}

class RefusedChange extends Error {
  constructor(
    message: string,
    readonly field: "startsAt" | "form",
    /** 409: someone else changed the rules since the form was read. */
    readonly status: 400 | 409 = 400,
  ) {
    super(message);
  }
}

const cancelSchema = z.object({ versionId: lineText().uuid() });
const OUT_OF_DATE = "This form is out of date: reload the page and save again.";

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "manage:commission-rules:any");
  const productId = uuidParam(params, "productId");
  const data = await loadRuleProduct(tenant.id, productId);
  if (!data) throw new Response("Not found", { status: 404 });
  const formData = await readForm(request);
  const audit = { userId: user.id, ip: clientInfo(request).ip };

  if (formData.get("intent") === "cancel") {
    const parsed = cancelSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return json({ previewed: false, cancelError: "Choose a scheduled version to cancel." }, { status: 400 });
    const result = await withTenant(tenant.id, async (db) => {
      const cancelled = await cancelScheduledVersion(db, { productId, versionId: parsed.data.versionId });
      if (cancelled.ok)
        await recordAudit(db, audit, {
          action: "commission.rules_cancelled",
          targetType: "product",
          targetId: productId,
          details: {
            product: data.product.name,
            versionId: parsed.data.versionId,
            frequency: cancelled.version.frequency,
            effectiveAt: cancelled.version.effectiveAt.toISOString(),
          },
        });
      return cancelled;
    });
    if (!result.ok) return json({ previewed: false, cancelError: result.message }, { status: 409 });
    return redirect(`/admin/commission-rules/${productId}?frequency=${result.version.frequency}&cancelled=1`);
  }

  const schema = commissionRulesFormSchema({
    currency: tenant.currency,
    nowLocal: wallClockIn(tenant.timeZone),
    maxTiers: data.settings.tiers,
  });
  const submission = parseWithZod(formData, { schema });
  // A tier added or removed without JavaScript: the same form back, with the list changed.
  if (submission.status === undefined) return json({ reply: submission.reply(), previewed: false });
  if (hasStrayTierFields(formData.keys()))
    return json({ reply: submission.reply({ fieldErrors: { tiers: [STRAY_TIERS_MESSAGE] } }), previewed: false }, { status: 400 });
  if (submission.status !== "success") {
    // `seen` is a hidden field: what is wrong with it is said above the form.
    const hidden = submission.error?.seen ? { formErrors: [OUT_OF_DATE] } : undefined;
    return json({ reply: submission.reply(hidden), previewed: false }, { status: 400 });
  }
  const { frequency, start, startsAt, replaces, seen, tiers, base } = submission.value;
  if (!data.available.includes(frequency))
    return json(
      { reply: submission.reply({ formErrors: ["This product is not sold at that frequency."] }), previewed: false },
      { status: 400 },
    );

  if (formData.get("intent") === "preview") {
    const baseCheck = base ? parseMoneyField(base, tenant.currency, "The sale amount") : null;
    if (baseCheck && !baseCheck.ok)
      return json({ reply: submission.reply({ fieldErrors: { base: [baseCheck.message] } }), previewed: false }, { status: 400 });
    return json({ reply: submission.reply(), previewed: true });
  }

  let versionId: string;
  try {
    versionId = await withTenant(tenant.id, async (db) => {
      const result = await saveRules(db, {
        productId,
        frequency,
        start: start === "later" && startsAt ? { kind: "at", local: startsAt, timeZone: tenant.timeZone } : { kind: "now" },
        replaces: replaces ?? null,
        seen: seen === "none" || seen === undefined ? null : seen,
        tiers,
        actorUserId: user.id,
      });
      if (!result.ok) {
        if (result.changedAt !== undefined)
          throw new RefusedChange(
            staleRulesMessage(result.changedAt && formatDateTime(result.changedAt, tenant.locale, tenant.timeZone)),
            "form",
            409,
          );
        throw new RefusedChange(result.message, result.field === "start" && start === "later" ? "startsAt" : "form");
      }
      await recordAudit(db, audit, {
        action: "commission.rules_saved",
        targetType: "product",
        targetId: productId,
        details: {
          product: data.product.name,
          versionId: result.versionId,
          frequency,
          effectiveAt: result.effectiveAt.toISOString(),
          scheduled: start === "later",
          withdrawn: result.withdrawn,
          withdrawnVersions: result.withdrawnVersions.map((v) => ({ id: v.id, effectiveAt: v.effectiveAt.toISOString() })),
          tiers,
        },
      });
      return result.versionId;
    });
  } catch (error) {
    if (!(error instanceof RefusedChange)) throw error;
    const reply =
      error.field === "startsAt"
        ? submission.reply({ fieldErrors: { startsAt: [error.message] } })
        : submission.reply({ formErrors: [error.message] });
    return json({ reply, previewed: false }, { status: error.status });
  }
  return redirect(`/admin/commission-rules/${productId}?frequency=${frequency}&saved=${versionId}`);
}

export default function CommissionRulesEditor() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { product, frequency, frequencies } = data;
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/commission-rules">{t("rules.title")}</Link> / {product.name}
      </p>
      <div className="page-head">
        <div>
          <h1>{product.name}</h1>
          <p className="muted">
            {t("rules.productIntro", { tiers: data.maxTiers })}
            {product.active ? null : ` ${t("rules.productNotOnSale")}`}
          </p>
        </div>
      </div>
      {data.saved ? (
        <Alert tone="success" title={t("rules.saved")}>
          {data.saved.from ? `${t("rules.savedFrom", { from: data.saved.from })} ` : null}
          {t("rules.savedBefore")}
        </Alert>
      ) : null}
      {data.cancelled ? (
        <Alert tone="success" title={t("rules.cancelled")}>
          {t("rules.cancelledBody")}
        </Alert>
      ) : null}
      {actionData && "cancelError" in actionData && actionData.cancelError ? (
        <Alert tone="error">{errorText([actionData.cancelError])}</Alert>
      ) : null}

      {frequencies.length > 1 ? (
        <nav className="subnav" aria-label={t("rules.frequency")}>
          {frequencies.map((f) => (
            <Link
              key={f.value}
              to={`?frequency=${f.value}`}
              aria-current={f.value === frequency ? "page" : undefined}
              className={f.value === frequency ? "active" : undefined}
            >
              {f.label}
              {f.hasRules ? null : <span className="muted small"> {t("rules.none")}</span>}
            </Link>
          ))}
        </nav>
      ) : null}

      <InForce data={data} />
      {data.canEdit ? (
        <RulesEditor key={`${frequency}-${data.changing?.id ?? ""}-${data.saved?.from ?? ""}`} data={data} actionData={actionData} />
      ) : (
        <p className="muted">{t("rules.adminOnly")}</p>
      )}
      <RuleHistory data={data} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Commission rules");
