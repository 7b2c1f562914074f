import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  assertValidKey,
  fileKey,
  fileStoreFromEnv,
  filenameOfKey,
  FileStoreError,
  LocalFileStore,
  S3FileStore,
  safeFilename,
  tenantOfKey,
} from "./storage.server";

const TENANT = "5d4c3b2a-0000-4000-8000-000000000001";

describe("fileKey", () => {
  it("is tenant/purpose/yyyy/mm/<uuid>-<safe filename>", () => {
    const key = fileKey(TENANT, "claims", "Photo of damage (front).JPG", new Date("2026-03-09T23:30:00Z"));
    expect(key).toMatch(new RegExp(`^${TENANT}/claims/2026/03/[0-9a-f-]{36}-Photo_of_damage_front_.JPG$`));
    expect(tenantOfKey(key)).toBe(TENANT);
    expect(filenameOfKey(key)).toBe("Photo_of_damage_front_.JPG");
    expect(() => assertValidKey(key)).not.toThrow();
    expect(fileKey(TENANT, "kyc", "a.pdf")).not.toBe(fileKey(TENANT, "kyc", "a.pdf"));
  });

  it("sanitises filenames: path parts, accents, odd characters, leading dots, length", () => {
    expect(safeFilename("../../etc/passwd")).toBe("passwd");
    expect(safeFilename("C:\\Users\\amina\\Kéniá ID.pdf")).toBe("Kenia_ID.pdf");
    expect(safeFilename(".htaccess")).toBe("htaccess");
    expect(safeFilename("a\u0000b<script>.pdf")).toBe("a_b_script_.pdf");
    expect(safeFilename("…")).toBe("file");
    expect(safeFilename("")).toBe("file");
    const long = safeFilename(`${"x".repeat(300)}.pdf`);
    expect(long).toHaveLength(100);
    expect(long.endsWith(".pdf")).toBe(true);
  });

  it("refuses bad tenants and purposes", () => {
    expect(() => fileKey("../x", "claims", "a.pdf")).toThrow(FileStoreError);
    expect(() => fileKey(TENANT, "Claims/../..", "a.pdf")).toThrow(FileStoreError);
  });
});

describe("LocalFileStore", () => {
  let root: string;
  let store: LocalFileStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "covera-files-"));
    store = new LocalFileStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("round-trips a file with its content type, under <root>/<tenantId>/…", async () => {
    const key = fileKey(TENANT, "claims", "report.pdf");
    const body = Buffer.from("%PDF-1.7 pretend");
    await store.put(key, body, { contentType: "application/pdf" });
    expect(await store.get(key)).toEqual({ body, contentType: "application/pdf" });
    expect(await readFile(path.join(root, ...key.split("/")))).toEqual(body);
    expect((await readdir(root)).sort()).toEqual([TENANT]);
  });

  it("answers null for a missing file, and delete is idempotent", async () => {
    const key = fileKey(TENANT, "claims", "gone.png");
    expect(await store.get(key)).toBeNull();
    await store.put(key, Buffer.from([1, 2, 3]), { contentType: "image/png" });
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    await expect(store.delete(key)).resolves.toBeUndefined();
    // The sidecar went too: only the (empty) directory is left.
    expect(await readdir(path.dirname(path.join(root, key)))).toEqual([]);
  });

  it("lists the files under a prefix with their times, never its own sidecars or temp files", async () => {
    const keys = [fileKey(TENANT, "kyc", "a.pdf"), fileKey(TENANT, "certificates", "b.pdf")];
    for (const key of keys) await store.put(key, Buffer.from("x"), { contentType: "application/pdf" });
    await store.put(fileKey("other-tenant", "kyc", "c.pdf"), Buffer.from("x"), { contentType: "application/pdf" });
    const listed = [];
    for await (const file of store.list(`${TENANT}/`)) listed.push(file);
    expect(listed.map((f) => f.key).sort()).toEqual([...keys].sort());
    expect(listed.every((f) => f.lastModified instanceof Date && !Number.isNaN(f.lastModified.getTime()))).toBe(true);
    const nothing = [];
    for await (const file of store.list("no-such-tenant/")) nothing.push(file);
    expect(nothing).toEqual([]);
  });

  it("derives the content type from the extension when the sidecar is missing", async () => {
    const key = fileKey(TENANT, "claims", "photo.jpeg");
    await store.put(key, Buffer.from("jpeg"), { contentType: "image/jpeg" });
    const file = path.join(root, key);
    await rm(path.join(path.dirname(file), `.${path.basename(file)}.meta.json`));
    expect((await store.get(key))?.contentType).toBe("image/jpeg");
  });

  it.each([
    ["parent segments", `${TENANT}/../../etc/passwd`],
    ["a leading ..", "../outside.txt"],
    ["an absolute path", "/etc/passwd"],
    ["a Windows absolute path", "C:/Windows/win.ini"],
    ["backslashes", `${TENANT}\\..\\..\\x`],
    ["a NUL byte", `${TENANT}/claims/a.pdf\u0000.png`],
    ["an empty segment", `${TENANT}//a.pdf`],
    ["a dot segment", `${TENANT}/./a.pdf`],
    ["a hidden segment (the store's own sidecars)", `${TENANT}/claims/.a.pdf.meta.json`],
    ["an empty key", ""],
  ])("refuses keys with %s", async (_what, key) => {
    await expect(store.put(key, Buffer.from("x"), { contentType: "text/plain" })).rejects.toMatchObject({ code: "invalid_key" });
    await expect(store.get(key)).rejects.toBeInstanceOf(FileStoreError);
    await expect(store.delete(key)).rejects.toBeInstanceOf(FileStoreError);
  });

  it("overwrites atomically: readers see the old or the new body whole, and no temp files stay", async () => {
    const key = fileKey(TENANT, "documents", "certificate.pdf");
    const first = Buffer.alloc(2 * 1024 * 1024, "a");
    const second = Buffer.alloc(3 * 1024 * 1024, "b");
    await store.put(key, first, { contentType: "application/pdf" });
    const reads: Promise<unknown>[] = [];
    const writes = [store.put(key, second, { contentType: "application/pdf" }), store.put(key, first, { contentType: "application/pdf" })];
    for (let i = 0; i < 20; i++) reads.push(store.get(key));
    await Promise.all(writes);
    for (const read of await Promise.all(reads)) {
      const body = (read as { body: Buffer }).body;
      expect(body.equals(first) || body.equals(second)).toBe(true);
    }
    const final = await store.get(key);
    expect(final?.body.equals(first) || final?.body.equals(second)).toBe(true);
    const dir = path.dirname(path.join(root, key));
    expect((await readdir(dir)).sort()).toEqual([path.basename(key), `.${path.basename(key)}.meta.json`].sort());
  });

  it("leaves the previous file intact when a write fails", async () => {
    const key = fileKey(TENANT, "documents", "keep.txt");
    await store.put(key, Buffer.from("old"), { contentType: "text/plain" });
    // A non-Buffer body makes writeFile fail after the temp name is chosen.
    await expect(store.put(key, 42 as unknown as Buffer, { contentType: "text/plain" })).rejects.toThrow();
    expect((await store.get(key))?.body.toString()).toBe("old");
    expect(await readdir(path.dirname(path.join(root, key)))).toHaveLength(2);
    expect((await stat(path.join(root, key))).isFile()).toBe(true);
  });
});

describe("fileStoreFromEnv", () => {
  it("is the local disk under FILES_DIR (default .data/files) without a bucket", () => {
    const store = fileStoreFromEnv({ NODE_ENV: "test" });
    expect(store).toBeInstanceOf(LocalFileStore);
    expect((store as LocalFileStore).rootDir).toBe(path.resolve(".data/files"));
    expect((fileStoreFromEnv({ NODE_ENV: "development", FILES_DIR: "/tmp/x" }) as LocalFileStore).rootDir).toBe("/tmp/x");
  });

  it("is S3 when S3_BUCKET and credentials are set", () => {
    const store = fileStoreFromEnv({
      NODE_ENV: "production",
      S3_BUCKET: "covera-files",
      S3_REGION: "auto",
      S3_ENDPOINT: "https://acc.r2.cloudflarestorage.com",
      S3_ACCESS_KEY_ID: "AKIAEXAMPLE",
      S3_SECRET_ACCESS_KEY: "secret",
    });
    expect(store).toBeInstanceOf(S3FileStore);
    expect((store as S3FileStore).objectUrl(`${TENANT}/a/2026/01/x.pdf`)).toBe(
      `https://covera-files.acc.r2.cloudflarestorage.com/${TENANT}/a/2026/01/x.pdf`,
    );
  });

  it("refuses half a configuration, and local disk in production", () => {
    expect(() => fileStoreFromEnv({ NODE_ENV: "test", S3_BUCKET: "b" })).toThrow(/S3_ACCESS_KEY_ID.*\n.*S3_SECRET_ACCESS_KEY/);
    expect(() => fileStoreFromEnv({ NODE_ENV: "production" })).toThrow(/S3_BUCKET is required in production/);
  });
});
