/**
 * What reading the owners of one entity type needs, prepared once: the policy's checks for that
 * type, its rule programs, the owner inputs (correlation rules, QueryRule indexes) and the adapter
 * between stored rows and the engine's. ComputeRoleModel reads its batches through it and `idm why`
 * its one owner, so that an explanation sees the very input the computation saw.
 */
import type { EntityModel } from "../../resources/entity-model.js";
import type { Store } from "../../../store/store.js";
import type { AssignmentStore } from "../assignment-store.js";
import { compilePolicy } from "../evaluate/compile.js";
import type { PolicyModel } from "../evaluate/model.js";
import type { LoadContext } from "../../expressions/navigation-loader.js";
import { subjectsByIds } from "../rule-subjects.js";
import { AssignmentAdapter } from "./assignment-adapter.js";
import { OwnerInputs, type LoadedOwner } from "./owner-inputs.js";
import { compileOwnerPrograms, type OwnerPrograms } from "./owner-programs.js";
import type { ResourceKeys } from "./resource-keys.js";

export interface OwnerLoaderSetup {
  store: Store;
  entities: EntityModel;
  policy: PolicyModel;
  keys: ResourceKeys;
  assignments: AssignmentStore;
  warn(message: string): void;
}

export interface OwnerLoader {
  programs: OwnerPrograms;
  inputs: OwnerInputs;
  adapter: AssignmentAdapter;
}

export async function prepareOwnerLoader(setup: OwnerLoaderSetup, entityType: string): Promise<OwnerLoader> {
  const { store, entities, policy, keys, assignments, warn } = setup;
  // What the engine itself finds wrong in the policy for this type (a criterion on an unknown dimension, a property two rule kinds fill).
  const compiled = compilePolicy(policy);
  const known = compiled.warnings.length;
  compiled.forEntityType(entityType);
  for (const w of compiled.warnings.slice(known)) warn(w);
  const programs = compileOwnerPrograms(entityType, policy, entities, warn);
  const inputs = await OwnerInputs.create({ store, entities, policy, programs, keys, assignments, warn });
  const adapter = new AssignmentAdapter({
    policy, entities, keyOf: (id) => keys.keyOf(id), idOf: (rt, p, k) => inputs.navigationId(rt, p, k), correlationRule: (rt, id) => inputs.correlationRule(rt, id),
  });
  return { programs, inputs, adapter };
}

/** The owners of these resource ids, loaded as one batch. */
export async function loadOwners(load: LoadContext, loader: OwnerLoader, ids: readonly number[]): Promise<LoadedOwner[]> {
  const batch = await subjectsByIds(load, loader.programs.entityType, loader.programs.navigations, ids);
  return loader.inputs.load(batch, loader.adapter);
}
