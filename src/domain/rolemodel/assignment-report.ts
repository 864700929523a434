/**
 * `idm assignments`: what the assignment store holds for the owners of an entity type (or one of
 * them), in the shape the CLI prints as JSON (issue 15, item 7): each row with the rule that made it
 * as `file:line`, resources named by entity type and key, navigation values by the resource they
 * point at.
 */
import type { Store } from "../../store/store.js";
import { ResourceStore } from "../resources/resource-store.js";
import type { ContextRow, OwnerAssignments, ResourceTypeWithValues, RiskRow, RoleRow, ValueRow } from "./assignment-rows.js";
import { AssignmentStore } from "./assignment-store.js";
import { checkEntityType, missingRef, resourceByKey, resourceRefs, RuleLocator, type ResourceRef } from "./report-lookups.js";
import type { AssignmentOrigin, ProvisioningState, WorkflowState } from "./states.js";

interface Validity {
  validFrom: string | null;
  validTo: string | null;
}

export interface ContextReport extends Validity {
  dimensions: Record<string, unknown>;
  origin: AssignmentOrigin;
  rule: string | null;
}

export interface RoleReport extends Validity {
  role: string;
  kind: RoleRow["kind"];
  origin: AssignmentOrigin;
  rule: string | null;
  workflowState: WorkflowState;
}

/** A scalar or binary value as stored; a navigation value as the resource it points at. */
export type ReportedValue = string | ResourceRef | null;

export interface ValueReport {
  property: string;
  policyValue: ReportedValue;
  currentValue: ReportedValue;
  /** The value's provisioning state. */
  state: ProvisioningState;
}

export interface ResourceTypeReport {
  resourceType: string;
  target: ResourceRef | null;
  correlation: { rule: string; confidence: number | null } | null;
  origin: AssignmentOrigin;
  rule: string | null;
  provisioningState: ProvisioningState;
  values: ValueReport[];
}

export interface RiskReport extends Validity {
  risk: string;
  origin: AssignmentOrigin;
  rule: string | null;
  workflowState: WorkflowState;
}

export interface OwnerReport {
  resource: ResourceRef;
  contexts: ContextReport[];
  roles: RoleReport[];
  resourceTypes: ResourceTypeReport[];
  risks: RiskReport[];
}

/** Owners read per page: a page of the entity type's keys, then what they hold. */
const PAGE = 500;

/**
 * The owners of `entityType` that hold something, in key order; with `key`, that one owner, even
 * when it holds nothing. An unknown entity type or key is an UnknownSubjectError.
 */
export async function assignmentReport(store: Store, entityType: string, key?: string): Promise<OwnerReport[]> {
  await checkEntityType(store, entityType);
  const report = new ReportBuilder(store);
  if (key !== undefined) {
    const owner = await resourceByKey(store, entityType, key);
    return report.owners([owner], true);
  }
  const reports: OwnerReport[] = [];
  for await (const page of new ResourceStore(store.dataSource.manager).resourceKeys(entityType, PAGE)) {
    reports.push(...(await report.owners(page.map((r) => ({ entityType, key: r.sourceKey, id: r.id })), false)));
  }
  return reports;
}

const isoOrNull = (date: Date | null): string | null => (date === null ? null : new Date(date).toISOString());
const validity = (row: { validFrom: Date | null; validTo: Date | null }): Validity => ({ validFrom: isoOrNull(row.validFrom), validTo: isoOrNull(row.validTo) });

function isEmpty(held: OwnerAssignments): boolean {
  return held.contexts.length + held.roles.length + held.resourceTypes.length + held.risks.length === 0;
}

class ReportBuilder {
  readonly #assignments: AssignmentStore;
  readonly #rules: RuleLocator;

  constructor(private readonly store: Store) {
    this.#assignments = new AssignmentStore(store.dataSource.manager);
    this.#rules = new RuleLocator(store);
  }

  async owners(owners: readonly ResourceRef[], keepEmpty: boolean): Promise<OwnerReport[]> {
    const held = await this.#assignments.readOwners(owners.map((o) => o.id));
    const kept = owners.filter((o) => keepEmpty || !isEmpty(held.get(o.id)!));
    const refs = await resourceRefs(this.store, kept.flatMap((o) => referencedIds(held.get(o.id)!)));
    const reports: OwnerReport[] = [];
    for (const owner of kept) {
      const h = held.get(owner.id)!;
      reports.push({
        resource: owner,
        contexts: await Promise.all(h.contexts.map((row) => this.#context(row))),
        roles: await Promise.all(h.roles.map((row) => this.#role(row))),
        resourceTypes: await Promise.all(h.resourceTypes.map((row) => this.#resourceType(row, refs))),
        risks: await Promise.all(h.risks.map((row) => this.#risk(row))),
      });
    }
    return reports;
  }

  async #context(row: ContextRow): Promise<ContextReport> {
    return { dimensions: JSON.parse(row.dimensions) as Record<string, unknown>, origin: row.origin, rule: await this.#rules.ofRow(row), ...validity(row) };
  }

  async #role(row: RoleRow): Promise<RoleReport> {
    return { role: row.role, kind: row.kind, origin: row.origin, rule: await this.#rules.ofRow(row), workflowState: row.workflowState, ...validity(row) };
  }

  async #risk(row: RiskRow): Promise<RiskReport> {
    return { risk: row.risk, origin: row.origin, rule: await this.#rules.ofRow(row), workflowState: row.workflowState, ...validity(row) };
  }

  async #resourceType(row: ResourceTypeWithValues, refs: Map<number, ResourceRef>): Promise<ResourceTypeReport> {
    return {
      resourceType: row.resourceType,
      target: row.targetId === null ? null : (refs.get(row.targetId) ?? missingRef(row.targetId)),
      correlation: row.correlationRule === null ? null : { rule: await this.#rules.ofCorrelationRule(row.correlationRule), confidence: row.confidence },
      origin: row.origin,
      rule: await this.#rules.ofRow(row),
      provisioningState: row.provisioningState,
      values: row.values.map((value) => valueReport(value, refs)),
    };
  }
}

/** The resources an owner's rows point at: targets and navigation values. */
function referencedIds(held: OwnerAssignments): number[] {
  const ids: number[] = [];
  for (const type of held.resourceTypes) {
    if (type.targetId !== null) ids.push(type.targetId);
    for (const value of type.values) {
      if (value.kind !== "navigation") continue;
      for (const v of [value.policyValue, value.currentValue]) if (v !== null && /^\d+$/.test(v)) ids.push(Number(v));
    }
  }
  return ids;
}

/**
 * A value as policy vs current. A Deleted value is one the policy no longer wants: its policy value
 * is reported null, and its current value is what the target holds (the stored current value, else
 * the value the order removes).
 */
function valueReport(value: ValueRow, refs: Map<number, ResourceRef>): ValueReport {
  const shown = (v: string | null): ReportedValue => {
    if (v === null || value.kind !== "navigation" || !/^\d+$/.test(v)) return v;
    return refs.get(Number(v)) ?? missingRef(Number(v));
  };
  const removed = value.changeType === "Deleted";
  return {
    property: value.property,
    policyValue: removed ? null : shown(value.policyValue),
    currentValue: shown(removed ? (value.currentValue ?? value.policyValue) : value.currentValue),
    state: value.provisioningState,
  };
}
