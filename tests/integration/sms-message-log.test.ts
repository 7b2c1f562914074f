import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { queueMessage } from "~/modules/notifications/queue.server";
import { createTenant, createUser } from "../support/db";
import { hostOf, signIn, textOf } from "./accounts-support";

/** The staff message log shows what an SMS costs: its channel, parts and alphabet (issue 14). */
describe("SMS in the message log", () => {
  it("lists the channel, the parts and the encoding of each text message", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    // No SMS provider: both stop in the development outbox at once, with their segments counted.
    await withTenant(tenant.id, async (db) => {
      await queueMessage(db, tenant.id, {
        channel: "sms",
        template: "plain_sms",
        to: "0712 345 678",
        text: "Your policy is ready.",
        essential: true,
      });
      await queueMessage(db, tenant.id, {
        channel: "sms",
        template: "emoji_sms",
        to: "0712 345 679",
        // One emoji makes the whole text Unicode: 70 places a part, 67 once split.
        text: `Karibu! ${"Asante kwa kuchagua bima yetu. ".repeat(3)}🎉`,
        essential: true,
      });
    });
    const asAdmin = await signIn(hostOf(tenant), admin.email);
    const page = await asAdmin.get("/admin/outbox");
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain("SMS · 1 part, GSM-7");
    expect(text).toContain("SMS · 2 parts, Unicode");
  });
});
