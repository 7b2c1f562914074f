import { timingSafeEqual } from "node:crypto";
import { withTenant } from "~/lib/db.server";
import { applyDeliveryReport } from "./delivery.server";
import { metaDeliveryReports, verifyMetaSignature } from "./providers/meta-whatsapp.server";
import { providerSetup } from "./providers/index.server";

/**
 * Meta's webhook for a tenant's WhatsApp number (decision 039), on the tenant's own host.
 * Subscribing: Meta GETs it with the verify token we showed on the providers page (the row's
 * callback token) and expects the challenge back. Status updates are POSTed, signed with the
 * app secret; only a verified body moves messages, through `applyDeliveryReport`, so duplicates
 * and late reports change nothing.
 */
export async function whatsappSetup(tenantId: string) {
  const setup = await withTenant(tenantId, (db) => providerSetup(db, tenantId, "whatsapp"));
  return setup?.provider === "meta_whatsapp" ? setup : undefined;
}

export async function verifyWhatsappSubscription(tenantId: string, params: URLSearchParams): Promise<string | null> {
  const setup = await whatsappSetup(tenantId);
  const token = params.get("hub.verify_token") ?? "";
  if (!setup || params.get("hub.mode") !== "subscribe" || !sameText(token, setup.callbackToken)) return null;
  // Meta's challenge is a number; anything else is not echoed back.
  const challenge = params.get("hub.challenge") ?? "";
  return /^[A-Za-z0-9_-]{1,256}$/.test(challenge) ? challenge : null;
}

export async function receiveWhatsappStatuses(
  tenantId: string,
  input: { rawBody: string; signature: string | null },
): Promise<{ status: 200 | 401 | 404; applied: number }> {
  const setup = await whatsappSetup(tenantId);
  if (!setup) return { status: 404, applied: 0 };
  const appSecret = typeof setup.config.appSecret === "string" ? setup.config.appSecret : "";
  if (!appSecret || !verifyMetaSignature(input.rawBody, input.signature, appSecret)) return { status: 401, applied: 0 };
  let payload: unknown;
  try {
    payload = JSON.parse(input.rawBody);
  } catch {
    payload = null;
  }
  let applied = 0;
  for (const report of metaDeliveryReports(payload)) {
    const outcome = await withTenant(tenantId, (db) => applyDeliveryReport(db, report));
    if (outcome === "applied") applied += 1;
  }
  return { status: 200, applied };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
