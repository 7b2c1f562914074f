import { createHash } from "node:crypto";
import { AwsV4Signer } from "aws4fetch";
import { http, HttpResponse } from "msw";

/**
 * An S3-compatible object store, path-style (`<endpoint>/<bucket>/<key>`) or virtual-hosted
 * (`<bucket>.<endpoint host>/<key>`): PutObject, GetObject, DeleteObject and ListObjectsV2 (pages of
 * `pageSize`, with continuation tokens), in memory.
 *
 * Like S3 it refuses (403) a request without an `AWS4-HMAC-SHA256` authorization for the configured
 * access key, without `x-amz-content-sha256`, whose payload does not match that hash, or whose
 * signature does not match one recomputed from the request with the secret key. Missing objects
 * answer 404 NoSuchKey.
 */
export interface S3MockOptions {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  style?: "path" | "virtual";
  /** Answer every request with this status (e.g. 500 to exercise retries and errors). */
  failWith?: number;
  /** Keys per ListObjectsV2 page (S3: 1,000). */
  pageSize?: number;
}

export interface S3MockRequest {
  method: string;
  key: string;
  authorization: string | null;
  contentSha256: string | null;
  status: number;
}

export function createS3Mock(options: S3MockOptions) {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  /** When each object was last written (a test may set an older time to make a file old). */
  const modified = new Map<string, Date>();
  const requests: S3MockRequest[] = [];
  const endpoint = new URL(options.endpoint);
  const style = options.style ?? "path";
  const origin = style === "path" ? endpoint.origin : `${endpoint.protocol}//${options.bucket}.${endpoint.host}`;
  const prefix = style === "path" ? `/${options.bucket}/` : "/";
  const pattern = `${origin}${prefix}*`;

  async function handle({ request }: { request: Request }) {
    const url = new URL(request.url);
    const key = url.pathname.slice(prefix.length).split("/").map(decodeURIComponent).join("/");
    const body = request.method === "PUT" ? Buffer.from(await request.arrayBuffer()) : Buffer.alloc(0);
    const record: S3MockRequest = {
      method: request.method,
      key,
      authorization: request.headers.get("authorization"),
      contentSha256: request.headers.get("x-amz-content-sha256"),
      status: 0,
    };
    requests.push(record);
    const answer = (response: Response) => {
      record.status = response.status;
      return response;
    };

    if (options.failWith) return answer(s3Error(options.failWith, "InternalError", "We encountered an internal error."));
    const denied = await checkSignature(request, body, options);
    if (denied) return answer(s3Error(403, denied.code, denied.message));

    if (request.method === "GET" && key === "" && url.searchParams.get("list-type") === "2") return answer(list(url));
    switch (request.method) {
      case "PUT":
        modified.set(key, new Date());
        objects.set(key, { body, contentType: request.headers.get("content-type") ?? "binary/octet-stream" });
        return answer(new HttpResponse(null, { status: 200, headers: { etag: `"${createHash("md5").update(body).digest("hex")}"` } }));
      case "GET": {
        const object = objects.get(key);
        if (!object) return answer(s3Error(404, "NoSuchKey", "The specified key does not exist."));
        return answer(
          new HttpResponse(object.body, {
            status: 200,
            headers: { "content-type": object.contentType, "content-length": String(object.body.length) },
          }),
        );
      }
      case "DELETE":
        objects.delete(key);
        modified.delete(key);
        return answer(new HttpResponse(null, { status: 204 }));
      default:
        return answer(s3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource."));
    }
  }

  function list(url: URL): Response {
    const prefix = url.searchParams.get("prefix") ?? "";
    const after = url.searchParams.get("continuation-token") ?? "";
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = keys.slice(0, options.pageSize ?? 1000);
    const truncated = keys.length > page.length;
    const contents = page
      .map(
        (k) =>
          `<Contents><Key>${k.replace(/&/g, "&amp;")}</Key><LastModified>${(modified.get(k) ?? new Date()).toISOString()}</LastModified></Contents>`,
      )
      .join("");
    const next = truncated ? `<NextContinuationToken>${page[page.length - 1]}</NextContinuationToken>` : "";
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Prefix>${prefix}</Prefix><KeyCount>${page.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`;
    return new HttpResponse(xml, { status: 200, headers: { "content-type": "application/xml" } });
  }

  return {
    objects,
    modified,
    requests,
    handlers: [http.put(pattern, handle), http.get(pattern, handle), http.delete(pattern, handle)],
  };
}

async function checkSignature(request: Request, body: Buffer, options: S3MockOptions): Promise<{ code: string; message: string } | null> {
  const authorization = request.headers.get("authorization") ?? "";
  if (!authorization.startsWith("AWS4-HMAC-SHA256 ")) return { code: "AccessDenied", message: "Missing AWS4-HMAC-SHA256 authorization." };
  const contentSha256 = request.headers.get("x-amz-content-sha256");
  if (!contentSha256) return { code: "InvalidRequest", message: "Missing required header for this request: x-amz-content-sha256." };
  if (contentSha256 !== "UNSIGNED-PAYLOAD" && contentSha256 !== createHash("sha256").update(body).digest("hex")) {
    return { code: "XAmzContentSHA256Mismatch", message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
  }
  const credential = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request/.exec(authorization);
  if (!credential || credential[1] !== options.accessKeyId)
    return { code: "InvalidAccessKeyId", message: "The access key does not exist." };
  if (credential[3] !== options.region) return { code: "AuthorizationHeaderMalformed", message: "The region is wrong." };
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(";") ?? [];
  const datetime = request.headers.get("x-amz-date");
  if (!datetime) return { code: "AccessDenied", message: "Missing x-amz-date." };

  // Recompute the signature over the headers the client says it signed.
  const headers = new Headers();
  for (const name of signedHeaders) {
    if (name === "host") continue;
    const value = request.headers.get(name);
    if (value === null) return { code: "AccessDenied", message: `Signed header ${name} is missing.` };
    headers.set(name, value);
  }
  const signer = new AwsV4Signer({
    method: request.method,
    url: request.url,
    headers,
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    service: "s3",
    region: options.region,
    datetime,
    allHeaders: true,
  });
  const expected = await signer.authHeader();
  if (expected !== authorization) {
    return { code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided." };
  }
  return null;
}

function s3Error(status: number, code: string, message: string): Response {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return new HttpResponse(xml, { status, headers: { "content-type": "application/xml" } });
}
