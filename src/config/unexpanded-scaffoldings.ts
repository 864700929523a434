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

/** Arguments shorter than this (a flag such as true, a level) name nothing. */
const MIN_ARGUMENT_LENGTH = 3;

/** The first unexpanded scaffolding one of whose argument values is part of `name`. */
export function generatingScaffolding(configuration: Configuration, name: string): UnsupportedElement | undefined {
  if (configuration.unsupported.length === 0) return undefined;
  const vocabulary = loadVocabulary();
  return configuration.unsupported.find((u) => vocabulary.get(u.name)?.kinds.has("scaffolding") === true &&
    u.xml.attributes.some((a) => a.value.length >= MIN_ARGUMENT_LENGTH && name.includes(a.value)));
}
