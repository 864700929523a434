/**
 * BuildRoleModelTask (reference tasks.md §3.1, model.md §C.9): each RoleMapping (those of the
 * task's Connector, or all) makes, for every resource its navigation Property can reach (the
 * resources of the property's entity type: e.g. every AD group) that passes its conditions and
 * WhereExpression, a single role (State Generated) and the NavigationRule that gives that resource
 * to the role's holders. The result is compared with what the previous run generated
 * (generated-role-store.ts): new roles are inserted, changed ones rewritten, and those whose value
 * no longer matches (or is gone) deleted, in one transaction. A second run over the same data
 * changes nothing.
 *
 * What stays as it is: the roles of a mapping that cannot run (its message says why) and the role of
 * a value whose expression failed; with a Connector, the roles of other connectors' mappings.
 * A generated identifier that a configured SingleRole has is not generated (warning: the configured
 * role wins); two values giving the same identifier: the first, in mapping then key order, wins.
 */
import type { ResourceObject } from "../expressions/compile-expressions.js";
import { readEntityModel, INTERNAL_DISPLAY_NAME, type EntityModel } from "../resources/entity-model.js";
import { decodeProperties } from "../resources/properties.js";
import { readStoredItems } from "../stored-items.js";
import type { WorkContext } from "../work-context.js";
import { keyOfProperties } from "./compute/resource-keys.js";
import { readGeneratedRoles, writeGeneratedRoles, type GeneratedRole, type GeneratedRoleDelta, type StoredGeneratedRole } from "./generated-role-store.js";
import { LimitedWarnings } from "./limited-warnings.js";
import { matchesConditions } from "./role-mapping-conditions.js";
import { compileRoleMapping, scalarOf, type CompiledRoleMapping } from "./role-mappings.js";
import { readMappedConnectors, readResourceTypes } from "./role-model-items.js";
import { loadContext, subjectBatches, type RuleProgram } from "./rule-subjects.js";

export const DEFAULT_BUILD_ROLE_MODEL_BATCH_SIZE = 5000;

export interface BuildRoleModelCounters {
  mappings: number;
  /** Value resources examined. */
  values: number;
  /** Values that passed a mapping's conditions: the roles it wants. */
  matched: number;
  inserted: number;
  updated: number;
  deleted: number;
  /** Generated identifiers a configured SingleRole (or another value) already has. */
  collisions: number;
  /** Mappings that cannot run and values whose expression failed. */
  errors: number;
  [name: string]: number;
}

export interface BuildRoleModelOptions extends Pick<WorkContext<BuildRoleModelCounters>, "store" | "signal" | "log" | "progress"> {
  /** The RoleMappings of this connector's resource types (their TargetEntityType's EntityTypeMapping); undefined: every one. */
  connector: string | undefined;
  jobInstanceId: number | null;
  /** Value resources per read; 0: DEFAULT_BUILD_ROLE_MODEL_BATCH_SIZE. */
  batchSize?: number;
}

export async function buildRoleModel(options: BuildRoleModelOptions): Promise<{ counters: BuildRoleModelCounters; didWork: boolean }> {
  const { store, log } = options;
  const model = await readEntityModel(store);
  const types = await readResourceTypes(store);
  const connectors = await readMappedConnectors(store);
  const inScope = (resourceType: string | undefined) => {
    if (options.connector === undefined) return true;
    const target = resourceType === undefined ? undefined : types.get(resourceType)?.targetEntityType;
    return target !== undefined && connectors.get(target) === options.connector;
  };
  const configured = new Map((await readStoredItems(store, "SingleRole")).map((i) => [i.identifier, i.source ? `${i.source.file}:${i.source.line}` : "deployed"]));
  const mappings = (await readStoredItems(store, "RoleMapping")).filter((m) => inScope((m.attributes as { ResourceType?: string }).ResourceType))
    .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
  if (mappings.length === 0) log("Information", options.connector === undefined ? "no RoleMapping is deployed" : `no RoleMapping applies to a resource type of the connector ${options.connector}`);

  const counters: BuildRoleModelCounters = { mappings: 0, values: 0, matched: 0, inserted: 0, updated: 0, deleted: 0, collisions: 0, errors: 0 };
  const warnings = new LimitedWarnings(log);
  const stored = await readGeneratedRoles(store);
  const deployed = new Set(mappings.map((m) => m.identifier));
  const desired = new Map<string, GeneratedRole>();
  const keep = (role: GeneratedRole) => {
    if (!desired.has(role.identifier)) desired.set(role.identifier, role);
  };
  // Out of scope (another connector's): kept as they are, and first to claim their identifiers.
  for (const role of stored) if (!inScope(role.navigation.resourceType) && !deployed.has(role.roleMapping)) keep(role);

  for (const item of mappings) {
    let mapping: CompiledRoleMapping;
    try {
      mapping = compileRoleMapping(item, types, model);
    } catch (error) {
      counters.errors++;
      log("Warning", `${(error as Error).message}; its generated roles are left as they are`);
      for (const role of stored) if (role.roleMapping === item.identifier) keep(role);
      continue;
    }
    counters.mappings++;
    const failed = new Set<number>();
    for await (const batch of subjectBatches(loadContext(store, model), mapping.valueEntityType, mapping.navigations, undefined, options.batchSize || DEFAULT_BUILD_ROLE_MODEL_BATCH_SIZE, options.signal)) {
      for (const row of batch.rows) {
        counters.values++;
        const role = generatedRole(mapping, model, row.id, row.sourceKey, row.properties, batch.resources.get(row.id)!, (message) => {
          failed.add(row.id);
          warnings.warn(`RoleMapping ${mapping.identifier} (${mapping.at}), ${mapping.valueEntityType} ${row.sourceKey}: ${message}; its generated role is left as it is`);
        });
        if (role === undefined) continue;
        counters.matched++;
        const collision = configured.get(role.identifier);
        const other = desired.get(role.identifier);
        if (collision !== undefined || other !== undefined) {
          counters.collisions++;
          warnings.warn(collision !== undefined
            ? `RoleMapping ${mapping.identifier} (${mapping.at}): the role ${role.identifier} it generates for ${mapping.valueEntityType} ${row.sourceKey} is a configured SingleRole (${collision}); the configured one is kept`
            : `RoleMapping ${mapping.identifier} (${mapping.at}): the role ${role.identifier} it generates for ${mapping.valueEntityType} ${row.sourceKey} is already generated by RoleMapping ${other!.roleMapping} for another resource; the first is kept`);
          continue;
        }
        desired.set(role.identifier, role);
      }
      options.progress({ ...counters, errors: counters.errors + warnings.count });
    }
    for (const role of stored) if (role.roleMapping === item.identifier && failed.has(role.valueResourceId)) keep(role);
  }
  // Not desired, hence deleted: the roles of values that no longer match or are gone, and of mappings no longer deployed.
  const delta = diff(stored, desired);
  counters.inserted = delta.insert.length;
  counters.updated = delta.update.length;
  counters.deleted = delta.delete.length;
  const didWork = delta.insert.length + delta.update.length + delta.delete.length > 0;
  if (didWork) await writeGeneratedRoles(store, delta, options.jobInstanceId);
  warnings.summarize("role mapping warnings");
  counters.errors += warnings.count;
  log("Information", `${counters.matched} roles wanted by ${counters.mappings} role mappings: ${counters.inserted} generated, ${counters.updated} changed, ${counters.deleted} removed`);
  return { counters, didWork };
}

/** The role a value resource gives, undefined when it does not match (or an expression failed: `fail` is told). */
function generatedRole(
  mapping: CompiledRoleMapping, model: EntityModel, id: number, sourceKey: string, json: string, resource: ResourceObject, fail: (message: string) => void,
): GeneratedRole | undefined {
  if (!matchesConditions(mapping.conditions, (property) => scalarOf(resource, property))) return undefined;
  const where = evaluate(mapping.where, resource, fail);
  if (where === null || (mapping.where !== undefined && where !== true)) return undefined;
  const key = keyOfProperties(model, mapping.valueEntityType, decodeProperties(json), sourceKey);
  const identifier = mapping.roleIdentifier === undefined ? `${mapping.identifier}_${key}` : evaluate(mapping.roleIdentifier, resource, fail);
  if (identifier === null) return undefined;
  if (identifier === undefined || String(identifier).trim() === "") {
    fail("its role identifier is empty");
    return undefined;
  }
  const displayName = mapping.displayName === undefined ? scalarOf(resource, INTERNAL_DISPLAY_NAME) : evaluate(mapping.displayName, resource, fail);
  const category = mapping.category === undefined ? mapping.copied.category ?? undefined : evaluate(mapping.category, resource, fail);
  if (displayName === null || category === null) return undefined;
  return {
    identifier: String(identifier), roleMapping: mapping.identifier, valueResourceId: id, entityType: mapping.ownerEntityType,
    ...mapping.copied,
    category: category === undefined || category === "" ? null : String(category),
    displayName: displayName === undefined || displayName === "" ? null : String(displayName),
    navigation: { resourceType: mapping.resourceType.identifier, property: mapping.property, valueResourceId: id, resourceKey: key },
  };
}

/** A program's value; null when it failed (told to `fail`); undefined when there is no program or no value. */
function evaluate(program: RuleProgram | undefined, resource: ResourceObject, fail: (message: string) => void): string | number | boolean | undefined | null {
  if (program === undefined) return undefined;
  const result = program.evaluate(resource);
  if (!result.ok) {
    fail(result.message);
    return null;
  }
  return result.value;
}

const ROLE_FIELDS = [
  "roleMapping", "valueResourceId", "entityType", "policy", "category", "approvalWorkflowType", "implicitApproval", "approvalRequired", "hideOnSimplifiedView",
  "commentOnApprove", "commentOnDecline", "commentOnDeleteGap", "commentOnKeepGap", "displayName",
] as const satisfies readonly (keyof GeneratedRole)[];
const RULE_FIELDS = ["resourceType", "property", "valueResourceId", "resourceKey"] as const satisfies readonly (keyof GeneratedRole["navigation"])[];

function diff(stored: readonly StoredGeneratedRole[], desired: ReadonlyMap<string, GeneratedRole>): GeneratedRoleDelta {
  const delta: GeneratedRoleDelta = { insert: [], update: [], delete: [] };
  const before = new Map(stored.map((role) => [role.identifier, role]));
  for (const role of stored) if (!desired.has(role.identifier)) delta.delete.push(role.id);
  for (const [identifier, role] of desired) {
    const old = before.get(identifier);
    if (!old) delta.insert.push(role);
    else if (ROLE_FIELDS.some((f) => old[f] !== role[f]) || RULE_FIELDS.some((f) => old.navigation[f] !== role.navigation[f])) delta.update.push({ id: old.id, role });
  }
  return delta;
}
