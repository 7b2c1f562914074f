import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { AwsClient } from "aws4fetch";
import { z } from "zod";
import { lineText } from "~/lib/text";

/**
 * Stored files (docs/architecture.md §6): local disk under `./.data/files` in development and tests, any
 * S3-compatible store (AWS S3, Cloudflare R2, MinIO, …) when configured — and always in production,
 * where nothing may assume a single server (§8).
 *
 * Keys are `<tenantId>/<purpose>/<yyyy>/<mm>/<uuid>-<safe filename>` (see `fileKey`). Callers store
 * the key (the `uploads` table) and never build paths or URLs from user input themselves. Downloads go
 * through signed links (signed-links.server.ts), never straight to the store.
 */

export interface StoredFile {
  body: Buffer;
  contentType: string;
}

export interface FileStore {
  /** Writes (or replaces) the object. A reader sees the old or the new body, never a partial one. */
  put(key: string, body: Buffer, options: { contentType: string }): Promise<void>;
  /** The object, or null when there is none. */
  get(key: string): Promise<StoredFile | null>;
  /** Removes the object; removing one that does not exist is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Every object whose key starts with `prefix` (a tenant's `<tenantId>/`), with when it was last
   * written, page by page. For the orphan sweep (sweep.server.ts), never for serving files.
   */
  list(prefix: string): AsyncIterable<ListedFile>;
}

export interface ListedFile {
  key: string;
  lastModified: Date;
}

export type FileStoreErrorCode =
  /** The key is empty, absolute, escapes the root, or has a segment we do not allow. */
  | "invalid_key"
  /** The object store answered with an error (after retries). */
  | "store_error"
  /** The environment does not describe a usable store. */
  | "not_configured";

export class FileStoreError extends Error {
  override readonly name = "FileStoreError";
  constructor(
    readonly code: FileStoreErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const DEFAULT_CONTENT_TYPE = "application/octet-stream";
const MAX_KEY_LENGTH = 512;
const MAX_FILENAME_LENGTH = 100;
const SEGMENT_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const PURPOSE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

// ---------------------------------------------------------------------------------------------
// Keys

/**
 * Keeps letters, digits, dot, dash and underscore of the last path segment of `filename`: accents are
 * dropped ("Kéniá" → "Kenia"), other runs become "_", no leading dots, at most 100 characters with the
 * extension kept. Never empty ("file").
 */
export function safeFilename(filename: string): string {
  const base = filename.split(/[/\\]/).pop() ?? "";
  let name = base
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[._-]+/, "")
    .replace(/[._]+$/, "");
  if (name.length > MAX_FILENAME_LENGTH) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
    name = name.slice(0, MAX_FILENAME_LENGTH - ext.length).replace(/[._-]+$/, "") + ext;
  }
  return name || "file";
}

/**
 * A new key for a file of `tenantId`: `<tenantId>/<purpose>/<yyyy>/<mm>/<uuid>-<safe filename>` (UTC
 * month). `purpose` is a short lower-case slug such as "claims" or "kyc".
 */
export function fileKey(tenantId: string, purpose: string, filename: string, now: Date = new Date()): string {
  if (!TENANT_PATTERN.test(tenantId)) throw new FileStoreError("invalid_key", "The tenant id is not valid in a file key.");
  if (!PURPOSE_PATTERN.test(purpose)) throw new FileStoreError("invalid_key", `The purpose "${purpose}" is not a short lower-case slug.`);
  const yyyy = String(now.getUTCFullYear()).padStart(4, "0");
  const mm = String(now.getUTCMonth() + 1).padStart(2, "0");
  return `${tenantId}/${purpose}/${yyyy}/${mm}/${randomUUID()}-${safeFilename(filename)}`;
}

/** The tenant a key belongs to (its first segment). */
export function tenantOfKey(key: string): string {
  const slash = key.indexOf("/");
  return slash > 0 ? key.slice(0, slash) : "";
}

/** The filename part of a key made by `fileKey` (the last segment without its uuid prefix). */
export function filenameOfKey(key: string): string {
  const last = key.slice(key.lastIndexOf("/") + 1);
  return last.replace(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-/, "") || last;
}

/**
 * Refuses anything that is not a plain relative key: empty, too long, NUL or control characters,
 * backslashes, absolute paths, empty segments, and segments that start with a dot (so `.` and `..`,
 * and the local store's own `.name.meta.json` and `.name.tmp` files, can never be addressed).
 */
export function assertValidKey(key: string): void {
  const fail = (why: string): never => {
    throw new FileStoreError("invalid_key", `Refused file key: ${why}.`);
  };
  if (typeof key !== "string" || key.length === 0) fail("empty");
  if (key.length > MAX_KEY_LENGTH) fail("too long");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) fail("control character");
  if (key.includes("\\")) fail("backslash");
  if (key.startsWith("/") || /^[A-Za-z]:/.test(key)) fail("absolute path");
  for (const segment of key.split("/")) {
    if (segment === "" || segment === "." || segment === "..") fail("empty or relative segment");
    if (!SEGMENT_PATTERN.test(segment)) fail(`segment "${segment}" is not allowed`);
  }
}

// ---------------------------------------------------------------------------------------------
// Local disk

const EXTENSION_TYPES: Record<string, string> = {
  ".pdf": "application/pdf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".json": "application/json",
};

/**
 * Files on the local disk under `rootDir` (development, tests, single-machine demos). The body is at
 * `<root>/<key>`, its content type in a sidecar `<dir>/.<name>.meta.json`; both are written to a temp
 * file beside the target and renamed into place, so a crash or a concurrent reader never sees half a
 * file. (A reader racing an overwrite that also changes the content type may briefly pair the new body
 * with the old type; keys are unique per upload, so overwrites are rare.)
 */
export class LocalFileStore implements FileStore {
  readonly rootDir: string;

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
  }

  async put(key: string, body: Buffer, { contentType }: { contentType: string }): Promise<void> {
    const { file, meta } = this.paths(key);
    await mkdir(path.dirname(file), { recursive: true });
    await atomicWrite(meta, JSON.stringify({ contentType: contentType || DEFAULT_CONTENT_TYPE }));
    await atomicWrite(file, body);
  }

  async get(key: string): Promise<StoredFile | null> {
    const { file, meta } = this.paths(key);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    let contentType: string | undefined;
    try {
      const parsed = JSON.parse(await readFile(meta, "utf8")) as { contentType?: unknown };
      if (typeof parsed.contentType === "string" && parsed.contentType) contentType = parsed.contentType;
    } catch (error) {
      if (!isMissing(error) && !(error instanceof SyntaxError)) throw error;
    }
    return { body, contentType: contentType ?? EXTENSION_TYPES[path.extname(file).toLowerCase()] ?? DEFAULT_CONTENT_TYPE };
  }

  async delete(key: string): Promise<void> {
    const { file, meta } = this.paths(key);
    await rm(file, { force: true });
    await rm(meta, { force: true });
  }

  async *list(prefix: string): AsyncIterable<ListedFile> {
    // The directory the prefix names (or is inside); the store's own dot files are never listed.
    const dir = path.resolve(this.rootDir, prefix.slice(0, prefix.lastIndexOf("/") + 1));
    if (dir !== this.rootDir && !dir.startsWith(`${this.rootDir}${path.sep}`)) return;
    let names: string[];
    try {
      names = (await readdir(dir, { recursive: true })) as string[];
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const name of names.sort()) {
      const file = path.join(dir, name);
      const key = path.relative(this.rootDir, file).split(path.sep).join("/");
      if (!key.startsWith(prefix) || key.split("/").some((segment) => segment.startsWith("."))) continue;
      const info = await stat(file).catch(() => null);
      if (info?.isFile()) yield { key, lastModified: info.mtime };
    }
  }

  private paths(key: string): { file: string; meta: string } {
    assertValidKey(key);
    const file = path.resolve(this.rootDir, key);
    const relative = path.relative(this.rootDir, file);
    // Belt and braces after assertValidKey: the resolved path must stay strictly inside the root.
    if (!relative || relative.startsWith("..") || path.isAbsolute(relative)) {
      throw new FileStoreError("invalid_key", "Refused file key: it escapes the storage root.");
    }
    return { file, meta: path.join(path.dirname(file), `.${path.basename(file)}.meta.json`) };
  }
}

async function atomicWrite(target: string, data: Buffer | string): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, data, { flag: "wx" });
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as NodeJS.ErrnoException).code === "ENOENT";
}

// ---------------------------------------------------------------------------------------------
// S3-compatible object store

export interface S3FileStoreOptions {
  /** e.g. "https://s3.eu-west-1.amazonaws.com", "https://<account>.r2.cloudflarestorage.com", "http://minio:9000". Default: AWS for `region`. */
  endpoint?: string;
  /** "us-east-1", "eu-west-1", or "auto" for R2. */
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint host>/<key>` (MinIO, most self-hosted stores). */
  forcePathStyle?: boolean;
  /** Per attempt. Default 15 s. */
  timeoutMs?: number;
  /** Retries on 5xx and 429, with jittered backoff. Default 2. */
  retries?: number;
}

/**
 * The S3 REST API (PutObject, GetObject, DeleteObject) signed with AWS Signature V4 by `aws4fetch`.
 * The payload hash is computed and signed (not UNSIGNED-PAYLOAD), so the store rejects a body that
 * changed in transit.
 */
export class S3FileStore implements FileStore {
  private readonly client: AwsClient;
  private readonly base: URL;
  private readonly pathStyle: boolean;
  private readonly bucket: string;
  private readonly timeoutMs: number;

  constructor(options: S3FileStoreOptions) {
    if (!options.bucket) throw new FileStoreError("not_configured", "S3FileStore needs a bucket.");
    this.bucket = options.bucket;
    this.pathStyle = options.forcePathStyle ?? false;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.base = new URL(options.endpoint ?? `https://s3.${options.region}.amazonaws.com`);
    this.client = new AwsClient({
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      service: "s3",
      region: options.region,
      retries: options.retries ?? 2,
    });
  }

  /** The object's URL (for diagnostics; downloads go through signed links, never to this URL). */
  objectUrl(key: string): string {
    assertValidKey(key);
    const encodedKey = key.split("/").map(encodeURIComponent).join("/");
    const url = new URL(this.base.toString());
    const basePath = url.pathname.replace(/\/+$/, "");
    if (this.pathStyle) {
      url.pathname = `${basePath}/${encodeURIComponent(this.bucket)}/${encodedKey}`;
    } else {
      url.hostname = `${this.bucket}.${url.hostname}`;
      url.pathname = `${basePath}/${encodedKey}`;
    }
    return url.toString();
  }

  async put(key: string, body: Buffer, { contentType }: { contentType: string }): Promise<void> {
    const res = await this.request("PUT", key, {
      body,
      headers: {
        "content-type": contentType || DEFAULT_CONTENT_TYPE,
        "x-amz-content-sha256": createHash("sha256").update(body).digest("hex"),
      },
    });
    if (!res.ok) throw await storeError("PUT", key, res);
    await drain(res);
  }

  async get(key: string): Promise<StoredFile | null> {
    const res = await this.request("GET", key);
    if (res.status === 404) {
      await drain(res);
      return null;
    }
    if (!res.ok) throw await storeError("GET", key, res);
    const body = Buffer.from(await res.arrayBuffer());
    return { body, contentType: res.headers.get("content-type") || DEFAULT_CONTENT_TYPE };
  }

  async delete(key: string): Promise<void> {
    const res = await this.request("DELETE", key);
    // S3 answers 204 whether or not the object existed; some compatible stores answer 404.
    if (!res.ok && res.status !== 404) throw await storeError("DELETE", key, res);
    await drain(res);
  }

  async *list(prefix: string): AsyncIterable<ListedFile> {
    let token: string | undefined;
    do {
      const url = new URL(this.bucketUrl());
      url.searchParams.set("list-type", "2");
      url.searchParams.set("prefix", prefix);
      if (token) url.searchParams.set("continuation-token", token);
      let res: Response;
      try {
        res = await this.client.fetch(url.toString(), {
          method: "GET",
          headers: { "x-amz-content-sha256": EMPTY_SHA256 },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        throw new FileStoreError("store_error", `Object store LIST failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!res.ok) throw await storeError("LIST", prefix, res);
      const xml = await res.text();
      for (const [, contents] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const key = xmlText(/<Key>([\s\S]*?)<\/Key>/.exec(contents ?? "")?.[1]);
        const modified = /<LastModified>([^<]+)<\/LastModified>/.exec(contents ?? "")?.[1];
        if (key && modified) yield { key, lastModified: new Date(modified) };
      }
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
        ? xmlText(/<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(xml)?.[1])
        : undefined;
    } while (token);
  }

  /** The bucket's own URL (ListObjectsV2 is asked there). */
  private bucketUrl(): string {
    const url = new URL(this.base.toString());
    const basePath = url.pathname.replace(/\/+$/, "");
    if (this.pathStyle) url.pathname = `${basePath}/${encodeURIComponent(this.bucket)}/`;
    else {
      url.hostname = `${this.bucket}.${url.hostname}`;
      url.pathname = `${basePath}/`;
    }
    return url.toString();
  }

  private async request(method: string, key: string, init: { body?: Buffer; headers?: Record<string, string> } = {}): Promise<Response> {
    const url = this.objectUrl(key);
    const headers = { "x-amz-content-sha256": EMPTY_SHA256, ...init.headers };
    try {
      return await this.client.fetch(url, {
        method,
        headers,
        body: init.body as Uint8Array<ArrayBuffer> | undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new FileStoreError("store_error", `Object store ${method} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Reads a small (empty or error) response to the end so the connection goes back to the pool. */
async function drain(res: Response): Promise<void> {
  await res.arrayBuffer().catch(() => undefined);
}

const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");

/** The text of an XML element as S3 escapes it. */
function xmlText(text: string | undefined): string | undefined {
  return text
    ?.replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

async function storeError(method: string, key: string, res: Response): Promise<FileStoreError> {
  const text = await res.text().catch(() => "");
  const code = /<Code>([^<]{1,64})<\/Code>/.exec(text)?.[1];
  return new FileStoreError("store_error", `Object store ${method} ${key} answered ${res.status}${code ? ` ${code}` : ""}.`, res.status);
}

// ---------------------------------------------------------------------------------------------
// From the environment

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const fileEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    // Local disk root when no bucket is configured.
    FILES_DIR: lineText().min(1).default(".data/files"),
    S3_BUCKET: lineText().optional(),
    S3_REGION: lineText().min(1).default("us-east-1"),
    S3_ENDPOINT: lineText().url().optional(),
    S3_ACCESS_KEY_ID: lineText().optional(),
    S3_SECRET_ACCESS_KEY: lineText().optional(),
    S3_FORCE_PATH_STYLE: flag,
  })
  .superRefine((e, ctx) => {
    if (!e.S3_BUCKET) return;
    for (const key of ["S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
      if (!e[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when S3_BUCKET is set" });
    }
  });

/**
 * The store this environment describes: S3 when S3_BUCKET (with S3_ACCESS_KEY_ID and
 * S3_SECRET_ACCESS_KEY) is set, else the local disk under FILES_DIR (default `.data/files`).
 * In production a bucket is required: local files would live on one server only (docs/architecture.md §8).
 */
export function fileStoreFromEnv(source: NodeJS.ProcessEnv = process.env): FileStore {
  const result = fileEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new FileStoreError("not_configured", `The file storage environment is not valid:\n${problems}`);
  }
  const e = result.data;
  if (e.S3_BUCKET) {
    return new S3FileStore({
      endpoint: e.S3_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET,
      accessKeyId: e.S3_ACCESS_KEY_ID ?? "",
      secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? "",
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
    });
  }
  if (e.NODE_ENV === "production") {
    throw new FileStoreError("not_configured", "S3_BUCKET is required in production: local files would live on one server only.");
  }
  return new LocalFileStore(e.FILES_DIR);
}

let cached: FileStore | undefined;

/** The process-wide store from `fileStoreFromEnv()`, built once. */
export function fileStore(): FileStore {
  cached ??= fileStoreFromEnv();
  return cached;
}
