import { unstable_parseMultipartFormData as parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { withTenant, type TenantDb } from "~db/client";
import { withoutForgedIntent } from "~/lib/forms";
import { textProblem } from "~/lib/text";
import type { StoredFileKind } from "~/modules/files/kinds";
import { fileKey, fileStore } from "~/modules/files/storage.server";
import { UPLOAD_MAX_BYTES } from "./steps";

/**
 * Documents a product needs before it is bought (a vehicle's logbook): PDF, JPEG or PNG, at most
 * 5 MB, judged by the file's own first bytes (never by the name or the browser's claimed type),
 * stored in the file store with their key in `uploads`. A new upload replaces the old one.
 *
 * A file is written only once its row is (and its name checked like any text), and removed again
 * if the transaction then fails (`saveWithUploads`), so no stored file is left that nothing points
 * to; the daily sweep (app/jobs/files.ts) removes what a crash between the two could leave.
 */

export interface ReceivedFile {
  field: string;
  filename: string;
  /** The bytes, or why they were refused. */
  bytes?: Buffer;
  problem?: string;
}

const TEXT_PART_LIMIT = 64 * 1024;
/** Past this the request is refused unread: no honest checkout form is this large. */
const REQUEST_LIMIT = 40 * 1024 * 1024;

const MESSAGES = {
  type: "Upload a PDF, JPEG or PNG file.",
  empty: "The file is empty.",
  name: "The file's name has control characters in it. Rename the file and upload it again.",
};
const FILENAME_MAX = 200;
const UPLOADS: StoredFileKind = "kyc";

/** The real type of a file, from its magic number: PDF, JPEG, PNG, or null for anything else. */
export function sniffContentType(bytes: Buffer): "application/pdf" | "image/jpeg" | "image/png" | null {
  if (bytes.subarray(0, 5).toString("latin1") === "%PDF-") return "application/pdf";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  return null;
}

/**
 * A multipart form's text fields, and its files kept aside (never in the FormData, so no form
 * library ever echoes a file back). An oversized file is drained, not buffered, and reported.
 */
export async function readMultipartForm(
  request: Request,
  /** Other forms' limits (a claim's photos are larger than a logbook scan); default checkout's. */
  limits: { fileBytes?: number; requestBytes?: number } = {},
): Promise<{ ok: true; form: FormData; files: ReceivedFile[] } | { ok: false; message: string }> {
  const fileLimit = limits.fileBytes ?? UPLOAD_MAX_BYTES;
  const tooLarge = `The file is larger than ${fileLimit / 1024 / 1024} MB. Upload a smaller scan or photo.`;
  if (Number(request.headers.get("content-length") ?? 0) > (limits.requestBytes ?? REQUEST_LIMIT)) return { ok: false, message: tooLarge };
  const files: ReceivedFile[] = [];
  const handler: UploadHandler = async ({ name, filename, data }) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const limit = filename === undefined ? TEXT_PART_LIMIT : fileLimit;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
    }
    if (filename === undefined) return size <= limit ? Buffer.concat(chunks).toString("utf8") : "";
    // No file chosen: browsers still send an empty, nameless part.
    if (!filename && size === 0) return undefined;
    if (size > limit) files.push({ field: name, filename, problem: tooLarge });
    else if (size === 0) files.push({ field: name, filename, problem: MESSAGES.empty });
    else files.push({ field: name, filename, bytes: Buffer.concat(chunks) });
    return undefined;
  };
  try {
    return { ok: true, form: withoutForgedIntent(await parseMultipartFormData(request, handler)), files };
  } catch {
    return { ok: false, message: "The form could not be read. Try again." };
  }
}

/**
 * Stores the files sent for the given requirement keys and records them on the order, each row
 * before its file. Files for keys the order does not ask for are ignored. Every key written is
 * pushed to `written` as it is, so the caller can remove them if the transaction fails. Returns
 * field errors and the keys of the files the new ones replaced: delete those once the transaction
 * has committed (`discardFiles`).
 */
async function storeUploads(
  db: TenantDb,
  tenantId: string,
  orderId: string,
  requirementKeys: readonly string[],
  files: readonly ReceivedFile[],
  written: string[],
): Promise<{ errors: Record<string, string[]>; replacedKeys: string[] }> {
  const errors: Record<string, string[]> = {};
  const replacedKeys: string[] = [];
  for (const file of files) {
    if (!requirementKeys.includes(file.field)) continue;
    if (!file.bytes) {
      errors[file.field] = [file.problem ?? MESSAGES.type];
      continue;
    }
    if (textProblem(file.filename)) {
      errors[file.field] = [MESSAGES.name];
      continue;
    }
    const contentType = sniffContentType(file.bytes);
    if (!contentType) {
      errors[file.field] = [MESSAGES.type];
      continue;
    }
    const key = fileKey(tenantId, UPLOADS, file.filename || "document");
    const previous = await db
      .selectFrom("uploads")
      .select("file_key")
      .where("order_id", "=", orderId)
      .where("requirement", "=", file.field)
      .executeTakeFirst();
    const values = {
      file_key: key,
      // Cut by code points: half a surrogate pair would not be text.
      filename: Array.from(file.filename).slice(0, FILENAME_MAX).join("") || "document",
      content_type: contentType,
      size_bytes: file.bytes.length,
    };
    await db
      .insertInto("uploads")
      .values({ order_id: orderId, requirement: file.field, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "order_id", "requirement"]).doUpdateSet({ ...values, created_at: new Date() }))
      .execute();
    await fileStore().put(key, file.bytes, { contentType });
    written.push(key);
    if (previous) replacedKeys.push(previous.file_key);
  }
  return { errors, replacedKeys };
}

type SaveResult = { ok: true } | { ok: false; errors: Record<string, string[]> };

/**
 * One tenant transaction that stores the uploaded documents (`storeUploads`) and then saves the
 * rest of the form (`save`, null when the form did not validate: good files are kept all the same,
 * so they need not be chosen again). Returns every field error, the documents' included. After a
 * commit the files the new ones replaced are deleted; after a failure the files this transaction
 * wrote are, and the error goes on.
 */
export async function saveWithUploads(
  tenantId: string,
  orderId: string,
  requirementKeys: readonly string[],
  files: readonly ReceivedFile[],
  save: ((db: TenantDb) => Promise<SaveResult>) | null,
): Promise<Record<string, string[]>> {
  const written: string[] = [];
  let replaced: string[] = [];
  let errors: Record<string, string[]>;
  try {
    errors = await withTenant(tenantId, async (db) => {
      const uploads = await storeUploads(db, tenantId, orderId, requirementKeys, files, written);
      replaced = uploads.replacedKeys;
      const saved = save ? await save(db) : { ok: true as const };
      return { ...(saved.ok ? {} : saved.errors), ...uploads.errors };
    });
  } catch (error) {
    await discardFiles(written);
    throw error;
  }
  await discardFiles(replaced);
  return errors;
}

/** Best effort: a file left behind costs storage, never correctness. */
async function discardFiles(keys: readonly string[]): Promise<void> {
  await Promise.all(
    keys.map((key) =>
      fileStore()
        .delete(key)
        .catch(() => undefined),
    ),
  );
}
