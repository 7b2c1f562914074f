import { isDayCount, isIsoDate, needsReason } from "./guards";
import { defineMachine } from "./state-machine";

/**
 * A policy's life.
 *
 *   quoted → pending_payment                                   (checkout)
 *   quoted | pending_payment → pending_underwriting | active   (submit_for_underwriting | issue)
 *   pending_underwriting → active | declined                   (approve | decline; a decline refunds)
 *   active → grace → active | lapsed                           (miss_instalment → pay_arrears | lapse)
 *   lapsed → active                                            (reinstate, within the tenant's window)
 *   quoted | pending_payment | pending_underwriting | active | grace → cancelled   (cancel, with a reason)
 *   active | grace → expired                                   (expire, once the end date has passed)
 *
 * declined, cancelled and expired are final. lapsed is not (reinstate), though past the window
 * nothing will move it.
 */
export const POLICY_STATES = [
  "quoted",
  "pending_payment",
  "pending_underwriting",
  "active",
  "grace",
  "lapsed",
  "declined",
  "cancelled",
  "expired",
] as const;
export type PolicyState = (typeof POLICY_STATES)[number];

export const POLICY_EVENTS = [
  "checkout",
  "submit_for_underwriting",
  "issue",
  "approve",
  "decline",
  "miss_instalment",
  "pay_arrears",
  "lapse",
  "reinstate",
  "cancel",
  "expire",
] as const;
export type PolicyEvent = (typeof POLICY_EVENTS)[number];

export interface PolicyContext {
  /** issue: the product's rule; a product that requires underwriting is never issued directly. */
  requiresUnderwriting: boolean;
  /** decline, cancel: shown to the customer and kept on the timeline. */
  reason: string;
  /** lapse: whole days the policy has been in grace, and the tenant's grace period. */
  daysInGrace: number;
  graceDays: number;
  /** reinstate: whole days since the policy lapsed, and the tenant's reinstatement window. */
  daysSinceLapse: number;
  reinstatementDays: number;
  /** expire: the policy's last day of cover and today, both `YYYY-MM-DD` in the tenant's time zone. */
  endDate: string;
  today: string;
}

export const policyMachine = defineMachine<PolicyState, PolicyEvent, PolicyContext>({
  name: "policy",
  states: POLICY_STATES,
  events: POLICY_EVENTS,
  initial: ["quoted", "pending_payment"],
  transitions: [
    { from: "quoted", event: "checkout", to: "pending_payment" },
    // Staff may always refer a policy to underwriting; only `issue` depends on the product.
    { from: ["quoted", "pending_payment"], event: "submit_for_underwriting", to: "pending_underwriting" },
    {
      from: ["quoted", "pending_payment"],
      event: "issue",
      to: "active",
      guard: (ctx) => {
        if (ctx.requiresUnderwriting === true) return "This product requires underwriting: submit the policy for underwriting first";
        // Unknown is not "no": a missing flag must not skip underwriting.
        if (ctx.requiresUnderwriting !== false) return "Issuing needs to know whether the product requires underwriting";
        return null;
      },
    },
    { from: "pending_underwriting", event: "approve", to: "active" },
    { from: "pending_underwriting", event: "decline", to: "declined", guard: (ctx) => needsReason(ctx.reason, "Declining a policy") },
    { from: "active", event: "miss_instalment", to: "grace" },
    { from: "grace", event: "pay_arrears", to: "active" },
    {
      from: "grace",
      event: "lapse",
      to: "lapsed",
      guard: ({ daysInGrace, graceDays }) => {
        if (!isDayCount(daysInGrace) || !isDayCount(graceDays)) return "Lapsing needs the days in grace and the tenant's grace period";
        return daysInGrace >= graceDays ? null : `The grace period has ${graceDays - daysInGrace} day(s) left`;
      },
    },
    {
      from: "lapsed",
      event: "reinstate",
      to: "active",
      guard: ({ daysSinceLapse, reinstatementDays }) => {
        if (!isDayCount(daysSinceLapse) || !isDayCount(reinstatementDays)) {
          return "Reinstating needs the days since the lapse and the tenant's reinstatement window";
        }
        return daysSinceLapse <= reinstatementDays
          ? null
          : `The policy lapsed ${daysSinceLapse} days ago, past the ${reinstatementDays}-day reinstatement window`;
      },
    },
    {
      from: ["quoted", "pending_payment", "pending_underwriting", "active", "grace"],
      event: "cancel",
      to: "cancelled",
      guard: (ctx) => needsReason(ctx.reason, "Cancelling a policy"),
    },
    {
      from: ["active", "grace"],
      event: "expire",
      to: "expired",
      guard: ({ endDate, today }) => {
        if (!isIsoDate(endDate) || !isIsoDate(today)) return "Expiring needs the end date and today's date (YYYY-MM-DD)";
        return today > endDate ? null : `The policy covers until ${endDate}`;
      },
    },
  ],
});
