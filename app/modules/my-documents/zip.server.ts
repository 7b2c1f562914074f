import { Zip, ZipDeflate, ZipPassThrough } from "fflate";
import { withTenant } from "~db/client";
import { fileStore, type FileStore } from "~/modules/files/storage.server";
import { DOCUMENT_GROUPS } from "./kinds";
import { myDocumentsBatch, type DocumentFilters } from "./list.server";

/**
 * ZIP archives of a customer's documents, written as they are read: one stored file in memory at
 * a time, so "Download all" of a long history never holds the whole archive (fflate's streaming
 * `Zip`; README "Dependency notes").
 */

export interface ZipEntry {
  /** The path inside the archive (`Receipts/Receipt-BWM-RCT-2026-000001.pdf`). */
  name: string;
  body: Uint8Array;
  /** Deflate it (text, JSON); PDFs and photos are compressed already and are stored as they are. */
  compress?: boolean;
  modifiedAt?: Date;
}

/** The archive of `entries` as a byte stream, pulling the next entry only when the reader wants more. */
export function zipStream(entries: AsyncIterable<ZipEntry>): ReadableStream<Uint8Array> {
  const iterator = entries[Symbol.asyncIterator]();
  let zip: Zip;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (error) return controller.error(error);
        if (chunk.length) controller.enqueue(chunk);
        if (final) controller.close();
      });
    },
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) return zip.end();
        addEntry(zip, next.value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      zip.terminate();
      await iterator.return?.();
    },
  });
}

/** The whole archive in memory: for the data export, which the file store takes as one body. */
export async function zipBuffer(entries: AsyncIterable<ZipEntry>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = zipStream(entries).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

// DOS timestamps start in 1980; fflate refuses earlier ones.
const EARLIEST = new Date("1980-01-02T00:00:00Z");

function addEntry(zip: Zip, entry: ZipEntry) {
  const file = entry.compress ? new ZipDeflate(entry.name, { level: 6 }) : new ZipPassThrough(entry.name);
  file.mtime = entry.modifiedAt && entry.modifiedAt > EARLIEST ? entry.modifiedAt : new Date();
  zip.add(file);
  file.push(entry.body, true);
}

/**
 * The person's documents as archive entries (`<Group>/<filename>`), read batch by batch and file
 * by file. A document whose file is not in the store (a certificate still being drawn) is left out.
 */
export async function* documentEntries(
  tenantId: string,
  userId: string,
  filters: DocumentFilters = {},
  options: { files?: FileStore; prefix?: string } = {},
): AsyncGenerator<ZipEntry> {
  const files = options.files ?? fileStore();
  const names = new UniqueNames();
  let before: string | undefined;
  for (;;) {
    const batch = await withTenant(tenantId, (db) => myDocumentsBatch(db, userId, filters, before));
    for (const doc of batch) {
      const file = await files.get(doc.fileKey);
      if (!file) continue;
      const name = names.take(`${options.prefix ?? ""}${DOCUMENT_GROUPS[doc.group].folder}/${doc.filename}`);
      yield { name, body: file.body, modifiedAt: doc.createdAt };
    }
    if (batch.length === 0) return;
    before = batch[batch.length - 1]!.sortKey;
  }
}

/** Two documents with the same filename both go in: the second as `name (2).pdf`. */
class UniqueNames {
  private taken = new Set<string>();
  take(name: string): string {
    let candidate = name;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n += 1) {
      const dot = name.lastIndexOf(".");
      candidate = dot > name.lastIndexOf("/") + 1 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
    }
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}
