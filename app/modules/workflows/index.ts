/**
 * The workflow state machines (docs/architecture.md §3). Pure TypeScript with no node imports: the server
 * decides with `transition` and writes `timelineEntry` rows; the UI asks `allowedEvents` /
 * `nextSteps` what can happen next.
 */
export * from "./state-machine";
export * from "./transaction";
export * from "./policy";
export * from "./instalment";
export * from "./claim";
export * from "./agent";
export * from "./commission-entry";
export * from "./chargeback";
export * from "./settlement";
export * from "./commission-payout";
export * from "./member";
export * from "./broadcast";
export * from "./mandate";
