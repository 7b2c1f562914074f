import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { RuleTimeline } from "~/components/commissions/rule-timeline";
import { SalePreview } from "~/components/commissions/sale-preview";
import { draftRules, TierRows } from "~/components/commissions/tier-fields";
import { useHydrated } from "~/components/console/use-hydrated";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDateTime, wallClockIn } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { bpToPercentInput, commissionRulesFormSchema, parseMoneyField } from "~/modules/commissions/admin-forms";
import { defaultBaseMinor, describeTier, ruleProduct, versionState } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { cancelScheduledVersion, ruleTimeline, saveRules, type RuleRow, type RuleVersion } from "~/modules/commissions/rules.server";
import { networkSettings } from "~/modules/network/settings.server";
import { toMajorInput } from "~/modules/rating/inputs";
import { FREQUENCIES, type Frequency } from "~/modules/rating/rules";
import { readForm } from "~/lib/forms";
import { lineText } from "~/lib/text";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * /admin/commission-rules/:productId?frequency=monthly — one product's commission rules at one
 * payment frequency: the version in force now with a preview of one sale (and of the next
 * scheduled version), the editor (a new version from now, or from a later date and time in the
 * agency's time zone), and the timeline of versions, where a scheduled one can be changed or
 * cancelled before it starts. Staff read; admins edit.
 */

type FormInput = z.input<ReturnType<typeof commissionRulesFormSchema>>;

function frequencyFrom(value: string | null, available: Frequency[], fallback: Frequency): Frequency {
  return value && (available as string[]).includes(value) ? (value as Frequency) : fallback;
}

async function loadProduct(tenantId: string, productId: string) {
  return withTenant(tenantId, async (db) => {
    const product = await ruleProduct(db, productId);
    if (!product) return null;
    const [timeline, settings] = await Promise.all([ruleTimeline(db, productId), networkSettings(db)]);
    // The product's own frequencies, and any that still has rules (the rating may have changed since).
    const available = FREQUENCIES.filter((f) => product.offered.includes(f) || timeline.versions.some((v) => v.frequency === f));
    return { product, ...timeline, settings, available };
  });
}

const inForce = (versions: RuleVersion[], frequency: Frequency, now: Date) =>
  versions.find((v) => v.frequency === frequency && versionState(v, now) === "in_force");

const asPreviewRules = (tiers: RuleRow[]) =>
  tiers.map((r) => ({ tier: r.tier, kind: r.kind, amountMinor: r.amountMinor, rateBp: r.rateBp }));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:commission:any");
  const productId = uuidParam(params, "productId");
  const data = await loadProduct(tenant.id, productId);
  if (!data) throw new Response("Not found", { status: 404 });
  const { product, versions, now, settings, available } = data;
  const url = new URL(request.url);
  const paying = (f: Frequency) => (inForce(versions, f, now)?.tiers.length ?? 0) > 0;
  const frequency = frequencyFrom(url.searchParams.get("frequency"), available, available.find(paying) ?? available[0] ?? "annual");
  const mine = versions.filter((v) => v.frequency === frequency);
  const current = inForce(versions, frequency, now);
  const scheduled = mine.filter((v) => versionState(v, now) === "scheduled");
  const next = scheduled.at(-1);
  // "Change" on a scheduled version: the editor starts from it, and saving replaces it.
  const changing = scheduled.find((v) => v.id === url.searchParams.get("change"));

  // The sale the preview prices: the admin's amount, else the product's price at that frequency.
  const fallbackBase = defaultBaseMinor(product, frequency);
  const baseText = url.searchParams.get("base")?.trim() ?? "";
  const parsedBase = baseText ? parseMoneyField(baseText, tenant.currency, "The sale amount") : null;
  const baseMinor = parsedBase?.ok ? parsedBase.minor : fallbackBase;

  const when = (at: Date) => formatDateTime(at, tenant.locale, tenant.timeZone);
  const t = await serverT(tenant.language, "admin-network");
  const describe = (r: RuleRow) => describeTier(r, tenant.currency, tenant.locale, t);
  const source = changing ?? current;
  const defaults: FormInput = {
    frequency,
    start: changing ? "later" : "now",
    startsAt: changing ? wallClockIn(tenant.timeZone, changing.effectiveAt) : undefined,
    replaces: changing?.id,
    base: toMajorInput(baseMinor, tenant.currency),
    tiers: source?.tiers.length
      ? source.tiers.map((r) => ({
          kind: r.kind,
          amount: r.amountMinor !== null ? toMajorInput(r.amountMinor, tenant.currency) : undefined,
          rate: r.rateBp !== null ? bpToPercentInput(r.rateBp) : undefined,
          cap: r.capMinor !== null ? toMajorInput(r.capMinor, tenant.currency) : undefined,
          requiresActive: r.requiresActive,
          minPersonalSales: r.minPersonalSales,
        }))
      : [{ kind: "percent", requiresActive: true, minPersonalSales: 0 }],
  };
  const saved = versions.find((v) => v.id === url.searchParams.get("saved"));

  return json({
    title: t("rules.productTitle", { name: product.name }),
    product: { id: product.id, name: product.name, active: product.active },
    canEdit: can(user.roles, "manage:commission-rules:any"),
    currency: tenant.currency,
    locale: tenant.locale,
    timeZone: tenant.timeZone,
    nowLocal: wallClockIn(tenant.timeZone, now),
    nowLabel: when(now),
    maxTiers: settings.tiers,
    frequency,
    frequencies: available.map((f) => ({ value: f, label: t(`frequency.${f}`), hasRules: paying(f) })),
    base: {
      text: baseText || toMajorInput(fallbackBase, tenant.currency),
      minor: baseMinor,
      error: parsedBase && !parsedBase.ok ? parsedBase.message : null,
      fallback: toMajorInput(fallbackBase, tenant.currency),
    },
    current: (current?.tiers ?? []).map((r) => ({ ...describe(r), tier: r.tier })),
    // The preview prices a sale under the version in force now, as the ledger would; the browser
    // recomputes the same way while typing. The next scheduled version is previewed alongside.
    previewRules: asPreviewRules(current?.tiers ?? []),
    next: next ? { from: when(next.effectiveAt), rules: asPreviewRules(next.tiers) } : null,
    versions: mine.map((v) => ({
      id: v.id,
      from: when(v.effectiveAt),
      to: v.endsAt ? when(v.endsAt) : null,
      state: versionState(v, now),
      tiers: v.tiers.map((r) => describe(r)),
    })),
    changing: changing ? { id: changing.id, from: when(changing.effectiveAt) } : null,
    defaults,
    saved: url.searchParams.has("saved") ? { from: saved ? when(saved.effectiveAt) : null } : null,
    cancelled: url.searchParams.get("cancelled") === "1",
  });
}

class RefusedChange extends Error {
  constructor(
    message: string,
    readonly field: "startsAt" | "form",
  ) {
    super(message);
  }
}

const cancelSchema = z.object({ versionId: lineText().uuid() });

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "manage:commission-rules:any");
  const productId = uuidParam(params, "productId");
  const data = await loadProduct(tenant.id, productId);
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
  if (submission.status !== "success") return json({ reply: submission.reply(), previewed: false }, { status: 400 });
  const { frequency, start, startsAt, replaces, tiers, base } = submission.value;
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
        tiers,
        actorUserId: user.id,
      });
      if (!result.ok) throw new RefusedChange(result.message, result.field === "start" && start === "later" ? "startsAt" : "form");
      await recordAudit(db, audit, {
        action: "commission.rules_saved",
        targetType: "product",
        targetId: productId,
        details: {
          product: data.product.name,
          frequency,
          effectiveAt: result.effectiveAt.toISOString(),
          scheduled: start === "later",
          withdrawn: result.withdrawn,
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
    return json({ reply, previewed: false }, { status: 400 });
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

      <InForce />
      {data.canEdit ? (
        <Editor key={`${frequency}-${data.changing?.id ?? ""}-${data.saved?.from ?? ""}`} />
      ) : (
        <p className="muted">{t("rules.adminOnly")}</p>
      )}
      <RuleTimeline versions={data.versions} canEdit={data.canEdit} frequency={frequency} />
    </div>
  );
}

function InForce() {
  const data = useLoaderData<typeof loader>();
  const hydrated = useHydrated();
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();
  const [typed, setTyped] = useState(data.base.text);
  const parsed = parseMoneyField(typed, data.currency, "The sale amount");
  const baseMinor = hydrated ? (parsed.ok ? parsed.minor : data.base.minor) : data.base.minor;
  const label = data.frequencies.find((f) => f.value === data.frequency)?.label ?? data.frequency;
  const sale = { baseMinor, productName: data.product.name, frequency: data.frequency, currency: data.currency, locale: data.locale };
  return (
    <section className="card stack" aria-labelledby="in-force-title">
      <h2 id="in-force-title">{t("rules.inForceTitle", { frequency: label })}</h2>
      {data.current.length === 0 ? (
        <p className="muted">{t("rules.noneNow")}</p>
      ) : (
        <ul className="plain-list tier-summary">
          {data.current.map((tier) => (
            <li key={tier.tier}>
              <strong>{tier.short}</strong>
              {tier.conditions.length ? <span className="muted small"> · {tier.conditions.join(" · ")}</span> : null}
            </li>
          ))}
        </ul>
      )}
      <Form method="get" className="inline-form" aria-label={t("rules.previewSale")}>
        <input type="hidden" name="frequency" value={data.frequency} />
        <div className={`field${data.base.error ? " field-invalid" : ""}`}>
          <label htmlFor="preview-base">{t("rules.saleAmount", { currency: data.currency })}</label>
          <input
            id="preview-base"
            name="base"
            inputMode="decimal"
            autoComplete="off"
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            aria-invalid={data.base.error ? true : undefined}
            aria-describedby={data.base.error ? "preview-base-error" : undefined}
          />
          {data.base.error ? (
            <p className="field-error" id="preview-base-error" role="alert">
              {errorText([data.base.error])}
            </p>
          ) : null}
        </div>
        <Button type="submit" variant="secondary">
          {t("rules.show")}
        </Button>
      </Form>
      <SalePreview live rules={data.previewRules} {...sale} />
      {data.next ? (
        <div className="stack" aria-labelledby="next-title">
          <h3 id="next-title" className="small">
            {t("rules.scheduledFrom", { from: data.next.from })}
          </h3>
          <SalePreview id="next-preview" live rules={data.next.rules} {...sale} />
        </div>
      ) : null}
    </section>
  );
}

const START_CHOICES = ["now", "later"] as const;

function Editor() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();
  const lastResult = (actionData && "reply" in actionData ? actionData.reply : undefined) as SubmissionResult<string[]> | undefined;
  const schema = useMemo(
    () => commissionRulesFormSchema({ currency: data.currency, nowLocal: data.nowLocal, maxTiers: data.maxTiers }),
    [data.currency, data.nowLocal, data.maxTiers],
  );
  const [form, fields] = useForm<FormInput>({
    id: `rules-${data.frequency}`,
    lastResult,
    defaultValue: data.defaults,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const value = (form.value ?? {}) as { tiers?: unknown; base?: string; start?: string };
  const draft = draftRules(value.tiers, data.currency);
  const base = parseMoneyField(value.base ?? "", data.currency, "The sale amount");
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const later = (value.start ?? fields.start.initialValue) === "later";
  const scheduledCount = data.versions.filter((v) => v.state === "scheduled" && v.id !== data.changing?.id).length;

  const { key: _k1, ...startsAtProps } = getInputProps(fields.startsAt, { type: "datetime-local" });
  const { key: _k2, ...baseProps } = getInputProps(fields.base, { type: "text" });
  return (
    <section className="card stack" aria-labelledby="editor-title">
      <h2 id="editor-title">{data.changing ? t("timeline.changeLabel", { from: data.changing.from }) : t("rules.change")}</h2>
      <p className="muted">
        {t("rules.editorIntro")}
        {data.changing ? (
          <>
            {" "}
            <Link to={`?frequency=${data.frequency}`}>{t("rules.startNew")}</Link>.
          </>
        ) : null}
      </p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="frequency" value={data.frequency} />
        {data.changing ? <input type="hidden" name="replaces" value={data.changing.id} /> : null}
        <FormErrors errors={form.errors} />
        <TierRows form={form} tiers={fields.tiers} currency={data.currency} maxTiers={data.maxTiers} />
        <div className="form-grid two">
          <fieldset className={`field${fields.startsAt.errors?.length ? " field-invalid" : ""}`}>
            <legend>{t("rules.start")}</legend>
            {START_CHOICES.map((choice) => (
              <div className="checkbox" key={choice}>
                <input
                  type="radio"
                  id={`start-${choice}`}
                  name={fields.start.name}
                  value={choice}
                  defaultChecked={(fields.start.initialValue ?? "now") === choice}
                />
                <label htmlFor={`start-${choice}`}>{t(`rules.startChoice.${choice}`)}</label>
              </div>
            ))}
            {!hydrated || later ? (
              <div className="field">
                <label htmlFor={fields.startsAt.id}>{t("rules.startsAt")}</label>
                <input {...startsAtProps} min={data.nowLocal} aria-describedby={`${fields.startsAt.id}-hint ${fields.startsAt.errorId}`} />
                <p className="field-hint" id={`${fields.startsAt.id}-hint`}>
                  {t("rules.startsAtHint", { zone: data.timeZone, now: data.nowLabel })}
                </p>
                {fields.startsAt.errors?.length ? (
                  <p className="field-error" id={fields.startsAt.errorId} role="alert">
                    {errorText(fields.startsAt.errors)}
                  </p>
                ) : null}
              </div>
            ) : null}
          </fieldset>
          <div className={`field${fields.base.errors?.length ? " field-invalid" : ""}`}>
            <label htmlFor={fields.base.id}>{t("rules.previewOf", { currency: data.currency })}</label>
            <input {...baseProps} inputMode="decimal" autoComplete="off" />
            <p className="field-hint">{t("rules.previewHint")}</p>
            {fields.base.errors?.length ? (
              <p className="field-error" id={fields.base.errorId} role="alert">
                {errorText(fields.base.errors)}
              </p>
            ) : null}
          </div>
        </div>
        <div className="card" aria-labelledby="draft-preview-title">
          <h3 id="draft-preview-title" className="small">
            {t("rules.withThese")}
          </h3>
          {actionData?.previewed ? <p className="muted small">{t("rules.previewOnly")}</p> : null}
          <SalePreview
            live
            rules={draft}
            baseMinor={base.ok ? base.minor : data.base.minor}
            productName={data.product.name}
            frequency={data.frequency}
            currency={data.currency}
            locale={data.locale}
          />
        </div>
        {scheduledCount > 0 ? (
          <p className="muted small">
            {scheduledCount === 1 ? t("rules.scheduledOne") : t("rules.scheduledMany", { count: scheduledCount })}
          </p>
        ) : null}
        <div className="actions">
          <Button type="submit" name="intent" value="save" busy={busy("save")}>
            {data.changing ? t("rules.saveChange") : t("rules.saveNew")}
          </Button>
          <Button type="submit" name="intent" value="preview" variant="secondary" busy={busy("preview")}>
            {t("rules.preview")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Commission rules");
