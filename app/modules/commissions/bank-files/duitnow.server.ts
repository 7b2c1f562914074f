import type { TenantDb } from "~db/client";
import type { DuitNowProxyType } from "~db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { encryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { normaliseNric } from "~/modules/pii/identifiers";
import { duitNowMobile } from "./schemas";

/** The agent's DuitNow choice as their page shows it: the kind and a mask, never the number. */
export async function duitNowChoice(db: TenantDb, agentId: string): Promise<{ type: DuitNowProxyType; masked: string } | null> {
  const row = await db
    .selectFrom("agents")
    .select(["duitnow_proxy_type", "duitnow_proxy_masked"])
    .where("id", "=", agentId)
    .executeTakeFirst();
  return row?.duitnow_proxy_type ? { type: row.duitnow_proxy_type, masked: row.duitnow_proxy_masked ?? "••••" } : null;
}

/**
 * Pays the agent by DuitNow to their mobile or MyKad number, or (type null) by account again. The
 * number is a personal identifier: encrypted like the account number (same keys and context, so
 * the bank file decrypts both alike; docs/architecture.md §3), masked for pages and the audit log.
 */
export async function updateDuitNow(
  db: TenantDb,
  tenantId: string,
  input: { agentId: string; proxyType: DuitNowProxyType | null; proxy: string | null },
  actor: Actor,
): Promise<void> {
  const value =
    !input.proxyType || !input.proxy ? null : input.proxyType === "mobile" ? duitNowMobile(input.proxy) : normaliseNric(input.proxy);
  const masked = value ? `•••• ${value.slice(-4)}` : null;
  await db
    .updateTable("agents")
    .set({
      duitnow_proxy_type: value ? input.proxyType : null,
      duitnow_proxy_ciphertext: value ? encryptPii(value, { key: piiKeysFromEnv(), context: piiContext(tenantId, "bank_account") }) : null,
      duitnow_proxy_masked: masked,
      updated_at: new Date(),
    })
    .where("id", "=", input.agentId)
    .execute();
  await recordAudit(db, actor, {
    action: "agent.duitnow_updated",
    targetType: "agent",
    targetId: input.agentId,
    details: { type: value ? input.proxyType : null, proxy: masked },
  });
}
