/**
 * The role model's words (reference model.md §C.14, §C.5, §C.6): the states of an assignment, the
 * kinds of rules, and where an assignment comes from. The assignment store, the policy evaluation,
 * the order generation and the CLI all speak these; this file imports nothing.
 *
 * States are stored by name, not by the product's number: the store is ours, and a name reads in
 * a query. The numbers are kept for what shows them (exports, the product's logs).
 */

/** ProvisioningState: (AwaitingApproval →) Pending → Transmitted → Executed → Verified. */
export const PROVISIONING_STATES = {
  None: 0,
  Pending: 1,
  Transmitted: 2,
  Errored: 3,
  Verified: 4,
  AwaitingApproval: 5,
  Inactive: 6,
  Error: 7,
  Executed: 8,
} as const;
export type ProvisioningState = keyof typeof PROVISIONING_STATES;

/**
 * WorkflowState. The reference leaves the names of 2, 5 and 11–13 unknown; those are named here
 * after their documented meaning.
 */
export const WORKFLOW_STATES = {
  None: 0,
  Found: 1,
  RequestedMissingParameters: 2,
  Historic: 3,
  Requested: 4,
  CalculatedMissingParameters: 5,
  PendingApproval: 8,
  PendingApproval1: 9,
  PendingApproval2: 10,
  PendingApproval1Of3: 11,
  PendingApproval2Of3: 12,
  PendingApproval3Of3: 13,
  Approved: 16,
  Declined: 17,
  PolicyApproved: 18,
  Cancellation: 20,
} as const;
export type WorkflowState = keyof typeof WORKFLOW_STATES;

/** RuleType of role and type rules: Required assigns, the other two only suggest. */
export const RULE_TYPES = ["Required", "RequestedAutomatically", "Suggested"] as const;
export type RuleType = (typeof RULE_TYPES)[number];

/**
 * Where an assignment comes from: a rule that matched, a role inferred from a held composite role,
 * a manual request, a pre-existing right found at the first installation, or a right found by
 * synchronization that no rule backs.
 */
export const ASSIGNMENT_ORIGINS = ["rule", "inferred", "manual", "pre-existing", "found"] as const;
export type AssignmentOrigin = (typeof ASSIGNMENT_ORIGINS)[number];

/** ChangeType of a provisioning order (§C.13). */
export const ORDER_CHANGE_TYPES = ["Added", "Modified", "Deleted"] as const;
export type OrderChangeType = (typeof ORDER_CHANGE_TYPES)[number];

/** Correlation confidence: from this level up a match is automatic; below it, a suggestion to review. */
export const AUTOMATIC_CONFIDENCE = 100;
