import { withTenant, type TenantDb } from "~db/client";
import { textProblem } from "~/lib/text";
import { readMultipartForm, sniffContentType, type ReceivedFile } from "~/modules/checkout/uploads.server";
import type { StoredFileKind } from "~/modules/files/kinds";
import { signDownload } from "~/modules/files/signed-links.server";
import { fileKey, fileStore } from "~/modules/files/storage.server";
import { CLAIM_FILES_MAX, CLAIM_FILE_MAX_BYTES, CLAIM_FILES_PER_UPLOAD } from "./documents-limits";

/**
 * A claim's documents (issue 12): PDF, JPEG, PNG or HEIC (phones' photos), judged by the file's own
 * first bytes, never by its name or the browser's claimed type; at most 10 MB each, 10 at a time and
 * 30 on one claim. Each row is written before its file, and the files a failed transaction wrote are
 * removed again (`withStoredFiles`, the same discipline as checkout's `saveWithUploads`); the daily
 * sweep (app/modules/files/sweep.server.ts) removes what a crash between the two could leave.
 *
 * A document is opened through a signed link of five minutes, for the one signed-in person the page
 * was shown to; only the claimant, their member's agent and staff with read:claim:any get the page.
 */

export { CLAIM_FILES_MAX, CLAIM_FILE_MAX_BYTES, CLAIM_FILES_PER_UPLOAD } from "./documents-limits";

const MESSAGES = {
  type: "Upload a PDF, or a photo in JPEG, PNG or HEIC.",
  name: "The file's name has control characters in it. Rename the file and upload it again.",
  tooMany: `Upload at most ${CLAIM_FILES_PER_UPLOAD} files at a time.`,
  full: (left: number) =>
    left <= 0
      ? `This claim already has the most documents it can hold (${CLAIM_FILES_MAX}).`
      : `This claim can take ${left} more document${left === 1 ? "" : "s"}.`,
};
const FILENAME_MAX = 200;
const HEIC_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"]);

export type ClaimFileType = "application/pdf" | "image/jpeg" | "image/png" | "image/heic";

/** The real type of a document from its bytes, or null for anything else (an .exe renamed .pdf). */
export function sniffClaimDocument(bytes: Buffer): ClaimFileType | null {
  const known = sniffContentType(bytes);
  if (known) return known;
  // ISO base media: a box of type "ftyp" first, whose major brand names HEIF/HEIC.
  if (bytes.length >= 12 && bytes.subarray(4, 8).toString("latin1") === "ftyp") {
    if (HEIC_BRANDS.has(bytes.subarray(8, 12).toString("latin1"))) return "image/heic";
  }
  return null;
}

/** The form of a claim's upload, read with claims' limits (files kept aside, never echoed back). */
export function readClaimUpload(request: Request) {
  return readMultipartForm(request, {
    fileBytes: CLAIM_FILE_MAX_BYTES,
    requestBytes: CLAIM_FILE_MAX_BYTES * CLAIM_FILES_PER_UPLOAD + 1024 * 1024,
  });
}

export interface AcceptedFile {
  kind: string;
  filename: string;
  bytes: Buffer;
  contentType: ClaimFileType;
}

/** The document kind a file part is for: `doc_<kind>` fields, or `file` with the form's `kind`. */
export function kindOfPart(field: string, formKind: string | null): string | null {
  if (field.startsWith("doc_")) return field.slice(4);
  if (field === "file" && formKind) return formKind;
  return null;
}

/**
 * Which received files may be stored: of a kind the claim takes, the right type by their bytes,
 * within the count limits. Errors are per field (the file input), so the form shows them in place.
 */
export function acceptFiles(
  files: readonly ReceivedFile[],
  options: { kinds: readonly string[]; formKind?: string | null; alreadyStored: number },
): { accepted: AcceptedFile[]; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const accepted: AcceptedFile[] = [];
  if (files.length > CLAIM_FILES_PER_UPLOAD) return { accepted, errors: { form: [MESSAGES.tooMany] } };
  const left = CLAIM_FILES_MAX - options.alreadyStored;
  if (files.length > left) return { accepted, errors: { form: [MESSAGES.full(left)] } };
  for (const file of files) {
    const kind = kindOfPart(file.field, options.formKind ?? null);
    if (!kind || !options.kinds.includes(kind)) {
      add(file.field, "Choose what this document is from the list.");
      continue;
    }
    if (!file.bytes) {
      add(file.field, file.problem ?? MESSAGES.type);
      continue;
    }
    if (textProblem(file.filename)) {
      add(file.field, MESSAGES.name);
      continue;
    }
    const contentType = sniffClaimDocument(file.bytes);
    if (!contentType) {
      add(file.field, `${file.filename || "This file"}: ${MESSAGES.type}`);
      continue;
    }
    accepted.push({
      kind,
      filename: Array.from(file.filename).slice(0, FILENAME_MAX).join("") || "document",
      bytes: file.bytes,
      contentType,
    });
  }
  return { accepted, errors };
}

/** Keys written by the transaction in progress (removed if it fails) and keys to remove once it commits. */
export interface FileLedger {
  written: string[];
  discardAfterCommit: string[];
}

/**
 * One tenant transaction that may store files: what it wrote is removed if it fails (and the error
 * goes on), what it replaced or moved is removed once it has committed.
 */
export async function withStoredFiles<T>(tenantId: string, work: (db: TenantDb, files: FileLedger) => Promise<T>): Promise<T> {
  const ledger: FileLedger = { written: [], discardAfterCommit: [] };
  let result: T;
  try {
    result = await withTenant(tenantId, (db) => work(db, ledger));
  } catch (error) {
    await discardFiles(ledger.written);
    throw error;
  }
  await discardFiles(ledger.discardAfterCommit);
  return result;
}

/** Writes a file under a new key of `kind` and notes it in the ledger; call after its row is written. */
export async function putFile(ledger: FileLedger, key: string, bytes: Buffer, contentType: string): Promise<void> {
  await fileStore().put(key, bytes, { contentType });
  ledger.written.push(key);
}

export function newKey(tenantId: string, kind: Extract<StoredFileKind, "claim-documents" | "claim-drafts">, filename: string): string {
  return fileKey(tenantId, kind, filename);
}

/** Stores accepted files on a claim (an answer to a request, an upload from the tracking page or the API). */
export async function storeClaimDocuments(
  db: TenantDb,
  ledger: FileLedger,
  target: { tenantId: string; claimId: string; requestId?: string | null; uploadedBy: string },
  files: readonly AcceptedFile[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const key = newKey(target.tenantId, "claim-documents", file.filename);
    const row = await db
      .insertInto("claim_documents")
      .values({
        claim_id: target.claimId,
        kind: file.kind,
        request_id: target.requestId ?? null,
        file_key: key,
        filename: file.filename,
        content_type: file.contentType,
        size_bytes: file.bytes.length,
        uploaded_by: target.uploadedBy,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await putFile(ledger, key, file.bytes, file.contentType);
    ids.push(row.id);
  }
  return ids;
}

export async function claimDocumentCount(db: TenantDb, claimId: string): Promise<number> {
  const row = await db
    .selectFrom("claim_documents")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("claim_id", "=", claimId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A link to open one of a claim's documents, for the signed-in person the page is shown to. The
 * caller has already decided they may see the claim (claimant, their agent, or staff).
 */
export function claimDocumentLink(tenantId: string, doc: { file_key: string; filename: string }, viewerUserId: string): string {
  return signDownload({ tenantId, fileKey: doc.file_key, userId: viewerUserId, filename: doc.filename, expiresInSeconds: 300 });
}

/** Best effort: a file left behind costs storage, never correctness (the sweep finds it). */
export async function discardFiles(keys: readonly string[]): Promise<void> {
  await Promise.all(
    keys.map((key) =>
      fileStore()
        .delete(key)
        .catch(() => undefined),
    ),
  );
}
