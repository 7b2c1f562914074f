import { json, redirect } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { formatMoney } from "~/lib/money";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { quoteDateIn } from "~/modules/rating/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { cancelPolicy, recordAgencyReturns } from "./cancel.server";
import { quoteCancellation, refundBasisOf } from "./quote.server";
import { CUSTOMER_REASONS, reasonInWords, reasonSchema, STAFF_REASONS, type CancelledBy } from "./reasons";
import { cancellationOf } from "./status.server";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * What the two cancellation pages share (the customer's /account/policies/<id>/cancel and the
 * back office's /admin/policies/<id>/cancel): the page's data and the form's handling. The routes
 * only check who may see the page. A customer's policy of someone else is "not found" (404).
 */
// The refund's progress, the reasons and the cover dates are in the reader's words (`policy` namespace, cancel.*).

export async function cancelPageData(tenant: TenantInfo, viewer: { userId: string }, policyId: string, by: CancelledBy) {
  const today = quoteDateIn(tenant.timeZone);
  const data = await withTenant(tenant.id, async (db) => {
    const policy = await db
      .selectFrom("policies")
      .innerJoin("products", "products.id", "policies.product_id")
      .select([
        "policies.id",
        "policies.user_id",
        "policies.policy_number",
        "policies.status",
        "policies.start_date",
        "policies.end_date",
        "policies.currency",
        "products.name as product",
      ])
      .where("policies.id", "=", policyId)
      .executeTakeFirst();
    if (!policy || (by === "customer" && policy.user_id !== viewer.userId)) return null;
    const quoted = await quoteCancellation(db, tenant, policyId, { on: today });
    return { policy, quoted, cancellation: await cancellationOf(db, policyId) };
  });
  if (!data) throw new Response("Not found", { status: 404 });
  const { policy, quoted, cancellation } = data;
  const t = await serverT(tenant.language, "policy");
  const money = (minor: number) => formatMoney(minor, policy.currency, tenant.locale);
  const day = (d: string) => formatDate(`${d}T00:00:00Z`, tenant.locale, "UTC");
  const figures = (basis: ReturnType<typeof refundBasisOf>) => ({
    // The same sentences as methodInWords (the letter's), in the reader's words.
    why: t(`cancel.why.${basis.method}`, {
      days: basis.freeLookDays,
      until: day(basis.freeLookEndsOn),
      left: basis.termDays - basis.daysInForce,
      term: basis.termDays,
      given: basis.daysInForce,
      kept: ((basis.retainedBp ?? 10_000) / 100).toLocaleString(tenant.locale),
    }),
    method: basis.method,
    paid: money(basis.paidMinor),
    kept: money(Math.min(basis.earnedMinor, basis.paidMinor)),
    claimsPaid: basis.claimsPaidMinor > 0 ? money(basis.claimsPaidMinor) : null,
    refund: money(basis.returnMinor),
    refundMinor: basis.returnMinor,
  });
  // What returnLabel says on the letter, in the reader's words.
  const returnIn = (line: { method: string; paidOn: string; byAgency: boolean }) =>
    t(line.byAgency ? "cancel.returnByAgency" : "cancel.returnSameWay", {
      method: t(`method.${line.method}`, { ns: "account", defaultValue: line.method }),
      date: formatDate(line.paidOn, tenant.locale, tenant.timeZone),
    });
  const numberForFile = (policy.policy_number ?? "policy").replace(/[^A-Za-z0-9-]/g, "-");
  return {
    by,
    title: t("cancel.pageTitle", { name: policy.policy_number ?? policy.product }),
    policy: {
      id: policy.id,
      number: policy.policy_number,
      product: policy.product,
      status: policy.status,
      cover:
        policy.start_date && policy.end_date ? t("summary.coverDates", { start: day(policy.start_date), end: day(policy.end_date) }) : null,
    },
    today: day(today),
    quote:
      quoted?.ok === true
        ? {
            ...figures(refundBasisOf(quoted.quote, by)),
            refunds: quoted.quote.refunds.map((r) => ({
              label: returnIn({ ...r, paidOn: r.paidOn.toISOString() }),
              amount: money(r.amountMinor),
              byAgency: r.byAgency,
            })),
          }
        : null,
    refusal: quoted && !quoted.ok ? quoted.message : null,
    cancellation: cancellation
      ? {
          cancelledOn: day(cancellation.cancelledOn),
          reason: cancellation.reason,
          ...figures(cancellation.basis),
          refunds: cancellation.refunds.map((r) => {
            const line = cancellation.basis.refunds.find((l) => l.transactionId === r.transactionId);
            return {
              id: r.id,
              label: line ? returnIn(line) : t("cancel.refund"),
              amount: money(r.amountMinor),
              status: r.status,
              statusWords: t(`cancel.refundStatus.${r.status}`),
            };
          }),
          agencyOwed: cancellation.agencyOwedMinor > 0 ? money(cancellation.agencyOwedMinor) : null,
          letterUrl: cancellation.letterFileKey
            ? signDownload({
                tenantId: tenant.id,
                fileKey: cancellation.letterFileKey,
                userId: viewer.userId,
                filename: `Cancellation-${numberForFile}.pdf`,
                expiresInSeconds: 300,
              })
            : null,
        }
      : null,
    reasons: Object.keys(by === "customer" ? CUSTOMER_REASONS : STAFF_REASONS).map((value) => ({
      value,
      label: t(`cancel.reasons.${by}.${value}`),
    })),
  };
}

export type CancelFormErrors = Partial<Record<"reason" | "details" | "confirm" | "form", string>>;

/** The cancel form (and, for staff, recording what the agency returned): errors by field, or a redirect. */
export async function handleCancelForm(
  request: Request,
  tenant: TenantInfo,
  user: { id: string },
  policyId: string,
  by: CancelledBy,
  back: string,
) {
  const form = await readForm(request);
  const values = { reason: String(form.get("reason") ?? ""), details: String(form.get("details") ?? "") };
  if (by === "staff" && form.get("intent") === "record_agency_return") {
    const recorded = await withTenant(tenant.id, async (db) => {
      const result = await recordAgencyReturns(db, tenant, { policyId, actorUserId: user.id });
      if (result.ok)
        await recordAudit(
          db,
          { userId: user.id, ip: clientInfo(request).ip },
          { action: "policy.cancellation_returned", targetType: "policy", targetId: policyId, details: { refunds: result.recorded } },
        );
      return result;
    });
    if (!recorded.ok) return json({ errors: { form: recorded.message } as CancelFormErrors, values }, { status: 400 });
    return redirect(`${back}?returned=1`);
  }
  const parsed = reasonSchema(by).safeParse({ reason: form.get("reason") ?? undefined, details: form.get("details") || undefined });
  const errors: CancelFormErrors = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) errors[(issue.path[0] as keyof CancelFormErrors) ?? "form"] ??= issue.message;
  if (form.get("confirm") !== "yes") errors.confirm = "Tick the box to confirm you want to cancel.";
  if (!parsed.success || errors.confirm) return json({ errors, values }, { status: 400 });
  const reason = reasonInWords(by, parsed.data.reason, parsed.data.details);
  if (!reason) return json({ errors: { details: "Tell us the reason in a few words." } as CancelFormErrors, values }, { status: 400 });

  const result = await withTenant(tenant.id, async (db) => {
    const done = await cancelPolicy(db, tenant, { policyId, reason, actorUserId: user.id, by, today: quoteDateIn(tenant.timeZone) });
    if (done.ok)
      await recordAudit(
        db,
        { userId: user.id, ip: clientInfo(request).ip },
        {
          action: "policy.cancelled",
          targetType: "policy",
          targetId: policyId,
          details: { by, reason, refundMinor: done.quote.returnMinor },
        },
      );
    return done;
  });
  if (!result.ok) {
    if (result.code === "not_found") throw new Response("Not found", { status: 404 });
    return json({ errors: { [result.field ?? "form"]: result.message } as CancelFormErrors, values }, { status: 400 });
  }
  return redirect(`${back}?cancelled=1`);
}
