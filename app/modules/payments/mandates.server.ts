import type { TenantDb } from "~db/client";
import { withTenant } from "~db/client";
import type { MandateStatus, SavedMethodProvider as SavedMethodProviderName } from "~db/schema";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { serverT } from "~/modules/i18n/i18n.server";
import { notify } from "~/modules/notifications/notify.server";
import { tenantOrigin, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { MANDATE_EVENT_FOR, mandateMachine, start, transition } from "~/modules/workflows";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { isPayableBank, payableBanks } from "./banks.server";
import {
  nextOpenInstalment,
  recordAuthorisationPayment,
  settleAuthorisationPayment,
  type AuthorisationInstalment,
} from "./mandate-authorisation.server";
import { logExchange, tokenHash } from "./gateway-log.server";
import { failTransaction } from "./payments.server";
import { takesMandates, type MandateEvent, type PayableBank, type ProviderName } from "./providers/index.server";
import { encryptMethodReference, savedMethodReference } from "./saved-methods.server";
import { paymentOptions, tenantProvider } from "./settings.server";

/**
 * E-mandates (decision 046): a member's standing authority for the agency to debit their bank
 * account for one policy's instalments. A mandate is a saved payment method of kind `mandate`,
 * so once the provider says it is in force it becomes the policy's auto-debit method and the
 * `autodebit_instalment` job (decision 029) debits each instalment through `chargeSaved`, exactly
 * once. Its status moves only forward through `mandateMachine`: provider events that come twice,
 * late or out of order change nothing a second time. When it stops (rejected, paused, cancelled,
 * expired) the policy stops being debited and the member is told.
 */

/** Frequencies worth a mandate: the member would otherwise come back every month or quarter. */
const MANDATE_FREQUENCIES = ["monthly", "quarterly"];
/** A debit may take this much more than the largest instalment left (a price change at an endorsement). */
const HEADROOM = 1.25;
const LIVE: MandateStatus[] = ["pending", "active", "paused"];

export interface MandateView {
  id: string;
  status: MandateStatus;
  provider: SavedMethodProviderName;
  bankName: string | null;
  maxAmountMinor: number;
  expiresOn: string | null;
  createdAt: Date;
}

/** The policy's latest mandate, whatever its status (undefined when it never had one). */
export async function policyMandate(db: TenantDb, policyId: string): Promise<MandateView | undefined> {
  const row = await db
    .selectFrom("payment_methods")
    .select(["id", "mandate_status", "provider", "bank_name", "max_amount_minor", "expires_on", "created_at"])
    .where("kind", "=", "mandate")
    .where("policy_id", "=", policyId)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    status: row.mandate_status!,
    provider: row.provider,
    bankName: row.bank_name,
    maxAmountMinor: row.max_amount_minor!,
    expiresOn: row.expires_on,
    createdAt: row.created_at,
  };
}

export function mandateIsLive(mandate: Pick<MandateView, "status"> | undefined): boolean {
  return Boolean(mandate && LIVE.includes(mandate.status));
}

export interface MandateOffer {
  provider: ProviderName;
  mode: "test" | "live";
  /** What the authorisation pays now (Curlec takes at least RM 1.00 to authorise by FPX). */
  first: AuthorisationInstalment;
  banks: PayableBank[];
  maxAmountMinor: number;
  expiresOn: string;
}

/**
 * Whether the member may set up a mandate for this policy now, and on what terms: a policy of
 * theirs paid monthly or quarterly with instalments left, no mandate being set up or in force,
 * and FPX offered by a provider that takes mandates.
 */
export async function mandateOffer(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "currency">,
  policyId: string,
  userId: string,
): Promise<MandateOffer | undefined> {
  const policy = await db
    .selectFrom("policies")
    .select(["id", "frequency", "status", "end_date", "start_date"])
    .where("id", "=", policyId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!policy || !MANDATE_FREQUENCIES.includes(policy.frequency) || !["active", "grace"].includes(policy.status)) return undefined;
  const left = await db
    .selectFrom("instalments")
    .select((eb) => eb.fn.max("amount_minor").as("largest"))
    .where("policy_id", "=", policyId)
    .where("status", "in", ["scheduled", "due", "overdue"])
    .executeTakeFirst();
  const first = await nextOpenInstalment(db, policyId);
  if (!left?.largest || !first) return undefined;
  if (mandateIsLive(await policyMandate(db, policyId))) return undefined;
  const fpx = (await paymentOptions(db, tenant)).find((o) => o.method === "fpx");
  if (!fpx) return undefined;
  const provider = await tenantProvider(db, tenant.id, fpx.provider);
  if (!takesMandates(provider)) return undefined;
  const expiresOn = policy.end_date ?? new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  return {
    provider: fpx.provider,
    mode: fpx.mode,
    first,
    banks: await payableBanks(db, tenant.id, fpx.provider, "fpx"),
    maxAmountMinor: Math.ceil(Number(left.largest) * HEADROOM),
    expiresOn,
  };
}

export type StartMandateResult = { ok: true; url: string } | { ok: false; field?: "bankCode" | "consent"; message: string };

/**
 * Records a pending mandate and its authorisation payment (the next open instalment, decision
 * 046) and asks the provider for the authorisation; the member is sent to their bank (`url`). The
 * provider's answer comes as a mandate event (`applyMandateEvent`) or a payment event. A provider
 * that refuses leaves nothing behind.
 */
export async function startMandate(
  tenant: TenantInfo,
  input: { policyId: string; userId: string; bankCode: string; origin: string },
): Promise<StartMandateResult> {
  const prepared = await withTenant(tenant.id, async (db) => {
    const offer = await mandateOffer(db, tenant, input.policyId, input.userId);
    if (!offer) return { ok: false as const, message: "Automatic debit cannot be set up for this policy now." };
    if (!(await isPayableBank(db, tenant.id, offer.provider, "fpx", input.bankCode))) {
      return { ok: false as const, field: "bankCode" as const, message: "Choose a bank that is online now." };
    }
    const who = await db
      .selectFrom("policies")
      .innerJoin("users", "users.id", "policies.user_id")
      .select(["policies.policy_number", "users.name", "users.email", "users.phone"])
      .where("policies.id", "=", input.policyId)
      .executeTakeFirstOrThrow();
    const provider = offer.provider as SavedMethodProviderName;
    const payment = await recordAuthorisationPayment(db, {
      instalmentId: offer.first.instalmentId,
      userId: input.userId,
      provider,
      mode: offer.mode,
      currency: tenant.currency,
      bankCode: input.bankCode,
    });
    if (!payment.ok) return { ok: false as const, message: payment.message };
    const row = await db
      .insertInto("payment_methods")
      .values({
        user_id: input.userId,
        provider,
        kind: "mandate",
        mandate_status: "pending",
        policy_id: input.policyId,
        max_amount_minor: offer.maxAmountMinor,
        expires_on: offer.expiresOn,
        bank_name: offer.banks.find((b) => b.code === input.bankCode)?.name ?? null,
        // Nothing to charge yet: the provider's token arrives with the authorisation.
        reference_ciphertext: encryptMethodReference(tenant.id, provider, {}),
        fingerprint: `mandate:${input.policyId}:${Date.now()}`,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { ok: true as const, id: row.id, offer, who, payment };
  });
  if (!prepared.ok) return prepared;

  const provider = await withTenant(tenant.id, (db) => tenantProvider(db, tenant.id, prepared.offer.provider));
  if (!takesMandates(provider)) return { ok: false, message: "Automatic debit cannot be set up for this policy now." };
  const result = await provider.createMandate({
    tenantId: tenant.id,
    mandateId: prepared.id,
    reference: prepared.who.policy_number ?? "",
    firstAmountMinor: prepared.payment.amountMinor,
    maxAmountMinor: prepared.offer.maxAmountMinor,
    currency: tenant.currency,
    expiresAt: new Date(`${prepared.offer.expiresOn}T23:59:59Z`).toISOString(),
    method: "fpx",
    bankCode: input.bankCode,
    customer: { name: prepared.who.name, email: prepared.who.email, ...(prepared.who.phone ? { phone: prepared.who.phone } : {}) },
    description: `Instalments of ${prepared.who.policy_number ?? "your policy"}`,
    returnUrl: `${input.origin}/account/policies/${input.policyId}`,
    idempotencyKey: prepared.id,
  });

  return withTenant(tenant.id, async (db) => {
    const transactionId = prepared.payment.transactionId;
    await recordStateChange(db, {
      entity: "transaction",
      entityId: transactionId,
      from: null,
      to: "pending",
      event: "create",
      reason: "mandate_authorisation",
    });
    await logExchange(db, { transactionId, provider: provider.name, kind: "initiate", exchange: result.exchange });
    if (result.status === "failed") {
      // Payments are kept (append-only): the attempt is a failed one, the instalment stays open as
      // it was. The mandate never started: nothing points at it, so nothing of it is kept.
      await failTransaction(db, transactionId, result.reasonCode, result.customerMessage);
      await db.deleteFrom("payment_methods").where("id", "=", prepared.id).execute();
      return { ok: false as const, field: "bankCode" as const, message: result.customerMessage };
    }
    if (start(mandateMachine, "pending").ok)
      await recordStateChange(db, {
        entity: "mandate",
        entityId: prepared.id,
        from: null,
        to: "pending",
        event: "create",
        actorUserId: input.userId,
      });
    await db
      .updateTable("transactions")
      .set({ provider_ref: result.providerRef, updated_at: new Date() })
      .where("id", "=", transactionId)
      .execute();
    await db
      .updateTable("payment_methods")
      .set({
        provider_ref: result.providerRef,
        reference_ciphertext: encryptMethodReference(tenant.id, provider.name as SavedMethodProviderName, {
          customerRef: result.customerRef,
        }),
        updated_at: new Date(),
      })
      .where("id", "=", prepared.id)
      .execute();
    if (result.customerAction.type !== "redirect") return { ok: false as const, message: "This provider cannot authorise a mandate here." };
    return { ok: true as const, url: result.customerAction.url };
  });
}

/**
 * A provider's mandate event (the `process_provider_event` job): finds the mandate by its
 * authorisation's handle or its token, and moves it if the machine allows. Answers the outcome
 * stored on the event: applied_<status>, duplicate, ignored_<from>_to_<to>, unknown_mandate.
 */
export async function applyMandateEvent(db: TenantDb, tenantId: string, providerName: string, event: MandateEvent): Promise<string> {
  const row = await db
    .selectFrom("payment_methods")
    .select(["id", "mandate_status"])
    .where("kind", "=", "mandate")
    .where("provider", "=", providerName as SavedMethodProviderName)
    .where((eb) =>
      eb.or([
        ...(event.providerRef ? [eb("provider_ref", "=", event.providerRef)] : []),
        ...(event.mandateRef ? [eb("mandate_ref_hash", "=", tokenHash(event.mandateRef))] : []),
        eb.val(false),
      ]),
    )
    .forUpdate()
    .executeTakeFirst();
  if (!row) return "unknown_mandate";
  return moveMandate(db, tenantId, row.id, row.mandate_status!, event.status, { event });
}

async function moveMandate(
  db: TenantDb,
  tenantId: string,
  id: string,
  from: MandateStatus,
  to: MandateStatus,
  options: { event?: MandateEvent; actorUserId?: string; reason?: string; quiet?: boolean },
): Promise<string> {
  if (from === to) return "duplicate";
  if (to === "pending") return `ignored_${from}_to_${to}`;
  const moved = transition(mandateMachine, from, MANDATE_EVENT_FOR[to]);
  if (!moved.ok) return `ignored_${from}_to_${to}`;
  const event = options.event;
  const method = (await savedMethodReference(db, tenantId, id))!;
  const activating = to === "active" && event?.mandateRef;
  await db
    .updateTable("payment_methods")
    .set({
      mandate_status: to,
      ...(event?.bankName ? { bank_name: event.bankName } : {}),
      ...(event?.maxAmountMinor ? { max_amount_minor: event.maxAmountMinor } : {}),
      ...(activating
        ? {
            mandate_ref_hash: tokenHash(event.mandateRef!),
            reference_ciphertext: encryptMethodReference(tenantId, method.provider, {
              ...method.reference,
              ...(event.customerRef ? { customerRef: event.customerRef } : {}),
              mandate: event.mandateRef!,
            }),
          }
        : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .execute();
  await recordStateChange(db, {
    entity: "mandate",
    entityId: id,
    from,
    to,
    event: MANDATE_EVENT_FOR[to],
    reason: options.reason ?? event?.reasonCode ?? null,
    actorUserId: options.actorUserId ?? null,
  });
  const mandate = await db
    .selectFrom("payment_methods")
    .innerJoin("policies", "policies.id", "payment_methods.policy_id")
    .select([
      "payment_methods.provider",
      "payment_methods.provider_ref",
      "payment_methods.user_id",
      "payment_methods.bank_name",
      "payment_methods.max_amount_minor",
      "policies.id as policy_id",
      "policies.policy_number",
    ])
    .where("payment_methods.id", "=", id)
    .executeTakeFirstOrThrow();
  if (to === "active") {
    await db.updateTable("policies").set({ autodebit_method_id: id, updated_at: new Date() }).where("id", "=", mandate.policy_id).execute();
  } else {
    await db
      .updateTable("policies")
      .set({ autodebit_method_id: null, updated_at: new Date() })
      .where("autodebit_method_id", "=", id)
      .execute();
  }
  await settleAuthorisationPayment(
    db,
    tenantId,
    { id, provider: mandate.provider, providerRef: mandate.provider_ref },
    to,
    event?.raw ?? null,
  );
  if (!options.quiet) await tellMember(db, tenantId, id, to, mandate);
  return `applied_${to}`;
}

async function tellMember(
  db: TenantDb,
  tenantId: string,
  id: string,
  status: MandateStatus,
  mandate: { user_id: string; bank_name: string | null; max_amount_minor: number | null; policy_id: string; policy_number: string | null },
): Promise<void> {
  const tenant = await db.selectFrom("tenants").select(["id", "slug", "currency"]).where("id", "=", tenantId).executeTakeFirstOrThrow();
  const origin = await tenantOrigin(tenant);
  const common = {
    policyNumber: mandate.policy_number ?? "",
    bank: mandate.bank_name ?? "FPX",
    link: `${origin}/account/policies/${mandate.policy_id}`,
  };
  if (status === "active") {
    await notify(db, tenantId, {
      event: "mandate_active",
      to: { userId: mandate.user_id },
      vars: { ...common, maxAmount: (locale: string) => formatMoney(mandate.max_amount_minor ?? 0, tenant.currency, locale) },
      dedupeKey: `mandate_active:${id}`,
    });
    return;
  }
  await notify(db, tenantId, {
    event: "mandate_stopped",
    to: { userId: mandate.user_id },
    vars: { ...common, status: async (_locale, language) => (await serverT(language, "common"))(`mandate.statusNotice.${status}`) },
    dedupeKey: `mandate_stopped:${id}:${status}`,
  });
}

export type CancelMandateResult = { ok: true } | { ok: false; message: string };

/**
 * Ends the policy's mandate at the provider, then here. `userId`: the member cancelling their own
 * (anyone else's is "not found"); staff pass none. The provider refusing leaves it as it was.
 */
export async function cancelPolicyMandate(
  tenant: TenantInfo,
  input: { policyId: string; userId?: string; actorUserId: string },
): Promise<CancelMandateResult> {
  const found = await withTenant(tenant.id, async (db) => {
    const row = await db
      .selectFrom("payment_methods")
      .select(["id", "provider", "mandate_status"])
      .where("kind", "=", "mandate")
      .where("policy_id", "=", input.policyId)
      .where("mandate_status", "in", LIVE)
      .$if(input.userId !== undefined, (q) => q.where("user_id", "=", input.userId!))
      .executeTakeFirst();
    if (!row) return undefined;
    return { ...row, reference: (await savedMethodReference(db, tenant.id, row.id))!.reference };
  });
  if (!found) return { ok: false, message: "There is no automatic debit to cancel on this policy." };
  if (found.reference.mandate && found.reference.customerRef) {
    const provider = await withTenant(tenant.id, (db) => tenantProvider(db, tenant.id, found.provider));
    if (!takesMandates(provider))
      return { ok: false, message: "The automatic debit cannot be cancelled right now. Please try again later." };
    const answer = await provider.cancelMandate({ customerRef: found.reference.customerRef, mandateRef: found.reference.mandate });
    const exchange = answer.exchange;
    if (exchange)
      await withTenant(tenant.id, (db) => logExchange(db, { transactionId: null, provider: provider.name, kind: "initiate", exchange }));
    if (!answer.ok) return { ok: false, message: answer.customerMessage };
  }
  await withTenant(tenant.id, async (db) => {
    const locked = await db
      .selectFrom("payment_methods")
      .select("mandate_status")
      .where("id", "=", found.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await moveMandate(db, tenant.id, found.id, locked.mandate_status!, "cancelled", {
      actorUserId: input.actorUserId,
      reason: input.userId ? "cancelled_by_member" : "cancelled_by_staff",
    });
  });
  return { ok: true };
}

/** The policy's latest mandate as a page shows it (the member's, their agent's, staff's). */
export async function mandateSummary(
  db: TenantDb,
  tenant: Pick<TenantInfo, "currency" | "locale">,
  policyId: string,
): Promise<{ status: MandateStatus; bankName: string | null; maxAmount: string; expires: string | null; live: boolean } | null> {
  const mandate = await policyMandate(db, policyId);
  if (!mandate) return null;
  return {
    status: mandate.status,
    bankName: mandate.bankName,
    maxAmount: formatMoney(mandate.maxAmountMinor, tenant.currency, tenant.locale),
    expires: mandate.expiresOn ? formatDate(mandate.expiresOn, tenant.locale, "UTC") : null,
    live: mandateIsLive(mandate),
  };
}

/**
 * A mandate whose authorisation nobody answered for a day (decision 046): expired, its
 * authorisation payment with it. No `mandate_stopped` notice: it never started, and the policy
 * page offers automatic debit again. Answers like `applyMandateEvent`.
 */
export async function expireUnansweredMandate(db: TenantDb, tenantId: string, id: string): Promise<string> {
  const row = await db.selectFrom("payment_methods").select("mandate_status").where("id", "=", id).forUpdate().executeTakeFirst();
  if (!row) return "unknown_mandate";
  if (row.mandate_status !== "pending") return `ignored_${row.mandate_status}_to_expired`;
  return moveMandate(db, tenantId, id, "pending", "expired", { reason: "no_answer", quiet: true });
}
