import type { MemberEvent } from "~/modules/workflows/member";
import { compose, type Block, type Brand, type Template } from "./templates.server";

/**
 * The member's status notices (decision 035): to the member on every change, and to their agent
 * when staff made it (an agent who made it knows). Topic "policy_changes", so the member's
 * preferences count; the agent's copy is about their work and carries no topic.
 */

type StatusEvent = Exclude<MemberEvent, "activate">;

const MEMBER_LINES: Record<StatusEvent, { subject: (agency: string) => string; blocks: Block[] }> = {
  suspend: {
    subject: (agency) => `Your ${agency} membership is suspended`,
    blocks: [
      "Your membership is suspended: no new policy can be bought through your agent and no new claim filed until it is reinstated.",
      "Your policies stay in force: keep paying your instalments as they fall due. Claims you have already made go on as before.",
    ],
  },
  reinstate: {
    subject: (agency) => `Your ${agency} membership is active again`,
    blocks: ["Your membership is active again: you can buy cover and make claims as before."],
  },
  terminate: {
    subject: (agency) => `Your ${agency} membership has ended`,
    blocks: [
      "Your membership has ended and your account is closed for sign-in.",
      "Your policies are not cancelled by this: the agency will write to you about each of them. Claims you have already made go on.",
    ],
  },
};

export function memberStatusTemplate(
  brand: Brand,
  input: { name: string; event: StatusEvent; reason: string; link: string | null },
): Template {
  const lines = MEMBER_LINES[input.event];
  return compose(brand, `member_${input.event}`, lines.subject(brand.tenantName), [
    `Hello ${input.name},`,
    ...lines.blocks,
    `Reason: ${input.reason}`,
    ...(input.link ? [{ label: "Open my account", href: input.link }] : []),
    "If you have questions, reply to this email or contact your agent or the agency.",
  ]);
}

const DONE: Record<StatusEvent, string> = { suspend: "suspended", reinstate: "reinstated", terminate: "terminated" };

/** Staff changed the status of one of the agent's members: the agent is told what and why. */
export function memberStatusToAgentTemplate(
  brand: Brand,
  input: { agentName: string; memberName: string; event: StatusEvent; reason: string; link: string },
): Template {
  return compose(brand, `member_${input.event}_agent`, `Your member ${input.memberName} was ${DONE[input.event]}`, [
    `Hello ${input.agentName},`,
    `The agency has ${DONE[input.event]} your member ${input.memberName}.`,
    `Reason: ${input.reason}`,
    { label: "Open the member", href: input.link },
  ]);
}
