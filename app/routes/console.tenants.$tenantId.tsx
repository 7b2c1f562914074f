import { getFormProps, getInputProps, useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useRef, useState } from "react";
import { z } from "zod";
import { withPlatform } from "~/lib/db.server";
import { TextareaField, textareaProps } from "~/components/console/fields";
import { useHydrated } from "~/components/console/use-hydrated";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/dialog";
import { Field, inputProps } from "~/components/ui/field";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { clientInfo } from "~/modules/auth/guards.server";
import { auditActionLabel, auditSummary } from "~/modules/platform/audit-actions";
import { listPlatformAudit } from "~/modules/platform/console.server";
import { requireOperator } from "~/modules/platform/operators.server";
import { BRAND_COLOURS, brandingFormSchema, suspendSchema } from "~/modules/platform/schemas";
import { storefrontOrigin } from "~/modules/platform/storefront.server";
import { findTenant, setTenantStatus, tenantPeople, updateBranding } from "~/modules/platform/tenants.server";
import { readForm } from "~/lib/forms";

// Schemas: `brandingFormSchema` and `suspendSchema` (~/modules/platform/schemas). One action
// serves three forms, told apart by their hidden `intent` field.

const intentSchema = z.enum(["branding", "suspend", "reactivate"]);
const NOTICES = {
  onboarded: "Agency onboarded.",
  branding: "Branding saved. The storefront shows it on the next page load.",
  suspended: "Agency suspended. Its storefront now shows an “unavailable” page; its data is kept.",
  reactivated: "Agency reactivated. Its storefront is open again.",
} as const;

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOperator(request);
  const data = await withPlatform(async (db) => {
    const tenant = await findTenant(db, params.tenantId ?? "");
    if (!tenant) return null;
    const people = await tenantPeople(db, tenant.id);
    const audit = await listPlatformAudit(db, { page: 1, tenantId: tenant.id, pageSize: 10 });
    return { tenant, people, audit: audit.rows, moreAudit: audit.hasMore };
  });
  if (!data) throw notFound();
  const { tenant } = data;
  return json({
    tenant: {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      status: tenant.status,
      suspendedReason: tenant.suspendedReason,
      currency: tenant.currency,
      locale: tenant.locale,
      timeZone: tenant.timeZone,
      features: tenant.features,
      branding: tenant.branding,
      contact: tenant.contact,
      createdAt: tenant.createdAt,
    },
    storefront: storefrontOrigin(request, tenant.slug),
    userCount: data.people.userCount,
    admins: data.people.admins,
    audit: data.audit,
    moreAudit: data.moreAudit,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const operator = await requireOperator(request);
  const formData = await readForm(request);
  const tenant = await withPlatform((db) => findTenant(db, params.tenantId ?? ""));
  if (!tenant) throw notFound();
  const parsedIntent = intentSchema.safeParse(formData.get("intent"));
  if (!parsedIntent.success) throw new Response("Unknown action", { status: 400, statusText: "Bad Request" });
  const intent = parsedIntent.data;
  const actor = { operatorId: operator.id, ip: clientInfo(request).ip };
  const here = `/console/tenants/${tenant.id}`;

  if (intent === "branding") {
    const submission = parseWithZod(formData, { schema: brandingFormSchema });
    if (submission.status !== "success") return json({ intent, reply: submission.reply() }, { status: 400 });
    await withPlatform((db) => updateBranding(db, tenant.id, submission.value, actor));
    return redirect(`${here}?notice=branding`);
  }
  if (intent === "suspend") {
    const submission = parseWithZod(formData, { schema: suspendSchema });
    if (submission.status !== "success") return json({ intent, reply: submission.reply() }, { status: 400 });
    await withPlatform((db) => setTenantStatus(db, tenant.id, { status: "suspended", reason: submission.value.reason }, actor));
    return redirect(`${here}?notice=suspended`);
  }
  await withPlatform((db) => setTenantStatus(db, tenant.id, { status: "active" }, actor));
  return redirect(`${here}?notice=reactivated`);
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function AgencyDetail() {
  const data = useLoaderData<typeof loader>();
  const { tenant, storefront, admins } = data;
  const [params] = useSearchParams();
  const notice = params.get("notice") as keyof typeof NOTICES | null;
  const invited = admins.find((a) => a.invitation_pending);
  return (
    <section className="console-detail">
      <p className="breadcrumbs">
        <Link to="/console">Agencies</Link> / {tenant.name}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {tenant.name} <span className={`badge badge-${tenant.status}`}>{tenant.status === "active" ? "Active" : "Suspended"}</span>
          </h1>
          <p className="muted">
            <a href={storefront} target="_blank" rel="noreferrer">
              {storefront.replace(/^https?:\/\//, "")}
              <span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          </p>
        </div>
        <Link to={`/console/outbox?tenant=${tenant.id}`} className="btn btn-secondary">
          Outbox
        </Link>
      </div>

      {notice && notice in NOTICES ? (
        <Alert tone="success" title={NOTICES[notice]}>
          {notice === "onboarded" ? (
            <p>
              {invited ? (
                <>
                  An invitation to set a password was emailed to <strong>{invited.email}</strong>.{" "}
                </>
              ) : (
                <>An invitation to set a password was emailed to the first administrator. </>
              )}
              Without an email provider it waits in the <Link to={`/console/outbox?tenant=${tenant.id}`}>outbox</Link>, where its link can
              be followed.
            </p>
          ) : null}
        </Alert>
      ) : null}

      {tenant.status === "suspended" ? (
        <Alert tone="warning" title="This agency is suspended">
          <p>
            Its storefront shows an “unavailable” page and nobody can sign in.
            {tenant.suspendedReason ? <> Reason: {tenant.suspendedReason}</> : null}
          </p>
        </Alert>
      ) : null}

      <div className="console-columns">
        <Identity data={data} />
        <People data={data} />
      </div>

      <BrandingForm data={data} />

      <RecentAudit data={data} />

      {tenant.status === "active" ? <SuspendForm name={tenant.name} /> : <ReactivateForm name={tenant.name} />}
    </section>
  );
}

function Identity({ data }: { data: LoaderData }) {
  const { tenant, storefront, userCount } = data;
  return (
    <div className="card">
      <h2>Identity</h2>
      <dl className="facts">
        <dt>Web address</dt>
        <dd>
          <code>{tenant.slug}</code>
        </dd>
        <dt>Storefront</dt>
        <dd>
          <a href={storefront} target="_blank" rel="noreferrer">
            {storefront}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        </dd>
        <dt>Status</dt>
        <dd>{tenant.status === "active" ? "Active" : "Suspended"}</dd>
        <dt>Currency</dt>
        <dd>{tenant.currency}</dd>
        <dt>Locale</dt>
        <dd>{tenant.locale}</dd>
        <dt>Time zone</dt>
        <dd>{tenant.timeZone}</dd>
        <dt>Features</dt>
        <dd>
          <ul className="feature-list">
            <li>Marketplace: {tenant.features.marketplace ? "on" : "off"}</li>
            <li>Agent network: {tenant.features.agentNetwork ? "on" : "off"}</li>
          </ul>
        </dd>
        <dt>Users</dt>
        <dd>{userCount}</dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={tenant.createdAt}>{formatDateTime(tenant.createdAt, "en-GB", "UTC")} UTC</time>
        </dd>
      </dl>
    </div>
  );
}

function People({ data }: { data: LoaderData }) {
  const { admins, userCount } = data;
  return (
    <div className="card">
      <h2>Administrators</h2>
      <p className="muted">{`${userCount} ${userCount === 1 ? "account" : "accounts"} in this agency, customers included.`}</p>
      {admins.length === 0 ? (
        <p className="empty">No administrators yet.</p>
      ) : (
        <ul className="people">
          {admins.map((a) => (
            <li key={a.id}>
              <strong>{a.name}</strong> <span className="muted">{a.email}</span>{" "}
              {a.invitation_pending ? (
                <span className="badge badge-outbox">Invitation pending</span>
              ) : a.status === "suspended" ? (
                <span className="badge badge-suspended">Suspended</span>
              ) : (
                <span className="badge badge-active">Active</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type ColourKey = (typeof BRAND_COLOURS)[number]["key"];
const HEX = /^#[0-9a-fA-F]{6}$/;

function BrandingForm({ data }: { data: LoaderData }) {
  const { tenant } = data;
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const [form, fields] = useForm({
    id: "branding",
    lastResult: actionData?.intent === "branding" ? actionData.reply : undefined,
    defaultValue: {
      name: tenant.name,
      tagline: tenant.branding.tagline ?? "",
      logoUrl: tenant.branding.logoUrl ?? "",
      ...tenant.branding.colors,
      contactEmail: tenant.contact.email ?? "",
      contactPhone: tenant.contact.phone ?? "",
      contactAddress: tenant.contact.address ?? "",
    },
    constraint: getZodConstraint(brandingFormSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: brandingFormSchema }),
  });
  const initial = (value: unknown) => (typeof value === "string" ? value : "");
  const [preview, setPreview] = useState(() => ({
    name: initial(fields.name.initialValue),
    tagline: initial(fields.tagline.initialValue),
    logoUrl: initial(fields.logoUrl.initialValue),
  }));
  const [colours, setColours] = useState<Record<ColourKey, string>>(() => {
    const entries = BRAND_COLOURS.map(({ key }) => [key, initial(fields[key].initialValue) || tenant.branding.colors[key]] as const);
    return Object.fromEntries(entries) as Record<ColourKey, string>;
  });
  const [lastValid, setLastValid] = useState(colours);
  const setColour = (key: ColourKey, value: string) => {
    setColours((c) => ({ ...c, [key]: value }));
    if (HEX.test(value)) setLastValid((c) => ({ ...c, [key]: value.toLowerCase() }));
  };
  const shown = lastValid;
  const headerContrast = contrastRatio(shown.primary, shown.primaryContrast);
  const bodyContrast = contrastRatio(shown.surface, shown.text);
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "branding";
  return (
    <div className="card">
      <h2 id="branding-title">Branding and contact</h2>
      <p className="muted">What customers see on the storefront and in every email the agency sends.</p>
      <Form method="post" {...getFormProps(form)} aria-labelledby="branding-title">
        <input type="hidden" name="intent" value="branding" />
        <FormErrors errors={form.errors} />
        <div className="branding-layout">
          <div>
            <Field
              label="Agency name"
              {...inputProps(fields.name, { type: "text" })}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setPreview((p) => ({ ...p, name: value }));
              }}
            />
            <Field
              label="Tagline"
              {...inputProps(fields.tagline, { type: "text" })}
              hint="One line under the name on the home page (optional)."
              onChange={(e) => {
                const value = e.currentTarget.value;
                setPreview((p) => ({ ...p, tagline: value }));
              }}
            />
            <Field
              label="Logo address"
              {...inputProps(fields.logoUrl, { type: "text" })}
              hint="A path like /tenants/acme/logo.svg or an https:// address (optional)."
              onChange={(e) => {
                const value = e.currentTarget.value;
                setPreview((p) => ({ ...p, logoUrl: value }));
              }}
            />
            <fieldset>
              <legend>Colours</legend>
              <div className="colour-grid">
                {BRAND_COLOURS.map((c) => (
                  <ColourField
                    key={c.key}
                    meta={fields[c.key]}
                    label={c.label}
                    hint={c.hint}
                    value={colours[c.key]}
                    pickerValue={lastValid[c.key]}
                    picker={hydrated}
                    onChange={(value) => setColour(c.key, value)}
                  />
                ))}
              </div>
            </fieldset>
          </div>
          <figure className="brand-preview" style={{ background: shown.surface, color: shown.text }}>
            <figcaption className="brand-preview-caption">Preview</figcaption>
            <div className="brand-preview-header" style={{ background: shown.primary, color: shown.primaryContrast }}>
              {preview.logoUrl && (preview.logoUrl.startsWith("/") || preview.logoUrl.startsWith("https://")) ? (
                <img src={preview.logoUrl} alt="" width={28} height={28} />
              ) : null}
              <strong>{preview.name || "Agency name"}</strong>
            </div>
            <div className="brand-preview-body">
              <p>{preview.tagline || "Insurance, simply."}</p>
              <span className="brand-preview-button" style={{ background: shown.primary, color: shown.primaryContrast }}>
                Get a quote
              </span>{" "}
              <span className="brand-preview-accent" style={{ background: shown.accent }} aria-hidden />
            </div>
            {headerContrast < 4.5 || bodyContrast < 4.5 ? (
              <p className="brand-preview-warning" role="status">
                Low contrast ({Math.min(headerContrast, bodyContrast).toFixed(1)}:1). Text should reach 4.5:1 to be readable by everyone.
              </p>
            ) : null}
          </figure>
        </div>
        <fieldset>
          <legend>Contact</legend>
          <div className="form-grid two">
            <Field label="Contact email" {...inputProps(fields.contactEmail, { type: "email" })} />
            <Field label="Contact phone" {...inputProps(fields.contactPhone, { type: "tel" })} />
          </div>
          <TextareaField label="Address" rows={2} {...textareaProps(fields.contactAddress)} />
        </fieldset>
        <div className="actions">
          <Button type="submit" busy={saving}>
            Save branding
          </Button>
        </div>
      </Form>
    </div>
  );
}

/**
 * A colour as text (#0a4d68), which is what the form posts and what works without JavaScript,
 * with a colour picker beside it once the page is interactive.
 */
function ColourField({
  meta,
  label,
  hint,
  value,
  pickerValue,
  picker,
  onChange,
}: {
  meta: FieldMetadata<string>;
  label: string;
  hint: string;
  value: string;
  pickerValue: string;
  picker: boolean;
  onChange: (value: string) => void;
}) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { key, defaultValue, ...text } = getInputProps(meta, { type: "text" });
  const invalid = Boolean(meta.errors?.length);
  const described = [invalid ? `${meta.id}-error` : null, `${meta.id}-hint`].filter(Boolean).join(" ");
  return (
    <div className={`field colour-field${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={meta.id}>{label}</label>
      <div className="colour-inputs">
        {picker ? (
          <input
            type="color"
            aria-label={`${label}: colour picker`}
            value={pickerValue}
            onChange={(e) => onChange(e.currentTarget.value)}
          />
        ) : (
          <span className="colour-swatch" style={{ background: pickerValue }} aria-hidden />
        )}
        <input
          {...text}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          aria-describedby={described}
          spellCheck={false}
          autoCapitalize="none"
          maxLength={7}
          size={8}
        />
      </div>
      <p className="field-hint" id={`${meta.id}-hint`}>
        {hint}
      </p>
      {invalid ? (
        <p className="field-error" id={`${meta.id}-error`} role="alert">
          {meta.errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function RecentAudit({ data }: { data: LoaderData }) {
  const { audit, moreAudit, tenant } = data;
  return (
    <div className="card">
      <div className="page-head">
        <h2>Recent operator activity</h2>
        {moreAudit ? <Link to={`/console/audit?tenant=${tenant.id}`}>See all</Link> : null}
      </div>
      {audit.length === 0 ? (
        <p className="empty">No operator activity for this agency yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data console-table">
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Action</th>
                <th scope="col">Operator</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((row) => (
                <tr key={row.id}>
                  <td data-label="Time (UTC)">
                    <time dateTime={row.created_at}>{formatDateTime(row.created_at, "en-GB", "UTC")}</time>
                  </td>
                  <td data-label="Action">{auditActionLabel(row.action)}</td>
                  <td data-label="Operator">{row.operator_email ?? "—"}</td>
                  <td data-label="Details">{auditSummary(row.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function SuspendForm({ name }: { name: string }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  const [form, fields] = useForm({
    id: "suspend",
    lastResult: actionData?.intent === "suspend" ? actionData.reply : undefined,
    constraint: getZodConstraint(suspendSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: suspendSchema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "suspend";
  const trigger = (
    <Button
      variant="danger"
      // Without JavaScript this button posts the form; with it, it opens the confirmation.
      type={hydrated ? "button" : "submit"}
      busy={busy}
      onClick={(e) => {
        // Ask for the reason before asking "are you sure?".
        if (hydrated && formRef.current && !formRef.current.reportValidity()) e.preventDefault();
      }}
    >
      Suspend agency
    </Button>
  );
  return (
    <div className="card danger-zone">
      <h2 id="suspend-title">Suspend this agency</h2>
      <p>
        The storefront shows an “unavailable” page, nobody can sign in and no data is shown. Nothing is deleted: reactivating restores
        everything.
      </p>
      <Form method="post" ref={formRef} {...getFormProps(form)} aria-labelledby="suspend-title">
        <input type="hidden" name="intent" value="suspend" />
        <FormErrors errors={form.errors} />
        <TextareaField
          label="Reason"
          rows={2}
          hint="Recorded in the platform's and the agency's audit logs."
          {...textareaProps(fields.reason)}
        />
        <ConfirmDialog
          trigger={trigger}
          title={`Suspend ${name}?`}
          description={
            <p>
              Customers and staff of {name} lose access at once, until an operator reactivates the agency. The reason you gave is recorded.
            </p>
          }
        >
          <button type="submit" form={form.id} className="btn btn-danger" disabled={busy}>
            Yes, suspend
          </button>
        </ConfirmDialog>
      </Form>
    </div>
  );
}

function ReactivateForm({ name }: { name: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "reactivate";
  return (
    <div className="card">
      <h2>Reactivate this agency</h2>
      <p>{name}&apos;s storefront opens again and its people can sign in as before.</p>
      <Form method="post">
        <input type="hidden" name="intent" value="reactivate" />
        <Button type="submit" busy={busy}>
          Reactivate agency
        </Button>
      </Form>
    </div>
  );
}

/** WCAG contrast ratio of two #rrggbb colours (1 to 21). */
function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.tenant.name ?? "Agency");
