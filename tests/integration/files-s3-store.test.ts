import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fileKey, FileStoreError, S3FileStore, type S3FileStoreOptions } from "~/modules/files/storage.server";
import { createS3Mock, type S3MockOptions } from "../mocks/s3";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const TENANT = "5d4c3b2a-0000-4000-8000-000000000001";
const credentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "eu-west-1",
};

function setup(mockOptions: Partial<S3MockOptions> = {}, storeOptions: Partial<S3FileStoreOptions> = {}) {
  const mock = createS3Mock({ endpoint: "http://s3.local", bucket: "covera-files", ...credentials, ...mockOptions });
  server.use(...mock.handlers);
  const store = new S3FileStore({
    endpoint: "http://s3.local",
    bucket: "covera-files",
    forcePathStyle: true,
    ...credentials,
    ...storeOptions,
  });
  return { mock, store };
}

describe("S3FileStore (path-style, against the S3 mock)", () => {
  it("puts, gets and deletes an object with SigV4 and a signed payload hash", async () => {
    const { mock, store } = setup();
    const key = fileKey(TENANT, "claims", "Damage photo.png");
    const body = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);
    await store.put(key, body, { contentType: "image/png" });
    expect(mock.objects.get(key)).toEqual({ body, contentType: "image/png" });
    expect(await store.get(key)).toEqual({ body, contentType: "image/png" });
    await store.delete(key);
    expect(mock.objects.has(key)).toBe(false);

    expect(mock.requests.map((r) => [r.method, r.key, r.status])).toEqual([
      ["PUT", key, 200],
      ["GET", key, 200],
      ["DELETE", key, 204],
    ]);
    for (const r of mock.requests) {
      expect(r.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=/,
      );
      expect(r.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("answers null for a missing object (404 NoSuchKey); deleting a missing one is fine", async () => {
    const { store } = setup();
    const key = fileKey(TENANT, "claims", "nothing.pdf");
    expect(await store.get(key)).toBeNull();
    await expect(store.delete(key)).resolves.toBeUndefined();
  });

  it("throws a store error when the signature is wrong (wrong secret)", async () => {
    const { store } = setup({}, { secretAccessKey: "not-the-secret" });
    const err = await store
      .put(fileKey(TENANT, "claims", "a.pdf"), Buffer.from("x"), { contentType: "application/pdf" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileStoreError);
    expect(err).toMatchObject({ code: "store_error", status: 403, message: expect.stringContaining("SignatureDoesNotMatch") });
  });

  it("retries 5xx, then throws", async () => {
    const { mock, store } = setup({ failWith: 503 }, { retries: 2 });
    await expect(store.get(fileKey(TENANT, "claims", "a.pdf"))).rejects.toMatchObject({ code: "store_error", status: 503 });
    expect(mock.requests).toHaveLength(3);
  });

  it("lists a tenant's objects page by page (ListObjectsV2), with when each was written", async () => {
    const { mock, store } = setup({ pageSize: 2 });
    const keys = ["a.pdf", "b.pdf", "c.pdf", "d.pdf", "e.pdf"].map((name) => fileKey(TENANT, "kyc", name));
    const other = fileKey("5d4c3b2a-0000-4000-8000-000000000002", "kyc", "a.pdf");
    for (const key of [...keys, other]) await store.put(key, Buffer.from("x"), { contentType: "application/pdf" });
    mock.modified.set(keys[0]!, new Date("2026-01-02T03:04:05.000Z"));
    const listed = [];
    for await (const file of store.list(`${TENANT}/`)) listed.push(file);
    expect(listed.map((f) => f.key)).toEqual([...keys].sort());
    expect(listed.find((f) => f.key === keys[0])?.lastModified).toEqual(new Date("2026-01-02T03:04:05.000Z"));
    expect(mock.requests.filter((r) => r.method === "GET").map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it("refuses unsafe keys before any request", async () => {
    const { mock, store } = setup();
    await expect(store.get(`${TENANT}/../other/x.pdf`)).rejects.toMatchObject({ code: "invalid_key" });
    await expect(store.put("/abs", Buffer.from("x"), { contentType: "text/plain" })).rejects.toMatchObject({ code: "invalid_key" });
    expect(mock.requests).toHaveLength(0);
  });
});

describe("S3FileStore (virtual-hosted)", () => {
  it("addresses <bucket>.<endpoint host>/<key>", async () => {
    const { mock, store } = setup({ style: "virtual" }, { forcePathStyle: false });
    const key = fileKey(TENANT, "kyc", "id.jpg");
    await store.put(key, Buffer.from("jpeg"), { contentType: "image/jpeg" });
    expect(store.objectUrl(key)).toBe(`http://covera-files.s3.local/${key}`);
    expect((await store.get(key))?.body.toString()).toBe("jpeg");
    const listed = [];
    for await (const file of store.list(`${TENANT}/`)) listed.push(file.key);
    expect(listed).toEqual([key]);
    expect(mock.requests.every((r) => r.status < 300)).toBe(true);
  });
});
