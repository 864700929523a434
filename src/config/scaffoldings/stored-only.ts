/**
 * Scaffoldings that idm-toolkit stores (plan, deploy, show, export and rollback handle them like any
 * item) without producing what they generate: access rules, displays, menus, workflows. Said once
 * per kind, at its first element, so that nobody takes their output for deployed.
 */
import { position } from "../check-attributes.js";
import type { ConfigElement, Configuration } from "../configuration.js";
import type { Problem } from "../problems.js";
import { loadVocabulary } from "../vocabulary.js";

export function reportStoredOnly(configuration: Configuration, expanded: ReadonlySet<string>, problems: Problem[]): void {
  const vocabulary = loadVocabulary();
  const byKind = new Map<string, ConfigElement[]>();
  for (const model of configuration.models) {
    const name = model.spec.name;
    if (expanded.has(name) || !vocabulary.get(name)?.kinds.has("scaffolding")) continue;
    byKind.set(name, [...(byKind.get(name) ?? []), model]);
  }
  for (const [name, elements] of byKind) {
    const count = elements.length;
    problems.push({
      code: "scaffolding-not-expanded", severity: "warning", ...position(elements[0]!.xml),
      message: `${name} is stored (${count} element${count === 1 ? "" : "s"} of this kind); what it generates (access rules, displays, menus, workflows…) ` +
        "is not produced by idm-toolkit",
      hint: "it is deployed and exported as written; where an idm-toolkit job needs what it generates, write those elements by hand",
    });
  }
}
