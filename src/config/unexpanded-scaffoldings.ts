/**
 * Scaffoldings idm-toolkit does not expand (WorkflowEntityType, CreateUpdateDeleteWorkflows, …: the
 * vocabulary's `scaffolding` kinds left unsupported) still generate items in the product, named
 * after their arguments: `<WorkflowEntityType EntityType="Directory_User"/>` gives the entity type
 * Workflow_Directory_User. A reference to a name that contains an argument of such a scaffolding
 * may therefore be to a generated item: check-references says so with a warning instead of
 * refusing a configuration the product deploys.
 */
import type { Configuration } from "./configuration.js";
import type { XmlElement } from "./xml-tree.js";
import { EXPANDED_SCAFFOLDINGS } from "./scaffoldings/expand.js";
import { loadVocabulary } from "./vocabulary.js";

/** Arguments shorter than this (a flag such as true, a level) name nothing. */
const MIN_ARGUMENT_LENGTH = 3;

/**
 * The first scaffolding one of whose argument values is part of `name`: a stored scaffolding (the
 * scaffoldings idm-toolkit expands have made their items before references are checked) or an
 * unsupported one.
 */
export function generatingScaffolding(configuration: Configuration, name: string): { name: string; xml: XmlElement } | undefined {
  const vocabulary = loadVocabulary();
  const candidates = [...configuration.models.map((m) => ({ name: m.spec.name, xml: m.xml })), ...configuration.unsupported];
  return candidates.find((c) => !EXPANDED_SCAFFOLDINGS.has(c.name) && vocabulary.get(c.name)?.kinds.has("scaffolding") === true &&
    c.xml.attributes.some((a) => a.value.length >= MIN_ARGUMENT_LENGTH && name.includes(a.value)));
}
