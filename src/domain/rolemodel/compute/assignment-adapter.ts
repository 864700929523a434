/**
 * Between the engine's rows (evaluate/assignments.ts) and the store's (assignment-rows.ts), both
 * ways. The store names a navigation value by the id of the resource it points to (what the order
 * files give); the engine by its key. Ids of stored rows become `<family>:<id>` for the engine, so
 * that rows of different tables never share one.
 *
 * A delta is written only where a column changes: an update whose columns equal the stored row's is
 * dropped, which keeps a second run silent whatever the engine's in-memory row holds beyond the
 * columns (a RuleSource's file, a navigation's current keys).
 */
import type { Assignment, AssignmentDelta as EngineDelta, Context, StoredAssignment, ValueAssignment } from "../evaluate/assignments.js";
import { textOf } from "../evaluate/compare-values.js";
import type { ComparisonType, PolicyModel, RuleSource, TargetRef, Value } from "../evaluate/model.js";
import type { EntityModel, PropertyType } from "../../resources/entity-model.js";
import type { AssignmentDelta, RowEnd, RowUpdate } from "../assignment-store.js";
import {
  ruleColumns, type ContextRow, type NewContext, type NewResourceType, type NewRisk, type NewRole, type NewValue, type NewValueOfType, type OwnerAssignments,
  type ResourceTypeRow, type RiskRow, type RoleRow, type ValueRow,
} from "../assignment-rows.js";

/** What the adapter reads besides the rows: rule flags, property types, keys ↔ ids of navigation targets. */
export interface AdapterContext {
  policy: PolicyModel;
  entities: EntityModel;
  /** Target id → key, for every target and navigation value the rows name. */
  keyOf(id: number): string | undefined;
  /** A navigation value's key → the id of the resource, in the entity type the navigation leads to. */
  idOf(resourceType: string, property: string, key: string): number | undefined;
  /** Where a stored row's correlation rule is written (a row keeps only its identifier), for the explanations. */
  correlationRule(resourceType: string, identifier: string): RuleSource | undefined;
}

type RawRow = RoleRow | ResourceTypeRow | ValueRow | RiskRow;

export interface OwnerRows {
  stored: StoredAssignment[];
  /** Engine id → the stored row it came from. */
  raw: Map<string, RawRow>;
  contexts: ContextRow[];
}

/**
 * The order generation takes the Pending resource type assignments with their Pending values: a
 * confirmed target (Verified for the engine) whose values wait for an order carries their most
 * urgent state, so that a modification makes an order (Modified: it has a target and no change type).
 */
const LIFT_ORDER = ["Pending", "AwaitingApproval", "Errored", "Transmitted", "Executed"] as const;

const NUMERIC: ReadonlySet<PropertyType> = new Set(["Int32", "Int64", "Int16", "Byte", "Double"]);

function ruleSource(row: RawRow): RuleSource | null {
  if (row.ruleKind === null || row.ruleIdentifier === null) return null;
  return { kind: row.ruleKind, identifier: row.ruleIdentifier, file: row.ruleFile ?? "", line: row.ruleLine ?? 0 };
}

function ruleRef(rule: RuleSource | null) {
  return ruleColumns(rule === null ? null : { kind: rule.kind, identifier: rule.identifier, file: rule.file || null, line: rule.file ? rule.line : null });
}

export class AssignmentAdapter {
  readonly #valueRules = new Map<string, { comparisonType: ComparisonType; isMapped: boolean }>();
  readonly #targets = new Map<string, string | undefined>();

  constructor(private readonly ctx: AdapterContext) {
    for (const rt of ctx.policy.resourceTypes) {
      this.#targets.set(rt.identifier, rt.targetEntityType);
      for (const r of rt.scalarRules) this.#valueRules.set(r.source.identifier, { comparisonType: r.comparisonType, isMapped: r.isMapped });
    }
  }

  private propertyType(resourceType: string, property: string): PropertyType | undefined {
    const target = this.#targets.get(resourceType);
    return target === undefined ? undefined : this.ctx.entities.entityTypes.get(target)?.properties.get(property)?.type;
  }

  private target(id: number | null): TargetRef | null {
    return id === null ? null : { id: String(id), key: this.ctx.keyOf(id) ?? String(id) };
  }

  /** A stored scalar as the engine's value: numbers and booleans typed as their property. */
  private typed(resourceType: string, property: string, text: string): Value {
    const type = this.propertyType(resourceType, property);
    if (type !== undefined && NUMERIC.has(type) && text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
    if (type === "Bool" && (text === "true" || text === "false")) return text === "true";
    return text;
  }

  /** The store's rows of one owner as the engine reads them. */
  toEngine(rows: OwnerAssignments): OwnerRows {
    const stored: StoredAssignment[] = [];
    const raw = new Map<string, RawRow>();
    const add = (id: string, row: RawRow, a: StoredAssignment) => {
      raw.set(id, row);
      stored.push(a);
    };
    const base = (row: RawRow) => ({ origin: row.origin, workflowState: row.workflowState, rule: ruleSource(row), validFrom: row.validFrom, validTo: row.validTo });
    for (const r of rows.roles) add(`role:${r.id}`, r, { id: `role:${r.id}`, kind: r.kind === "composite" ? "compositeRole" : "singleRole", role: r.role, ...base(r) });
    for (const r of rows.risks) add(`risk:${r.id}`, r, { id: `risk:${r.id}`, kind: "risk", risk: r.risk, level: 0, ...base(r) });
    for (const t of rows.resourceTypes) {
      const target = this.target(t.targetId);
      const rule = t.correlationRule === null ? null : (this.ctx.correlationRule(t.resourceType, t.correlationRule) ?? { kind: "ResourceCorrelationRule", identifier: t.correlationRule, file: "", line: 0 });
      const correlation = rule === null ? null : { rule, confidence: t.confidence ?? 0 };
      add(`type:${t.id}`, t, {
        id: `type:${t.id}`, kind: "resourceType", resourceType: t.resourceType, target, correlation, provisioningState: t.provisioningState, changeType: t.changeType,
        heldBack: t.heldBack, ...base(t),
      });
      for (const v of t.values) {
        const flags = this.#valueRules.get(v.ruleIdentifier ?? "") ?? { comparisonType: "CaseSensitive" as const, isMapped: true };
        const policyValue = v.policyValue === null ? null : v.kind === "navigation" ? (this.ctx.keyOf(Number(v.policyValue)) ?? v.policyValue) : this.typed(t.resourceType, v.property, v.policyValue);
        // A value without a policy value (a removal the store recorded) has nothing the engine expects: it is the store's alone.
        if (policyValue === null) continue;
        const currentValue = v.currentValue === null ? null : v.kind === "navigation" ? (this.ctx.keyOf(Number(v.currentValue)) ?? v.currentValue) : this.typed(t.resourceType, v.property, v.currentValue);
        add(`value:${v.id}`, v, {
          id: `value:${v.id}`, kind: v.kind, resourceType: t.resourceType, target, property: v.property, policyValue, currentValue, ...flags, confidence: v.confidence,
          provisioningState: v.provisioningState, changeType: v.changeType, questioned: Boolean(v.questioned), ...base(v),
        });
      }
    }
    return { stored, raw, contexts: rows.contexts };
  }

  /** The engine's delta of one owner (and its contexts) added to the store's delta of the batch. */
  addToDelta(delta: Required<AssignmentDelta>, ownerId: number, engine: EngineDelta, rows: OwnerRows, contexts: readonly Context[], contextRule: RuleSource | null): void {
    this.contextsDelta(delta, ownerId, rows.contexts, contexts, contextRule);
    const idOf = (id: string) => Number(id.slice(id.indexOf(":") + 1));
    // Where the values of each resource type assignment go: its stored id, or its place among the insertions.
    const types = new Map<string, { id: number } | { insert: NewResourceType }>();
    const typeKey = (resourceType: string, target: TargetRef | null) => `${resourceType}\u0000${target?.id ?? ""}`;
    for (const x of engine.kept) if (x.kind === "resourceType") types.set(typeKey(x.resourceType, x.target), { id: idOf(x.id) });
    for (const c of engine.changes) {
      if (c.change === "update" && c.row.kind === "resourceType") types.set(typeKey(c.row.resourceType, c.row.target), { id: idOf(c.id) });
    }
    // The state each resource type assignment's values wait in, for lifted() below.
    const valueStates = new Map<string, Set<string>>();
    const noteValue = (row: Assignment) => {
      if (!isValue(row)) return;
      const key = typeKey(row.resourceType, row.target);
      (valueStates.get(key) ?? valueStates.set(key, new Set()).get(key)!).add(row.provisioningState);
    };
    for (const x of engine.kept) noteValue(x);
    for (const c of engine.changes) if (c.change === "insert" || c.change === "update") noteValue(c.row);
    const lifted = (row: Assignment): Assignment => {
      if (row.kind !== "resourceType" || row.target === null || row.provisioningState !== "Verified") return row;
      const states = valueStates.get(typeKey(row.resourceType, row.target));
      const state = LIFT_ORDER.find((s) => states?.has(s));
      return state === undefined ? row : { ...row, provisioningState: state };
    };
    for (const x of engine.kept) {
      if (x.kind !== "resourceType") continue;
      const set = this.columns(ownerId, lifted(x) as Exclude<Assignment, ValueAssignment>);
      if (!sameColumns(set, rows.raw.get(x.id)!)) this.push(delta, "type", "update", { id: idOf(x.id), set });
    }
    const pendingValues: Array<{ row: ValueAssignment; replaces?: StoredAssignment }> = [];
    for (const c of engine.changes) {
      const family = c.change === "insert" ? undefined : c.id.slice(0, c.id.indexOf(":"));
      if (c.change === "historize") this.push(delta, family!, "end", { id: idOf(c.id), validTo: c.validTo });
      else if (c.change === "delete") this.push(delta, family!, "delete", idOf(c.id));
      else if (isValue(c.row)) {
        pendingValues.push(c.change === "update" ? { row: c.row, replaces: c.before } : { row: c.row });
      } else if (c.change === "update") {
        const set = this.columns(ownerId, lifted(c.row) as Exclude<Assignment, ValueAssignment>);
        if (!sameColumns(set, rows.raw.get(c.id)!)) this.push(delta, family!, "update", { id: idOf(c.id), set });
      } else if (c.row.kind === "resourceType") {
        const insert = { ...(this.columns(ownerId, lifted(c.row) as Exclude<Assignment, ValueAssignment>) as Omit<NewResourceType, "values">), values: [] as NewValueOfType[] };
        delta.resourceTypes.insert = appended(delta.resourceTypes.insert, [insert]);
        types.set(typeKey(c.row.resourceType, c.row.target), { insert });
      } else if (c.row.kind === "risk") delta.risks.insert = appended(delta.risks.insert, [this.columns(ownerId, c.row) as NewRisk]);
      else delta.roles.insert = appended(delta.roles.insert, [this.columns(ownerId, c.row as Exclude<Assignment, ValueAssignment>) as NewRole]);
    }
    for (const { row, replaces } of pendingValues) {
      const parent = types.get(typeKey(row.resourceType, row.target));
      if (parent === undefined) continue; // its resource type assignment ends: the value ends with it
      const columns = this.valueColumns(row);
      // A NavigationRule naming a resource that does not exist (warned about when resolved): nothing to store or provision.
      if (row.kind === "navigation" && columns.policyValue === null) continue;
      if ("insert" in parent) {
        // A stored value moving to a new assignment: it ends with its old one and starts with the new.
        if (replaces) this.push(delta, "value", "end", { id: idOf(replaces.id), validTo: new Date() });
        parent.insert.values!.push(columns);
      } else if (replaces) {
        const set = { ...columns, assignedResourceTypeId: parent.id };
        if (!sameColumns(set, rows.raw.get(replaces.id)!)) this.push(delta, "value", "update", { id: idOf(replaces.id), set });
      } else delta.values.insert = appended(delta.values.insert, [{ ...columns, assignedResourceTypeId: parent.id } as NewValue]);
    }
  }

  private push(delta: Required<AssignmentDelta>, family: string, what: "end" | "delete" | "update", item: RowEnd | number | RowUpdate<object>): void {
    const key = ({ role: "roles", risk: "risks", type: "resourceTypes", value: "values" } as const)[family as "role"]!;
    const f = delta[key] as { end?: RowEnd[]; delete?: number[]; update?: RowUpdate<object>[] };
    ((f[what] ??= []) as unknown[]).push(item);
  }

  private columns(ownerId: number, row: Exclude<Assignment, ValueAssignment>): Record<string, unknown> {
    const common = { origin: row.origin, workflowState: row.workflowState, ...ruleRef(row.rule), validFrom: row.validFrom, validTo: row.validTo };
    switch (row.kind) {
      case "compositeRole":
      case "singleRole":
        return { ownerId, role: row.role, kind: row.kind === "compositeRole" ? "composite" : "single", ...common, parameters: null };
      case "risk":
        return { ownerId, risk: row.risk, ruleIndex: 0, ...common };
      case "resourceType":
        return {
          ownerId, resourceType: row.resourceType, targetId: row.target === null ? null : Number(row.target.id), correlationRule: row.correlation?.rule.identifier ?? null,
          confidence: row.correlation?.confidence ?? null, provisioningState: row.provisioningState, changeType: row.changeType, heldBack: row.heldBack, ...common, parameters: null,
        };
    }
  }

  private valueColumns(row: ValueAssignment): NewValueOfType {
    let policyValue: string | null = textOf(row.policyValue);
    let currentValue: string | null;
    if (row.kind === "navigation") {
      const id = this.ctx.idOf(row.resourceType, row.property, policyValue);
      policyValue = id === undefined ? null : String(id);
      // The store keeps one current value: the policy's resource when the target holds it.
      const held = Array.isArray(row.currentValue) ? row.currentValue.some((v) => textOf(v) === textOf(row.policyValue)) : row.currentValue !== null && textOf(row.currentValue as Value) === textOf(row.policyValue);
      currentValue = held ? policyValue : null;
    } else currentValue = row.currentValue === null ? null : Array.isArray(row.currentValue) ? row.currentValue.map(textOf).join(";") : textOf(row.currentValue as Value);
    return {
      property: row.property, kind: row.kind, provisioningState: row.provisioningState, changeType: row.changeType, confidence: row.confidence, questioned: row.questioned,
      policyValue, currentValue, origin: row.origin, workflowState: row.workflowState, ...ruleRef(row.rule), validFrom: row.validFrom, validTo: row.validTo,
    };
  }

  /** Contexts are replaced when they differ from the stored ones. */
  private contextsDelta(delta: Required<AssignmentDelta>, ownerId: number, stored: readonly ContextRow[], contexts: readonly Context[], rule: RuleSource | null): void {
    const text = (c: { dimensions: unknown; validFrom: Date | null; validTo: Date | null }) =>
      JSON.stringify([typeof c.dimensions === "string" ? c.dimensions : JSON.stringify(c.dimensions), c.validFrom?.getTime() ?? null, c.validTo?.getTime() ?? null]);
    const before = stored.map(text).sort();
    const fresh: NewContext[] = contexts.map((c) => ({
      ownerId, dimensions: JSON.stringify(c.dimensions), origin: "rule", workflowState: "PolicyApproved", ...ruleRef(rule), validFrom: c.validFrom, validTo: c.validTo,
    }));
    const after = fresh.map(text).sort();
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    delta.contexts.delete = appended(delta.contexts.delete, stored.map((c) => c.id));
    delta.contexts.insert = appended(delta.contexts.insert, fresh);
  }
}

function isValue(row: Assignment): row is ValueAssignment {
  return row.kind === "scalar" || row.kind === "navigation" || row.kind === "binary";
}

/**
 * `items` added at the end of a batch delta's list, in place: a batch gathers the rows of thousands
 * of owners, and a copy of the list per row made the batch quadratic. The lists are the adapter's
 * own (emptyDelta), nobody else holds them.
 */
function appended<T>(list: readonly T[] | undefined, items: readonly T[]): T[] {
  const out = (list ?? []) as T[];
  for (const item of items) out.push(item);
  return out;
}

export function emptyDelta(): Required<AssignmentDelta> {
  return { contexts: {}, roles: {}, resourceTypes: {}, values: {}, risks: {} };
}

function normalized(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v)) return new Date(v).getTime();
  return typeof v === "string" && v !== "" && Number.isFinite(Number(v)) ? Number(v) : v;
}

/** Whether writing `set` would leave the stored row as it is. */
function sameColumns(set: Record<string, unknown>, row: object): boolean {
  const stored = row as Record<string, unknown>;
  return Object.keys(set).every((k) => normalized(set[k]) === normalized(stored[k]));
}
