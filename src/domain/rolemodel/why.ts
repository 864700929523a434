/**
 * `idm why <EntityType> <key> <role or resource type>` (issue 15 §7): one owner's input loaded as
 * ComputeRoleModel loads it (compute/owner-loader.ts), its stored assignments included, and the
 * engine's explanation of one role or resource type (evaluate/explain.ts). The names the user typed
 * are checked first, each refused with a did-you-mean, so that a typo never reads as "not assigned".
 */
import { didYouMean } from "../../config/did-you-mean.js";
import { readEntityModel } from "../resources/entity-model.js";
import type { Store } from "../../store/store.js";
import { AssignmentStore } from "./assignment-store.js";
import { loadOwners, prepareOwnerLoader } from "./compute/owner-loader.js";
import { ResourceKeys } from "./compute/resource-keys.js";
import { explain, type Explanation } from "./evaluate/explain.js";
import type { PolicyModel } from "./evaluate/model.js";
import { KIND_WORDS } from "./evaluate/render-explanation.js";
import { loadPolicyModel } from "./policy-loader.js";
import { checkEntityType, resourceByKey, UnknownSubjectError } from "./report-lookups.js";
import { loadContext } from "./rule-subjects.js";

export interface WhyResult {
  explanation: Explanation;
  /** The evaluation instant. */
  at: Date;
  /** What the engine found wrong while reading this owner (a rule expression that failed, ...). */
  warnings: string[];
}

/** Throws UnknownSubjectError for an unknown entity type, key or subject name. */
export async function why(store: Store, entityType: string, key: string, subject: string, at: Date = new Date()): Promise<WhyResult> {
  await checkEntityType(store, entityType);
  const entities = await readEntityModel(store);
  if (!entities.entityTypes.has(entityType)) {
    throw new UnknownSubjectError("entity-type", `${entityType} has resources but its EntityType is not deployed: no role model reads it`, undefined);
  }
  const policy = await loadPolicyModel(store);
  checkSubject(policy, entityType, subject);
  const owner = await resourceByKey(store, entityType, key);
  const load = loadContext(store, entities);
  const warnings: string[] = [];
  const setup = { store, entities, policy, keys: new ResourceKeys(load), assignments: new AssignmentStore(store.dataSource.manager), warn: (m: string) => void warnings.push(m) };
  const loader = await prepareOwnerLoader(setup, entityType);
  const [loaded] = await loadOwners(load, loader, [owner.id]);
  return { explanation: explain(loaded!.input, policy, subject, at), at, warnings };
}

/** The subject must be a role of the entity type or a resource type it owns; the did-you-mean is searched among those. */
function checkSubject(policy: PolicyModel, entityType: string, identifier: string): void {
  const named = [
    ...policy.compositeRoles.map((r) => ({ kind: "compositeRole" as const, identifier: r.identifier, entityType: r.entityType })),
    ...policy.singleRoles.map((r) => ({ kind: "singleRole" as const, identifier: r.identifier, entityType: r.entityType })),
    ...policy.resourceTypes.map((t) => ({ kind: "resourceType" as const, identifier: t.identifier, entityType: t.sourceEntityType })),
  ];
  const own = named.filter((n) => n.entityType === entityType);
  if (own.some((n) => n.identifier === identifier)) return;
  const elsewhere = named.find((n) => n.identifier === identifier);
  const message = elsewhere === undefined
    ? `no role or resource type of ${entityType} is named ${identifier}`
    : `${identifier} is a ${KIND_WORDS[elsewhere.kind]} of ${elsewhere.entityType}, not of ${entityType}`;
  throw new UnknownSubjectError("role-or-resource-type", message, didYouMean(identifier, own.map((n) => n.identifier)));
}
