import { createHmac } from "node:crypto";
import type { TenantDb } from "~db/client";
import { env } from "~/lib/env.server";
import {
  payoutProviderFor,
  type PayoutChannel,
  type PayoutProviderName,
  type ProviderDeps,
} from "~/modules/payments/providers/index.server";
import { providerConfig, ProviderNotEnabledError } from "~/modules/payments/settings.server";

/** A payout send that did not reach the provider: the job retries it with the same key. */
export class RetryPayoutLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryPayoutLater";
  }
}

/** What a payout pays: a claim settlement (decision 025) or an agent's commission payout (decision 047). */
export type PayoutSubjectKind = "claim" | "commission";

/**
 * A payout's callback token: the same for every attempt of the settlement or commission payout (a
 * keyed hash of its kind and id), so a result that arrives for an earlier attempt, or after a
 * retry, still finds it. Only its hash is stored; without the server's key it cannot be made, nor
 * read back from the database.
 */
export function payoutToken(tenantId: string, subjectId: string, kind: PayoutSubjectKind = "claim"): string {
  return createHmac("sha256", Buffer.from(env().ENCRYPTION_KEY, "utf8"))
    .update(`${kind}-payout:${tenantId}:${subjectId}`)
    .digest("base64url");
}

/** Where a provider posts a payout's result, its queue timeout and a status query's answer. */
export function payoutCallbackUrl(origin: string, provider: PayoutProviderName, token: string, channel: PayoutChannel): string {
  const base = `${origin}/webhooks/payouts/${provider}/${token}`;
  return channel === "result" ? base : `${base}/${channel}`;
}

/** The payout side of one of the tenant's enabled providers, with its decrypted configuration. */
export async function tenantPayoutProvider(db: TenantDb, tenantId: string, name: PayoutProviderName, deps: ProviderDeps = {}) {
  const stored = await providerConfig(db, tenantId, name);
  if (!stored?.enabled) throw new ProviderNotEnabledError(name);
  return payoutProviderFor(name, stored.config, deps);
}

/** The three callback URLs of a settlement's (or a commission payout's) payouts. */
export function payoutUrls(
  origin: string,
  provider: PayoutProviderName,
  tenantId: string,
  subjectId: string,
  kind: PayoutSubjectKind = "claim",
) {
  const token = payoutToken(tenantId, subjectId, kind);
  return {
    resultUrl: payoutCallbackUrl(origin, provider, token, "result"),
    timeoutUrl: payoutCallbackUrl(origin, provider, token, "timeout"),
    statusUrl: payoutCallbackUrl(origin, provider, token, "status"),
  };
}
