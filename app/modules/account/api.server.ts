import { z } from "zod";
import { withTenant } from "~db/client";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { requireApiUser } from "~/modules/api/principal.server";

/** /api/v1/me: the signed-in person (decision 045). */
export const meSchema = z.object({
  id: answerText().uuid(),
  email: answerText(),
  name: answerText(),
  phone: answerText().nullable(),
  language: z.enum(["en", "sw", "ms"]).nullable(),
  roles: z.array(answerText()).describe("customer, agent, admin … (what the person may do here)."),
  emailVerified: z.boolean(),
});

export const getMe = endpoint({
  method: "GET",
  path: "/me",
  operationId: "getMe",
  summary: "The signed-in person",
  tags: ["Account"],
  auth: "user",
  responses: { 200: { description: "Who you are here.", schema: z.object({ me: meSchema }) } },
  async handler({ tenant, principal }) {
    const user = requireApiUser(principal);
    const row = await withTenant(tenant.id, (db) =>
      db
        .selectFrom("users")
        .select(["id", "email", "name", "phone", "language", "email_verified_at"])
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow(),
    );
    return {
      body: {
        me: {
          id: row.id,
          email: row.email,
          name: row.name,
          phone: row.phone,
          language: row.language,
          roles: user.roles,
          emailVerified: row.email_verified_at !== null,
        },
      },
    };
  },
});

export const accountEndpoints = [getMe];
