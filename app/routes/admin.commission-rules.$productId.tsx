import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import type { z } from "zod";
import { SalePreview } from "~/components/commissions/sale-preview";
import { draftRules, TierRows } from "~/components/commissions/tier-fields";
import { useHydrated } from "~/components/console/use-hydrated";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { bpToPercentInput, commissionRulesFormSchema, parseMoneyField } from "~/modules/commissions/admin-forms";
import { defaultBaseMinor, describeTier, ruleProduct, ruleVersions } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { previewSale, ruleHistory, saveRules, type RuleRow } from "~/modules/commissions/rules.server";
import { networkSettings } from "~/modules/network/settings.server";
import { toMajorInput } from "~/modules/rating/inputs";
import { quoteDateIn } from "~/modules/rating/dates";
import { FREQUENCIES, FREQUENCY_LABELS, type Frequency } from "~/modules/rating/rules";
import { readForm } from "~/lib/forms";

/**
 * /admin/commission-rules/:productId?frequency=monthly — one product's commission rules at one
 * payment frequency: what is in force today with a preview of one sale, the editor (new rules from
 * a day on, never in the past), and every version before. Staff read; admins edit.
 */

type FormInput = z.input<ReturnType<typeof commissionRulesFormSchema>>;

function frequencyFrom(value: string | null, available: Frequency[], fallback: Frequency): Frequency {
  return value && (available as string[]).includes(value) ? (value as Frequency) : fallback;
}

async function loadProduct(tenantId: string, productId: string) {
  return withTenant(tenantId, async (db) => {
    const product = await ruleProduct(db, productId);
    if (!product) return null;
    const [history, settings] = await Promise.all([ruleHistory(db, productId), networkSettings(db)]);
    // The product's own frequencies, and any that still has rules (the rating may have changed since).
    const available = FREQUENCIES.filter((f) => product.offered.includes(f) || history.some((r) => r.frequency === f));
    return { product, history, settings, available };
  });
}

const inForce = (rules: RuleRow[], frequency: Frequency, today: string) =>
  rules.filter((r) => r.frequency === frequency && r.effectiveFrom <= today && (r.effectiveTo === null || r.effectiveTo > today));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:commission:any");
  const productId = uuidParam(params, "productId");
  const data = await loadProduct(tenant.id, productId);
  if (!data) throw new Response("Not found", { status: 404 });
  const { product, history, settings, available } = data;
  const today = quoteDateIn(tenant.timeZone);
  const url = new URL(request.url);
  const withRules = available.find((f) => inForce(history, f, today).length > 0);
  const frequency = frequencyFrom(url.searchParams.get("frequency"), available, withRules ?? available[0] ?? "annual");

  // The sale the preview prices: the admin's amount, else the product's price at that frequency.
  const fallbackBase = defaultBaseMinor(product, frequency);
  const baseText = url.searchParams.get("base")?.trim() ?? "";
  const parsedBase = baseText ? parseMoneyField(baseText, tenant.currency, "The sale amount") : null;
  const baseMinor = parsedBase?.ok ? parsedBase.minor : fallbackBase;

  const current = inForce(history, frequency, today);
  const preview = await withTenant(tenant.id, (db) => previewSale(db, { productId, frequency, baseMinor, day: today }));
  const day = (value: string) => formatDate(value, tenant.locale, "UTC");
  const describe = (r: RuleRow) => describeTier(r, tenant.currency, tenant.locale);

  const defaults: FormInput = {
    frequency,
    effectiveFrom: today,
    base: toMajorInput(baseMinor, tenant.currency),
    tiers: current.length
      ? current.map((r) => ({
          kind: r.kind,
          amount: r.amountMinor !== null ? toMajorInput(r.amountMinor, tenant.currency) : undefined,
          rate: r.rateBp !== null ? bpToPercentInput(r.rateBp) : undefined,
          cap: r.capMinor !== null ? toMajorInput(r.capMinor, tenant.currency) : undefined,
          requiresActive: r.requiresActive,
          minPersonalSales: r.minPersonalSales,
        }))
      : [{ kind: "percent", requiresActive: true, minPersonalSales: 0 }],
  };

  return json({
    product: { id: product.id, name: product.name, active: product.active },
    canEdit: can(user.roles, "manage:commission-rules:any"),
    currency: tenant.currency,
    locale: tenant.locale,
    today,
    todayLabel: day(today),
    maxTiers: settings.tiers,
    frequency,
    frequencies: available.map((f) => ({ value: f, label: FREQUENCY_LABELS[f], hasRules: inForce(history, f, today).length > 0 })),
    base: {
      text: baseText || toMajorInput(fallbackBase, tenant.currency),
      minor: baseMinor,
      error: parsedBase && !parsedBase.ok ? parsedBase.message : null,
      fallback: toMajorInput(fallbackBase, tenant.currency),
    },
    current: current.map((r) => ({ ...describe(r), tier: r.tier })),
    // The preview as the engine computes it; the browser recomputes the same way while typing.
    previewRules: preview.map((p) => ({ tier: p.tier, kind: p.rule.kind, amountMinor: p.rule.amountMinor, rateBp: p.rule.rateBp })),
    versions: ruleVersions(
      history.filter((r) => r.frequency === frequency),
      today,
    ).map((v) => ({
      key: `${v.frequency}-${v.effectiveFrom}`,
      from: day(v.effectiveFrom),
      to: v.lastDay ? day(v.lastDay) : null,
      state: v.state,
      tiers: v.tiers.map((r) => describe(r)),
    })),
    defaults,
    saved: url.searchParams.get("saved"),
  });
}

class RefusedSave extends Error {}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "manage:commission-rules:any");
  const productId = uuidParam(params, "productId");
  const data = await loadProduct(tenant.id, productId);
  if (!data) throw new Response("Not found", { status: 404 });
  const formData = await readForm(request);
  const today = quoteDateIn(tenant.timeZone);
  const schema = commissionRulesFormSchema({ currency: tenant.currency, today, maxTiers: data.settings.tiers });
  const submission = parseWithZod(formData, { schema });
  // A tier added or removed without JavaScript: the same form back, with the list changed.
  if (submission.status === undefined) return json({ reply: submission.reply(), previewed: false });
  if (submission.status !== "success") return json({ reply: submission.reply(), previewed: false }, { status: 400 });
  const { frequency, effectiveFrom, tiers, base } = submission.value;
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

  try {
    await withTenant(tenant.id, async (db) => {
      const result = await saveRules(db, { productId, frequency, effectiveFrom, today, tiers, actorUserId: user.id });
      if (!result.ok) throw new RefusedSave(result.formError);
      await recordAudit(
        db,
        { userId: user.id, ip: clientInfo(request).ip },
        {
          action: "commission.rules_saved",
          targetType: "product",
          targetId: productId,
          details: { product: data.product.name, frequency, effectiveFrom, tiers },
        },
      );
    });
  } catch (error) {
    if (!(error instanceof RefusedSave)) throw error;
    return json({ reply: submission.reply({ fieldErrors: { effectiveFrom: [error.message] } }), previewed: false }, { status: 400 });
  }
  return redirect(`/admin/commission-rules/${productId}?frequency=${frequency}&saved=${effectiveFrom}`);
}

const STATE_LABELS = { in_force: "In force", scheduled: "Scheduled", ended: "Ended" } as const;

export default function CommissionRulesEditor() {
  const data = useLoaderData<typeof loader>();
  const { product, frequency, frequencies } = data;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/commission-rules">Commission rules</Link> / {product.name}
      </p>
      <div className="page-head">
        <div>
          <h1>{product.name}</h1>
          <p className="muted">
            Commission on each payment, by tier: tier 1 is the agent who sold it, tier 2 their sponsor, and so on up to {data.maxTiers}{" "}
            tiers.{product.active ? null : " This product is not on sale."}
          </p>
        </div>
      </div>
      {data.saved ? (
        <Alert tone="success" title="Rules saved">
          The new rules apply to payments from {data.saved}. Earlier payments keep the rules they were earned under.
        </Alert>
      ) : null}

      {frequencies.length > 1 ? (
        <nav className="subnav" aria-label="Payment frequency">
          {frequencies.map((f) => (
            <Link
              key={f.value}
              to={`?frequency=${f.value}`}
              aria-current={f.value === frequency ? "page" : undefined}
              className={f.value === frequency ? "active" : undefined}
            >
              {f.label}
              {f.hasRules ? null : <span className="muted small"> (none)</span>}
            </Link>
          ))}
        </nav>
      ) : null}

      <InForce />
      {data.canEdit ? (
        <Editor key={`${frequency}-${data.saved ?? ""}`} />
      ) : (
        <p className="muted">Only an administrator can change the rules.</p>
      )}
      <History />
    </div>
  );
}

function InForce() {
  const data = useLoaderData<typeof loader>();
  const hydrated = useHydrated();
  const [typed, setTyped] = useState(data.base.text);
  const parsed = parseMoneyField(typed, data.currency, "The sale amount");
  const baseMinor = hydrated ? (parsed.ok ? parsed.minor : data.base.minor) : data.base.minor;
  const label = data.frequencies.find((f) => f.value === data.frequency)?.label ?? data.frequency;
  return (
    <section className="card stack" aria-labelledby="in-force-title">
      <h2 id="in-force-title">In force today · {label}</h2>
      {data.current.length === 0 ? (
        <p className="muted">No commission is paid on this product at this frequency today.</p>
      ) : (
        <ul className="plain-list tier-summary">
          {data.current.map((t) => (
            <li key={t.tier}>
              <strong>{t.short}</strong>
              {t.conditions.length ? <span className="muted small"> · {t.conditions.join(" · ")}</span> : null}
            </li>
          ))}
        </ul>
      )}
      <Form method="get" className="inline-form" aria-label="Preview a sale">
        <input type="hidden" name="frequency" value={data.frequency} />
        <div className={`field${data.base.error ? " field-invalid" : ""}`}>
          <label htmlFor="preview-base">Sale amount ({data.currency})</label>
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
              {data.base.error}
            </p>
          ) : null}
        </div>
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </Form>
      <SalePreview
        live
        rules={data.previewRules}
        baseMinor={baseMinor}
        productName={data.product.name}
        frequency={data.frequency}
        currency={data.currency}
        locale={data.locale}
      />
    </section>
  );
}

function Editor() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const lastResult = actionData?.reply as SubmissionResult<string[]> | undefined;
  const schema = useMemo(
    () => commissionRulesFormSchema({ currency: data.currency, today: data.today, maxTiers: data.maxTiers }),
    [data.currency, data.today, data.maxTiers],
  );
  const [form, fields] = useForm<FormInput>({
    id: `rules-${data.frequency}`,
    lastResult,
    defaultValue: data.defaults,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const value = (form.value ?? {}) as { tiers?: unknown; base?: string };
  const draft = draftRules(value.tiers, data.currency);
  const base = parseMoneyField(value.base ?? "", data.currency, "The sale amount");
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  const { key: _k1, ...effectiveProps } = getInputProps(fields.effectiveFrom, { type: "date" });

  const { key: _k2, ...baseProps } = getInputProps(fields.base, { type: "text" });
  return (
    <section className="card stack" aria-labelledby="editor-title">
      <h2 id="editor-title">Change the rules</h2>
      <p className="muted">
        New rules start on a day you choose, today or later: payments made before keep the rules they were earned under. Saving replaces
        every tier at this frequency from that day.
      </p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="frequency" value={data.frequency} />
        <FormErrors errors={form.errors} />
        <TierRows form={form} tiers={fields.tiers} currency={data.currency} maxTiers={data.maxTiers} />
        <div className="form-grid two">
          <div className={`field${fields.effectiveFrom.errors?.length ? " field-invalid" : ""}`}>
            <label htmlFor={fields.effectiveFrom.id}>Effective from</label>
            <input
              {...effectiveProps}
              min={data.today}
              aria-describedby={`${fields.effectiveFrom.id}-hint ${fields.effectiveFrom.errorId}`}
            />
            <p className="field-hint" id={`${fields.effectiveFrom.id}-hint`}>
              Today ({data.todayLabel}) or later.
            </p>
            {fields.effectiveFrom.errors?.length ? (
              <p className="field-error" id={fields.effectiveFrom.errorId} role="alert">
                {fields.effectiveFrom.errors.join(" ")}
              </p>
            ) : null}
          </div>
          <div className={`field${fields.base.errors?.length ? " field-invalid" : ""}`}>
            <label htmlFor={fields.base.id}>Preview a sale of ({data.currency})</label>
            <input {...baseProps} inputMode="decimal" autoComplete="off" />
            <p className="field-hint">Only for the preview below; not saved.</p>
            {fields.base.errors?.length ? (
              <p className="field-error" id={fields.base.errorId} role="alert">
                {fields.base.errors.join(" ")}
              </p>
            ) : null}
          </div>
        </div>
        <div className="card" aria-labelledby="draft-preview-title">
          <h3 id="draft-preview-title" className="small">
            With these rules
          </h3>
          {actionData?.previewed ? <p className="muted small">Preview only: nothing is saved until you save the rules.</p> : null}
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
        <div className="actions">
          <Button type="submit" name="intent" value="save" busy={busy("save")}>
            Save new rules
          </Button>
          <Button type="submit" name="intent" value="preview" variant="secondary" busy={busy("preview")}>
            Preview
          </Button>
        </div>
      </Form>
    </section>
  );
}

function History() {
  const { versions } = useLoaderData<typeof loader>();
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {versions.length === 0 ? (
        <p className="muted">No rules yet at this frequency.</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Tiers</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.key}>
                  <td data-label="From">{v.from}</td>
                  <td data-label="Until">{v.to ?? <span className="muted">No end</span>}</td>
                  <td data-label="Tiers">
                    <span className="break">
                      {v.tiers.map((t) => t.short).join(" · ")}
                      {v.tiers.some((t) => t.conditions.length) ? (
                        <>
                          <br />
                          <span className="muted small">
                            {v.tiers
                              .filter((t) => t.conditions.length)
                              .map((t) => `${t.short.split(" ")[0]}: ${t.conditions.join(", ")}`)
                              .join("; ")}
                          </span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label="State">
                    <span className={`badge${v.state === "in_force" ? " badge-active" : v.state === "scheduled" ? " badge-pending" : ""}`}>
                      {STATE_LABELS[v.state]}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data ? `Commission rules · ${data.product.name}` : "Commission rules");
