/**
 * Scaffoldings idm-toolkit does not expand (EntityTypeMenuItem, CreateUpdateDeleteWorkflows, …:
 * stored items whose outputs are not produced) still generate items in the product, named after
 * their arguments. References to what they are documented to generate resolve
 * (scaffoldings/declared-outputs.ts: `<WorkflowEntityType EntityType="Directory_User"/>` gives
 * Workflow_Directory_User); a reference to another name that contains an argument of such a
 * scaffolding may still be to a generated item: check-references says so with a warning instead
 * of refusing a configuration the product deploys.
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
 * unsupported one. Not the scaffolding that holds the reference (`from` or one of its ancestors):
 * its own dangling argument always contains itself, and it does not generate what it takes.
 */
export function generatingScaffolding(configuration: Configuration, name: string, from: XmlElement): { name: string; xml: XmlElement } | undefined {
  const vocabulary = loadVocabulary();
  const candidates = [...configuration.models.map((m) => ({ name: m.spec.name, xml: m.xml })), ...configuration.unsupported];
  return candidates.find((c) => !EXPANDED_SCAFFOLDINGS.has(c.name) && vocabulary.get(c.name)?.kinds.has("scaffolding") === true &&
    !contains(c.xml, from) && c.xml.attributes.some((a) => a.value.length >= MIN_ARGUMENT_LENGTH && name.includes(a.value)));
}

function contains(ancestor: XmlElement, element: XmlElement): boolean {
  return ancestor === element || ancestor.children.some((child) => contains(child, element));
}
