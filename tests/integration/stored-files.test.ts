import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { crontab, taskList } from "~/jobs";
import { saveWithUploads } from "~/modules/checkout/uploads.server";
import { kindKey, STORED_FILE_KINDS } from "~/modules/files/kinds";
import { fileKey, fileStore } from "~/modules/files/storage.server";
import { ORPHAN_GRACE_MS, sweepOrphanFiles } from "~/modules/files/sweep.server";
import { createUser, ownerDb } from "../support/db";
import { textOf } from "./accounts-support";
import {
  createCheckoutTenant,
  customerWithCart,
  GOOD_KE_DETAILS,
  logbookField,
  PDF,
  postMultipart,
  startCheckout,
  type CheckoutTenant,
} from "./checkout-support";
import { insertAgent } from "./commissions-support";
import { fakePdf, insertPolicy } from "./customer-policies-fixtures";

/**
 * A stored file always has a row pointing to it: an upload is written only once its row can be,
 * and removed again if its transaction fails; what a crash could still leave behind is swept by a
 * daily job that knows every kind of stored file and never touches one a row or a queued email
 * points to, nor one younger than a day (an upload in flight).
 */

let tenant: CheckoutTenant;

beforeAll(async () => {
  tenant = await createCheckoutTenant("KE");
});

async function keysOf(tenantId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const file of fileStore().list(`${tenantId}/`)) keys.push(file.key);
  return keys.sort();
}

const details = (orderId: string) => `/checkout/${orderId}/details`;

describe("a checkout document that cannot be recorded", () => {
  it("with a NUL in its file name is refused by its field, and nothing is stored", async () => {
    const { browser } = await customerWithCart(tenant, ["motor-comprehensive"]);
    const { orderId } = await startCheckout(browser);
    const field = await logbookField(orderId);
    const before = await keysOf(tenant.id);
    const res = await postMultipart(browser, details(orderId), GOOD_KE_DETAILS, [
      { name: field, filename: "log\u0000book.pdf", type: "application/pdf", content: PDF },
    ]);
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("The file's name has control characters in it.");
    expect(await ownerDb().selectFrom("uploads").select("id").where("order_id", "=", orderId).execute()).toEqual([]);
    expect(await keysOf(tenant.id)).toEqual(before);
  });

  it("whose transaction fails after the file was written leaves no file behind", async () => {
    const { browser } = await customerWithCart(tenant, ["motor-comprehensive"]);
    const { orderId } = await startCheckout(browser);
    const field = await logbookField(orderId);
    const before = await keysOf(tenant.id);
    const failed = saveWithUploads(tenant.id, orderId, [field], [{ field, filename: "logbook.pdf", bytes: PDF }], async (db) => {
      // The row and the file are written; then the rest of the form fails.
      expect(await db.selectFrom("uploads").select("file_key").where("order_id", "=", orderId).execute()).toHaveLength(1);
      expect((await keysOf(tenant.id)).length).toBe(before.length + 1);
      throw new Error("saving the details failed");
    });
    await expect(failed).rejects.toThrow("saving the details failed");
    expect(await ownerDb().selectFrom("uploads").select("id").where("order_id", "=", orderId).execute()).toEqual([]);
    expect(await keysOf(tenant.id)).toEqual(before);
  });
});

describe("the orphan sweep", () => {
  it("knows every column that names a stored file", async () => {
    const columns = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and column_name like '%file_key%'
      order by table_name, column_name
    `.execute(ownerDb());
    const known = Object.values(STORED_FILE_KINDS).map((k) => `${k.table}.${k.column}`);
    expect(columns.rows.map((r) => `${r.table_name}.${r.column_name}`).sort()).toEqual([...known].sort());
  });

  it("runs daily for every tenant", () => {
    expect(crontab).toMatch(/^\S+ \S+ \* \* \* sweep_orphan_files \?id=sweep_orphan_files$/m);
    const tasks = taskList();
    expect(tasks.sweep_orphan_files).toBeTypeOf("function");
    expect(tasks.sweep_orphan_files_tenant).toBeTypeOf("function");
  });

  it("removes old files of every kind that nothing points to, and keeps the rest", async () => {
    const store = fileStore();
    const put = async (key: string) => {
      await store.put(key, fakePdf(key), { contentType: "application/pdf" });
      return key;
    };
    const user = await createUser(tenant.id);
    // Referenced: a policy's certificate and its receipt (rows written with them) …
    const policy = await insertPolicy(tenant.id, user.id);
    // … a checkout document …
    const upload = await put(fileKey(tenant.id, "kyc", "logbook.pdf"));
    await withTenant(tenant.id, (db) =>
      db
        .insertInto("uploads")
        .values({
          order_id: policy.orderId,
          requirement: "logbook:x",
          file_key: upload,
          filename: "logbook.pdf",
          content_type: "application/pdf",
          size_bytes: 10,
        })
        .execute(),
    );
    // … an agent's statement …
    const agentId = await insertAgent(tenant.id, null);
    const statement = await put(kindKey(tenant.id, "statements", `2026-05/${agentId}.pdf`));
    await withTenant(tenant.id, async (db) => {
      await db
        .insertInto("commission_months")
        .values({
          month: "2026-05-01",
          closed_at: new Date(),
          closed_by: null,
          entries_count: 1,
          agents_count: 1,
          total_minor: 100,
          currency: "KES",
        })
        .execute();
      await db
        .insertInto("commission_statements")
        .values({ month: "2026-05-01", agent_id: agentId, earned_minor: 100, payable_minor: 100, entries_count: 1, file_key: statement })
        .execute();
    });
    // … and a receipt only a queued email still points to.
    const attached = await put(kindKey(tenant.id, "receipts", "queued-only.pdf"));
    await withTenant(tenant.id, (db) =>
      db
        .insertInto("messages")
        .values({
          template: "receipt",
          recipient: user.email,
          subject: "Your receipt",
          body_text: "Attached.",
          status: "queued",
          attachments: JSON.stringify([{ filename: "receipt.pdf", fileKey: attached, contentType: "application/pdf" }]),
        })
        .execute(),
    );
    const referenced = [policy.certificateKey!, policy.receiptKey!, upload, statement, attached];

    // Orphans of every kind, a file of a kind the sweep does not know, and another tenant's orphan.
    const orphans = [
      await put(fileKey(tenant.id, "kyc", "orphan.pdf")),
      await put(kindKey(tenant.id, "certificates", "orphan.pdf")),
      await put(kindKey(tenant.id, "receipts", "orphan.pdf")),
      await put(kindKey(tenant.id, "statements", "2026-05/orphan.pdf")),
    ];
    const unknown = await put(fileKey(tenant.id, "mystery", "keep-me.pdf"));
    const other = await createCheckoutTenant("KE");
    const otherOrphan = await put(fileKey(other.id, "kyc", "orphan.pdf"));

    // Within the grace period nothing goes: an upload may be in flight.
    const young = await sweepOrphanFiles(tenant.id);
    expect(young.deleted).toEqual([]);

    const later = new Date(Date.now() + ORPHAN_GRACE_MS + 60_000);
    const swept = await sweepOrphanFiles(tenant.id, { now: later });
    expect([...swept.deleted].sort()).toEqual([...orphans].sort());
    expect(swept.unknown).toBe(1);
    const left = await keysOf(tenant.id);
    for (const key of [...referenced, unknown]) expect(left, key).toContain(key);
    for (const key of orphans) expect(left).not.toContain(key);
    expect(await keysOf(other.id)).toContain(otherOrphan);

    // A second run finds nothing more to do.
    expect((await sweepOrphanFiles(tenant.id, { now: later })).deleted).toEqual([]);
  });
});
