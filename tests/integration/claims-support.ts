import http from "node:http";
import { randomBytes } from "node:crypto";
import { withTenant } from "~db/client";
import type { ProductClaimRules } from "~db/schema";
import { ownerDb } from "../support/db";
import type { Browser, HttpResponse } from "../support/http";
import { textOf } from "./accounts-support";

/**
 * Fixtures for the claimant's claims tests (not a test file itself): files as phones and scanners
 * make them (and an .exe that pretends), a multipart POST as a browser sends it, and the claim
 * wizard walked through its pages.
 */

export const files = {
  pdf: (label = "police abstract") =>
    Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from(`% ${label}\n`), randomBytes(200), Buffer.from("\n%%EOF\n")]),
  jpeg: () =>
    Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from("JFIF\0"), randomBytes(300), Buffer.from([0xff, 0xd9])]),
  png: () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]),
  heic: () =>
    Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from("ftypheic"),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from("mif1heic"),
      randomBytes(100),
    ]),
  /** A Windows program, whatever its name says. */
  exe: () => Buffer.concat([Buffer.from("MZ"), Buffer.alloc(58), Buffer.from("This program cannot be run in DOS mode."), randomBytes(100)]),
};

export interface UploadPart {
  field: string;
  filename: string;
  body: Buffer;
  contentType?: string;
}

/** A multipart/form-data POST from this browser's own page (text fields, then files). */
export async function postMultipart(
  browser: Browser,
  path: string,
  fields: Record<string, string>,
  parts: UploadPart[],
  headers: Record<string, string> = {},
): Promise<HttpResponse> {
  const boundary = `----covera${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const part of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"; filename="${part.filename}"\r\n` +
          `Content-Type: ${part.contentType ?? "application/pdf"}\r\n\r\n`,
      ),
      part.body,
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(chunks);
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: browser.port,
        method: "POST",
        path,
        headers: {
          host: `${browser.host}:${browser.port}`,
          origin: browser.origin,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": body.length,
          ...(cookie ? { cookie } : {}),
          ...headers,
        },
      },
      (res) => {
        const out: Buffer[] = [];
        res.on("data", (c: Buffer) => out.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(out).toString("utf8"),
            location: res.headers.location,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export async function setClaimRules(tenantId: string, productSlug: string, rules: ProductClaimRules, waitingPeriodDays?: number) {
  await withTenant(tenantId, (db) =>
    db
      .updateTable("products")
      .set({ claim_rules: JSON.stringify(rules), ...(waitingPeriodDays === undefined ? {} : { waiting_period_days: waitingPeriodDays }) })
      .where("slug", "=", productSlug)
      .execute(),
  );
}

export async function setGraceCover(tenantId: string, days: number, appealDays = 30) {
  await withTenant(tenantId, (db) =>
    db
      .insertInto("claim_settings")
      .values({ grace_cover_days: days, appeal_days: appealDays })
      .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ grace_cover_days: days, appeal_days: appealDays }))
      .execute(),
  );
}

export function daysAgo(days: number, from = new Date()): string {
  return new Date(from.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

export function expectRedirect(res: HttpResponse, pattern: RegExp): RegExpExecArray {
  const match = pattern.exec(res.location ?? "");
  if (res.status !== 302 || !match)
    throw new Error(`Expected a redirect to ${pattern}, got ${res.status} ${res.location}: ${textOf(res.text).slice(0, 800)}`);
  return match;
}

/** The wizard walked through its pages as a browser without JavaScript does; returns the draft id. */
export async function wizardUpTo(
  browser: Browser,
  policyId: string,
  step: "incident" | "amount" | "documents",
  answers: { claimType?: string; incidentDate?: string; amount?: string; currency?: string; facilityId?: string } = {},
): Promise<string> {
  const start = await browser.post("/account/claims/new", { policyId });
  const draftId = expectRedirect(start, /^\/account\/claims\/new\/([0-9a-f-]{36})\/incident$/)[1]!;
  if (step === "incident") return draftId;
  const incident = await browser.post(`/account/claims/new/${draftId}/incident`, {
    claimType: answers.claimType ?? "accident",
    incidentDate: answers.incidentDate ?? daysAgo(2),
    incidentPlace: "Waiyaki Way, Westlands, Nairobi",
    description: "A matatu hit the back of my car at the traffic lights.",
  });
  expectRedirect(incident, /\/amount$/);
  if (step === "amount") return draftId;
  const amount = await browser.post(`/account/claims/new/${draftId}/amount`, {
    amount: answers.amount ?? "85,000",
    currency: answers.currency ?? "KES",
    facilityId: answers.facilityId ?? "none",
  });
  expectRedirect(amount, /\/documents$/);
  return draftId;
}

/** Files a claim through the wizard's last step; returns its id. */
export async function submitDraft(browser: Browser, draftId: string): Promise<string> {
  const res = await browser.post(`/account/claims/new/${draftId}/review`, {});
  return expectRedirect(res, /\/claims\/([0-9a-f-]{36})\?done=filed$/)[1]!;
}

export async function claimRow(claimId: string) {
  return ownerDb().selectFrom("claims").selectAll().where("id", "=", claimId).executeTakeFirstOrThrow();
}

export async function claimCount(tenantId: string): Promise<number> {
  const row = await ownerDb()
    .selectFrom("claims")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("tenant_id", "=", tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function workflowStage(claimId: string) {
  return ownerDb()
    .selectFrom("workflow_instances")
    .select(["current_stage", "status"])
    .where("subject", "=", "claim")
    .where("subject_id", "=", claimId)
    .executeTakeFirst();
}
