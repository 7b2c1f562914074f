/**
 * Every kind of file the app stores, by the purpose segment of its key (`<tenantId>/<kind>/…`), with
 * the column that points to a file of that kind. The orphan sweep (sweep.server.ts) deletes an old
 * file of a kind listed here that nothing points to, and leaves a kind it does not know alone. A
 * test reads the database catalogue and fails for any `…file_key` column missing here, so a kind
 * added later cannot be swept by mistake (tests/integration/stored-files.test.ts).
 *
 * Queued emails point to files as well (`messages.attachments[].fileKey`): the sweep counts them.
 */
export const STORED_FILE_KINDS = {
  /** Documents sent at checkout or in an agent's sale (a vehicle's logbook). */
  kyc: { table: "uploads", column: "file_key" },
  /** Policy certificates (PDF), one per policy. */
  certificates: { table: "policies", column: "certificate_file_key" },
  /** Payment receipts (PDF), one per receipt. */
  receipts: { table: "receipts", column: "file_key" },
  /** Agents' monthly commission statements (PDF). */
  statements: { table: "commission_statements", column: "file_key" },
  /** Documents sent with a claim (photos, a police abstract, a discharge summary). */
  "claim-documents": { table: "claim_documents", column: "file_key" },
  /** Documents uploaded in the claim wizard before the claim is submitted (copied to claim-documents then). */
  "claim-drafts": { table: "claim_draft_documents", column: "file_key" },
  /** A paid claim's settlement letter (PDF), one per settlement. */
  "settlement-letters": { table: "claim_settlements", column: "letter_file_key" },
  /** A rejected claim's decision letter (PDF), with the reasons and the time to appeal. */
  "decision-letters": { table: "claims", column: "decision_letter_file_key" },
  /** A customer's "download my data" ZIP (decision 034), kept until it expires. */
  "data-exports": { table: "data_exports", column: "file_key" },
  /** A cancelled policy's letter (PDF): what comes back and why, one per cancellation version. */
  "cancellation-letters": { table: "policy_versions", column: "letter_file_key" },
} as const;

export type StoredFileKind = keyof typeof STORED_FILE_KINDS;

export function isStoredFileKind(value: string | undefined): value is StoredFileKind {
  return value !== undefined && Object.hasOwn(STORED_FILE_KINDS, value);
}

/** A key at a fixed place for its row (a policy's certificate): `<tenantId>/<kind>/<name>`. */
export function kindKey(tenantId: string, kind: StoredFileKind, name: string): string {
  return `${tenantId}/${kind}/${name}`;
}
