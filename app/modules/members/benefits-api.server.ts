import { z } from "zod";
import { withTenant } from "~db/client";
import { lineText } from "~/lib/text";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { requireApiUser } from "~/modules/api/principal.server";
import { notFound } from "~/modules/api/problem.server";
import { quoteDateIn } from "~/modules/rating";
import { benefitsForViewer } from "./benefits.server";

const minor = z.number().int().describe("Minor units of the policy's currency.");
const date = answerText().describe("YYYY-MM-DD");

const benefitsSchema = z.object({
  memberId: answerText().uuid(),
  asOf: date.describe("Today in the agency's time zone: the policy year counted."),
  policies: z.array(
    z.object({
      policyId: answerText().uuid(),
      policyNumber: answerText(),
      productName: answerText(),
      status: answerText().describe("active or grace: policies in force."),
      startDate: date,
      endDate: date.nullable(),
      currency: answerText(),
      annualLimit: z
        .object({ limitMinor: minor, usedMinor: minor, leftMinor: minor, yearStart: date, yearEnd: date })
        .nullable()
        .describe("Null when the product has no yearly limit. Used: approved and settled claims of this policy year."),
      excessMinor: z.number().int().nullable(),
      claimTypes: z.array(
        z.object({
          type: answerText(),
          label: answerText(),
          waitingDays: z.number().int(),
          coveredFrom: date,
          inWaitingPeriod: z.boolean(),
          documents: z.array(z.object({ code: answerText(), label: answerText() })),
        }),
      ),
    }),
  ),
});

/**
 * GET /api/v1/members/<id>/benefits (KHHoldings' plan): per policy in force, the yearly limit, used
 * and left this policy year (minor units), the excess, and per claim type its waiting period and
 * documents. For the member themself, their agent and staff; anyone else's, another agency's or a
 * missing id is the same 404.
 */
export const getMemberBenefits = endpoint({
  method: "GET",
  path: "/members/{memberId}/benefits",
  operationId: "getMemberBenefits",
  summary: "A member's benefits per policy in force (the member, their agent or staff)",
  tags: ["Members"],
  auth: "user",
  params: z.object({ memberId: lineText().uuid() }),
  resource: "Member",
  responses: { 200: { description: "The benefits.", schema: benefitsSchema } },
  errors: [404],
  async handler({ tenant, principal, params }) {
    const user = requireApiUser(principal);
    if (!tenant.features.agentNetwork) throw notFound("Member");
    const today = quoteDateIn(tenant.timeZone);
    const found = await withTenant(tenant.id, (db) =>
      benefitsForViewer(db, { userId: user.id, roles: user.roles }, params.memberId, today),
    );
    if (!found) throw notFound("Member");
    return {
      body: {
        memberId: found.memberId,
        asOf: today,
        policies: found.policies.map((p) => ({
          policyId: p.policyId,
          policyNumber: p.policyNumber,
          productName: p.productName,
          status: p.status,
          startDate: p.startDate,
          endDate: p.endDate,
          currency: p.currency,
          annualLimit: p.annual
            ? {
                limitMinor: p.annual.limitMinor,
                usedMinor: p.annual.usedMinor,
                leftMinor: p.annual.leftMinor,
                yearStart: p.annual.yearStart,
                yearEnd: p.annual.yearEnd,
              }
            : null,
          excessMinor: p.excessMinor,
          claimTypes: p.claimTypes.map((t) => ({
            type: t.type,
            label: t.label,
            waitingDays: t.waitingDays,
            coveredFrom: t.coveredFrom,
            inWaitingPeriod: t.waiting,
            documents: t.documents,
          })),
        })),
      } satisfies z.input<typeof benefitsSchema>,
    };
  },
});

export const benefitEndpoints = [getMemberBenefits];
