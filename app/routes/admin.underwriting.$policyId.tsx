import { Timeline, timelineRows } from "~/components/admin/timeline";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Fragment } from "react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { StatusBadge } from "~/components/admin/status-badge";
import { TextareaField, textareaProps } from "~/components/console/fields";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { sentenceIn, serverT } from "~/modules/i18n/i18n.server";
import { approveUnderwriting, declineUnderwriting, getUnderwritingCase, referUnderwriting } from "~/modules/policies/admin.server";
import { declineFormSchema, DECLINE_REASON_MAX, referFormSchema } from "~/modules/policies/admin-forms";
import { nameLabel } from "~/modules/workflows/editor";
import { workflowOf } from "~/modules/workflows/engine.server";
import { workflowHistory } from "~/modules/workflows/tasks.server";
import styles from "~/styles/workflows.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const intentSchema = z.enum(["approve", "decline", "refer"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "underwrite:policy:any");
  const id = uuidParam(params, "policyId");
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const loaded = await withTenant(tenant.id, async (db) => {
    const found = await getUnderwritingCase(db, id, { signer: { tenantId: tenant.id, userId: user.id }, tenant, money });
    if (!found) return undefined;
    // Where the policy's underwriting workflow stands, and how it got there (decision 026).
    return { found, state: await workflowOf(db, "policy", id), history: await workflowHistory(db, "policy", id) };
  });
  if (!loaded) throw new Response("Not found", { status: 404 });
  const { found, state, history } = loaded;
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  const now = new Date();
  const t = await serverT(tenant.language, "admin");
  const anyOf = (role: string | null) =>
    role
      ? t("underwriting.anyRole", { role: t(`roles.${role}`, { defaultValue: nameLabel(role) }).toLowerCase() })
      : t("underwriting.anyone");
  return json({
    title: t("underwriting.caseTitle", { product: found.productName }),
    canSeeTransactions: can(user.roles, "read:transaction:any"),
    workflow: history
      ? {
          templateId: history.templateId,
          name: history.name,
          version: history.version,
          canEditTemplates: can(user.roles, "manage:workflow:any"),
          stage: state?.status === "active" ? state.stage.name : null,
          who: state?.task ? (history.rows.find((r) => r.id === state.task!.id)?.assigneeName ?? anyOf(state.task.requiredRole)) : null,
          due: state?.task?.dueAt ? when(state.task.dueAt) : null,
          breached: Boolean(state?.task?.dueAt && state.task.dueAt < now),
          canRefer: state?.status === "active" && state.expects.includes("refer"),
          history: history.rows.map((r) => ({
            id: r.id,
            stage: r.stageName,
            started: when(r.startedAt),
            startedIso: r.startedAt.toISOString(),
            open: r.status === "open",
            outcome: r.outcome ? nameLabel(r.outcome) : null,
            by: r.completedByName,
            notes: r.notes,
          })),
        }
      : null,
    policy: {
      id: found.id,
      number: found.policyNumber,
      status: found.status,
      statusLabel: t(`policyStatus.${found.status}`),
      pending: found.status === "pending_underwriting",
      declineReason: found.declineReason,
      product: found.productName,
      insurer: found.insurerName,
      premium: t("policies.premiumEvery", {
        amount: money(found.instalmentMinor, found.currency),
        frequency: t(`frequency.${found.frequency}`, { defaultValue: found.frequency }),
      }),
      annualPremium: money(found.annualPremiumMinor, found.currency),
      orderPaid: found.orderPaidMinor !== null ? money(found.orderPaidMinor, found.currency) : null,
      policyPaid: found.firstPaymentMinor !== null ? money(found.firstPaymentMinor, found.currency) : null,
      orderReference: found.orderReference,
      paidTransactionId: found.paidTransactionId,
      quoteReference: found.quoteReference,
      submitted: when(found.createdAt),
      startDate: found.startDate ? formatDate(found.startDate, tenant.locale, tenant.timeZone) : null,
      customer: { name: found.customerName, email: found.customerEmail, phone: found.customerPhone },
      holder: {
        name: found.holder.name ?? null,
        email: found.holder.email ?? null,
        phone: found.holder.phone ?? null,
        dateOfBirth: found.holder.dateOfBirth ? formatDate(found.holder.dateOfBirth, tenant.locale, "UTC") : null,
        address: found.holder.address ?? null,
      },
      identifiers: found.identifiers,
      beneficiaries: found.beneficiaries.map((b) => ({ ...b, share: `${(b.shareBp / 100).toFixed(b.shareBp % 100 ? 2 : 0)}%` })),
      risk: found.risk,
      uploads: found.uploads.map((u) => ({
        id: u.id,
        label: u.requirement,
        filename: u.filename,
        href: u.href,
        size: u.sizeBytes >= 1_048_576 ? `${(u.sizeBytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(u.sizeBytes / 1024))} kB`,
      })),
      timeline: timelineRows(found.timeline, when),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "underwrite:policy:any");
  const id = uuidParam(params, "policyId");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };

  if (intent.data === "approve") {
    const result = await withTenant(tenant.id, (db) => approveUnderwriting(db, tenant, id, actor));
    if (!result.ok && result.notFound) throw new Response("Not found", { status: 404 });
    if (!result.ok)
      return json({ intent: "approve" as const, message: await sentenceIn(tenant.language, result.message), reply: null }, { status: 400 });
    return redirect("/admin/underwriting?notice=approved");
  }

  if (intent.data === "refer") {
    const referral = parseWithZod(formData, { schema: referFormSchema });
    if (referral.status !== "success") return json({ intent: "refer" as const, message: null, reply: referral.reply() }, { status: 400 });
    const result = await withTenant(tenant.id, (db) => referUnderwriting(db, tenant, id, referral.value.note, actor));
    if (!result.ok && result.notFound) throw new Response("Not found", { status: 404 });
    if (!result.ok)
      return json(
        { intent: "refer" as const, message: null, reply: referral.reply(replyErrors({ form: [result.message] })) },
        { status: 400 },
      );
    return redirect("/admin/underwriting?notice=referred");
  }

  const submission = parseWithZod(formData, { schema: declineFormSchema });
  if (submission.status !== "success")
    return json({ intent: "decline" as const, message: null, reply: submission.reply() }, { status: 400 });
  const result = await withTenant(tenant.id, (db) => declineUnderwriting(db, tenant, id, submission.value.reason, actor));
  if (!result.ok && result.notFound) throw new Response("Not found", { status: 404 });
  if (!result.ok) {
    return json(
      { intent: "decline" as const, message: null, reply: submission.reply(replyErrors({ form: [result.message] })) },
      { status: 400 },
    );
  }
  return redirect("/admin/underwriting?notice=declined");
}

export default function UnderwritingCase() {
  const { policy, canSeeTransactions, workflow } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/underwriting">{t("underwriting.title")}</Link> / {policy.product}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {policy.product} <StatusBadge status={policy.status} label={policy.statusLabel} />
          </h1>
          <p className="muted">
            {t("underwriting.byline", { insurer: policy.insurer, customer: policy.customer.name, date: policy.submitted })}
          </p>
        </div>
      </div>

      {!policy.pending ? (
        <Alert tone={policy.status === "declined" ? "warning" : "info"} title={t("underwriting.decided", { status: policy.statusLabel })}>
          {policy.declineReason
            ? t("underwriting.reasonGiven", { reason: policy.declineReason })
            : policy.number
              ? t("underwriting.policyNumber", { number: policy.number })
              : null}
        </Alert>
      ) : null}

      <section className="card" aria-labelledby="cover-title">
        <h2 id="cover-title">{t("underwriting.cover")}</h2>
        <dl className="details-list">
          <dt>{t("policies.premium")}</dt>
          <dd>
            {policy.premium} <span className="muted">{t("underwriting.aYear", { amount: policy.annualPremium })}</span>
          </dd>
          <dt>{t("underwriting.paidPolicy")}</dt>
          <dd>
            {policy.policyPaid ?? <span className="muted">{t("underwriting.unknown")}</span>}{" "}
            <span className="muted">{t("underwriting.whatRefunds")}</span>
          </dd>
          <dt>{t("underwriting.paidOrder")}</dt>
          <dd>
            {policy.orderPaid ?? <span className="muted">{t("underwriting.noPayment")}</span>}{" "}
            {canSeeTransactions && policy.paidTransactionId ? (
              <Link to={`/admin/transactions/${policy.paidTransactionId}`}>{policy.orderReference}</Link>
            ) : (
              <span className="muted">{policy.orderReference}</span>
            )}
          </dd>
          {policy.quoteReference ? (
            <>
              <dt>{t("underwriting.quote")}</dt>
              <dd>{policy.quoteReference}</dd>
            </>
          ) : null}
          {policy.startDate ? (
            <>
              <dt>{t("underwriting.coverStarts")}</dt>
              <dd>{policy.startDate}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="card" aria-labelledby="risk-title">
        <h2 id="risk-title">{t("underwriting.risk")}</h2>
        {policy.risk.length === 0 ? (
          <p className="muted">{t("underwriting.noRisk")}</p>
        ) : (
          <dl className="details-list">
            {policy.risk.map((r) => (
              <Fragment key={r.label}>
                <dt>{r.label}</dt>
                <dd>{r.value}</dd>
              </Fragment>
            ))}
          </dl>
        )}
      </section>

      <section className="card" aria-labelledby="holder-title">
        <h2 id="holder-title">{t("underwriting.holder")}</h2>
        <dl className="details-list">
          <dt>{t("underwriting.name")}</dt>
          <dd>{policy.holder.name ?? policy.customer.name}</dd>
          <dt>{t("underwriting.email")}</dt>
          <dd className="break">{policy.holder.email ?? policy.customer.email}</dd>
          <dt>{t("underwriting.phone")}</dt>
          <dd>{policy.holder.phone ?? policy.customer.phone ?? <span className="muted">{t("underwriting.notGiven")}</span>}</dd>
          {policy.holder.dateOfBirth ? (
            <>
              <dt>{t("underwriting.dateOfBirth")}</dt>
              <dd>{policy.holder.dateOfBirth}</dd>
            </>
          ) : null}
          {policy.holder.address ? (
            <>
              <dt>{t("underwriting.address")}</dt>
              <dd>{policy.holder.address}</dd>
            </>
          ) : null}
          {policy.identifiers.map((i) => (
            <Fragment key={i.kind}>
              <dt>{t(`identifierKinds.${i.kind}`, { ns: "common", defaultValue: i.label })}</dt>
              <dd>
                <code>{i.masked}</code>
              </dd>
            </Fragment>
          ))}
        </dl>
        {policy.beneficiaries.length ? (
          <>
            <h3>{t("underwriting.beneficiaries")}</h3>
            <ul className="feature-list">
              {policy.beneficiaries.map((b) => (
                <li key={`${b.name}-${b.relationship}`}>
                  {b.name} <span className="muted">({b.relationship})</span> — {b.share}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section className="card" aria-labelledby="documents-title">
        <h2 id="documents-title">{t("underwriting.documents")}</h2>
        {policy.uploads.length === 0 ? (
          <p className="muted">{t("underwriting.noDocuments")}</p>
        ) : (
          <ul className="feature-list">
            {policy.uploads.map((u) => (
              <li key={u.id}>
                <a href={u.href}>{u.filename}</a>{" "}
                <span className="muted small">
                  {u.label} · {u.size}
                </span>
              </li>
            ))}
          </ul>
        )}
        <p className="muted small">{t("underwriting.linksNote")}</p>
      </section>

      {workflow ? <WorkflowPanel workflow={workflow} /> : null}

      {policy.pending ? (
        <section className="card stack" aria-labelledby="decision-title">
          <h2 id="decision-title">{t("underwriting.decision")}</h2>
          {actionData?.intent === "approve" && actionData.message ? <Alert tone="error">{actionData.message}</Alert> : null}
          <ApproveForm />
          <DeclineForm policyPaid={policy.policyPaid} />
          {workflow?.canRefer ? <ReferForm /> : null}
        </section>
      ) : null}

      {policy.timeline.length ? <Timeline rows={policy.timeline} /> : null}
    </div>
  );
}

function ApproveForm() {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "approve";
  const { t } = useTranslation("admin");
  return (
    <Form method="post" className="stack">
      <h3>{t("underwriting.approve")}</h3>
      <p>{t("underwriting.approveBody")}</p>
      <div className="actions">
        <Button type="submit" name="intent" value="approve" busy={busy}>
          {t("underwriting.approveSubmit")}
        </Button>
      </div>
    </Form>
  );
}

function DeclineForm({ policyPaid }: { policyPaid: string | null }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "decline",
    lastResult: actionData?.intent === "decline" ? actionData.reply : undefined,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: declineFormSchema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "decline";
  const { t } = useTranslation("admin");
  return (
    <Form method="post" {...getFormProps(form)} className="stack decline-form">
      <h3>{t("underwriting.decline")}</h3>
      <p>{t("underwriting.declineBody", { amount: policyPaid ? ` (${policyPaid})` : "" })}</p>
      <FormErrors errors={form.errors} />
      <TextareaField
        label={t("underwriting.declineReason")}
        hint={t("underwriting.declineHint")}
        rows={3}
        maxLength={DECLINE_REASON_MAX}
        {...textareaProps(fields.reason)}
      />
      <div className="actions">
        <Button type="submit" name="intent" value="decline" variant="danger" busy={busy}>
          {t("underwriting.declineSubmit")}
        </Button>
      </div>
    </Form>
  );
}

type Workflow = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["workflow"]>;

function WorkflowPanel({ workflow }: { workflow: Workflow }) {
  const { t } = useTranslation("admin");
  return (
    <section className="card stack" aria-labelledby="workflow-title">
      <h2 id="workflow-title">{t("underwriting.workflow")}</h2>
      <p>
        {workflow.stage ? (
          <>
            <Trans
              t={t}
              i18nKey="underwriting.atStage"
              values={{ stage: workflow.stage, who: workflow.who }}
              components={{ strong: <strong /> }}
            />
            {workflow.due ? (
              workflow.breached ? (
                <span className="badge badge-breached">{t("underwriting.overdueSince", { date: workflow.due })}</span>
              ) : (
                <span className="muted">{t("underwriting.dueOn", { date: workflow.due })}</span>
              )
            ) : null}
            .
          </>
        ) : (
          t("underwriting.finished")
        )}{" "}
        <span className="muted small">
          {workflow.canEditTemplates ? (
            <Link to={`/admin/workflows/${workflow.templateId}`}>
              {t("underwriting.templateVersion", { name: workflow.name, version: workflow.version })}
            </Link>
          ) : (
            t("underwriting.templateVersion", { name: workflow.name, version: workflow.version })
          )}
        </span>
      </p>
      <ol className="activity">
        {workflow.history.map((h) => (
          <li key={h.id}>
            <time dateTime={h.startedIso}>{h.started}</time>
            <span>
              <strong>{h.stage}</strong>{" "}
              {h.open ? (
                <span className="muted">{t("underwriting.now")}</span>
              ) : h.outcome ? (
                <span className="muted">→ {h.outcome}</span>
              ) : null}
              {h.by ? <span className="muted">{t("underwriting.by", { name: h.by })}</span> : null}
              {h.notes ? <span className="muted"> — {h.notes}</span> : null}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function ReferForm() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "refer",
    lastResult: actionData?.intent === "refer" ? actionData.reply : undefined,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: referFormSchema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "refer";
  const { t } = useTranslation("admin");
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <h3>{t("underwriting.refer")}</h3>
      <p>{t("underwriting.referBody")}</p>
      <FormErrors errors={form.errors} />
      <TextareaField
        label={t("underwriting.referNote")}
        hint={t("underwriting.referHint")}
        rows={3}
        maxLength={DECLINE_REASON_MAX}
        {...textareaProps(fields.note)}
      />
      <div className="actions">
        <Button type="submit" name="intent" value="refer" variant="secondary" busy={busy}>
          {t("underwriting.refer")}
        </Button>
      </div>
    </Form>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Underwriting");
