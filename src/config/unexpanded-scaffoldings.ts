/**
 * Scaffoldings idm-toolkit does not expand (WorkflowEntityType, CreateUpdateDeleteWorkflows, …: the
 * vocabulary's `scaffolding` kinds left unsupported) still generate items in the product, named
 * after their arguments: `<WorkflowEntityType EntityType="Directory_User"/>` gives the entity type
 * Workflow_Directory_User. A reference to a name that contains an argument of such a scaffolding
 * may therefore be to a generated item: check-references says so with a warning instead of
 * refusing a configuration the product deploys.
 */
import type { Configuration, UnsupportedElement } from "./configuration.js";
import { loadVocabulary } from "./vocabulary.js";

/**
 * Items that scaffoldings idm-toolkit does not expand are documented to generate under a fixed name:
 * references to them resolve (CreateAdministratorProfile makes the Administrator profile).
 */
const FIXED_ITEMS: Record<string, readonly { kind: string; identifier: string }[]> = {
  CreateAdministratorProfile: [{ kind: "Profile", identifier: "Administrator" }],
};

/** The items the unexpanded scaffolding `name` makes whose identifiers do not depend on its arguments. */
export function scaffoldingItems(name: string): readonly { kind: string; identifier: string }[] {
  return FIXED_ITEMS[name] ?? [];
}

/** Arguments shorter than this (a flag such as true, a level) name nothing. */
const MIN_ARGUMENT_LENGTH = 3;

/** The first unexpanded scaffolding one of whose argument values is part of `name`. */
export function generatingScaffolding(configuration: Configuration, name: string): UnsupportedElement | undefined {
  if (configuration.unsupported.length === 0) return undefined;
  const vocabulary = loadVocabulary();
  return configuration.unsupported.find((u) => vocabulary.get(u.name)?.kinds.has("scaffolding") === true &&
    u.xml.attributes.some((a) => a.value.length >= MIN_ARGUMENT_LENGTH && name.includes(a.value)));
}
