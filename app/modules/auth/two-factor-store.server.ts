import type { Kysely, Transaction } from "kysely";
import type { Database } from "~db/schema";
import type { FactorStore } from "./two-factor.server";

/**
 * Where one account's factor and recovery codes are kept: a tenant account's rows (under RLS,
 * tenant_id filled by its default) or an operator's (platform tables, decision 002). The two pairs
 * of tables have the same columns but for the owner's; this is the one place that writes them.
 */
export interface FactorTables {
  factor: "user_two_factor" | "platform_operator_two_factor";
  codes: "user_recovery_codes" | "platform_operator_recovery_codes";
  owner: "user_id" | "operator_id";
  /** The factor table's key, for the upsert of a new pending secret. */
  key: readonly string[];
}

export function tableStore(db: Transaction<Database>, tables: FactorTables, ownerId: string, context: string): FactorStore {
  // The table names vary, so Kysely cannot type these queries; the interface above is what callers see.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const q = db as unknown as Kysely<any>;
  const { factor, codes, owner } = tables;
  return {
    context,
    read: async () => {
      const row = await q
        .selectFrom(factor)
        .select(["secret_ciphertext", "enabled_at", "last_used_step"])
        .where(owner, "=", ownerId)
        .forUpdate()
        .executeTakeFirst();
      return row && { secretCiphertext: row.secret_ciphertext, enabledAt: row.enabled_at, lastUsedStep: row.last_used_step };
    },
    savePending: async (ciphertext, now) => {
      await q
        .insertInto(factor)
        .values({ [owner]: ownerId, secret_ciphertext: ciphertext, updated_at: now })
        .onConflict((oc) =>
          oc
            .columns([...tables.key])
            .doUpdateSet({ secret_ciphertext: ciphertext, updated_at: now })
            .where(`${factor}.enabled_at`, "is", null),
        )
        .execute();
    },
    enable: async (step, now) => {
      await q.updateTable(factor).set({ enabled_at: now, last_used_step: step, updated_at: now }).where(owner, "=", ownerId).execute();
    },
    useStep: async (step, now) => {
      await q.updateTable(factor).set({ last_used_step: step, updated_at: now }).where(owner, "=", ownerId).execute();
    },
    remove: async () => {
      await q.deleteFrom(codes).where(owner, "=", ownerId).execute();
      await q.deleteFrom(factor).where(owner, "=", ownerId).execute();
    },
    replaceCodes: async (hashes, now) => {
      await q.deleteFrom(codes).where(owner, "=", ownerId).execute();
      await q
        .insertInto(codes)
        .values(hashes.map((code_hash) => ({ [owner]: ownerId, code_hash, created_at: now })))
        .execute();
    },
    spendCode: async (hash, now) => {
      const spent = await q
        .updateTable(codes)
        .set({ used_at: now })
        .where(owner, "=", ownerId)
        .where("code_hash", "=", hash)
        .where("used_at", "is", null)
        .executeTakeFirst();
      return spent.numUpdatedRows > 0n;
    },
    codesLeft: async () => {
      const row = await q
        .selectFrom(codes)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where(owner, "=", ownerId)
        .where("used_at", "is", null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
